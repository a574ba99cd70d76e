// Every client live (issue 14): a guest created by a real `guestbay create` process appears in
// the event stream of a running `guestbay serve` (another process, over its WebSocket) within a
// second, and one changed by `guestbay set` arrives with its new config. No guest is started;
// the file is in the qemu project because it runs real processes (qemu-img among them).
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { guestbay, ROOT, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise<{ env: NodeJS.ProcessEnv; extendEnv: false; reject: false }> | undefined;
let ws: WebSocket | undefined;
const events: { at: number; event: string; payload: { change?: string; name?: string; config?: { memoryMiB: number } } }[] = [];

beforeAll(async () => {
  t = await tempHome('gb-serve-ev-');
  server = execa('node', [join(ROOT, 'bin/guestbay.mjs'), 'serve'], { env: t.env, extendEnv: false, reject: false });
  let out = '';
  server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.on('data', () => /serving on http:\S+\n/.test(out) && resolve());
    void server!.then((r) => reject(new Error(`serve ended: ${r.stderr}`)));
  });
  const { port, pathname } = new URL(/serving on (http:\S+)/.exec(out)![1]!);
  ws = new WebSocket(`ws://127.0.0.1:${port}${pathname}ws`, { origin: `http://127.0.0.1:${port}` });
  await new Promise((r, j) => ws!.once('open', r).once('error', j));
  ws.on('message', (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.event) events.push({ at: Date.now(), ...msg });
  });
});
afterAll(async () => {
  ws?.terminate();
  server?.kill('SIGTERM');
  await server;
  await t.cleanup();
});

const changed = (name: string) => events.filter((e) => e.event === 'guests.changed' && e.payload.name === name);

describe('guestbay serve hears other processes', () => {
  it('a guest made by `guestbay create` arrives within a second; `guestbay set` arrives with the new config', async () => {
    const made = await guestbay(['create', '--preset', 'linux', '--name', 'fromcli', '--disk-size', '64M'], t.env);
    expect(made.exitCode, made.stderr).toBe(0);
    const done = Date.now();
    await expect.poll(() => changed('fromcli').map((e) => e.payload.change), { timeout: 1000, interval: 10 }).toEqual(['created']);
    expect(changed('fromcli')[0]!.at - done).toBeLessThan(1000);

    const set = await guestbay(['set', 'fromcli', 'memory=768M'], t.env);
    expect(set.exitCode, set.stderr).toBe(0);
    await expect.poll(() => changed('fromcli').map((e) => e.payload.change), { timeout: 1000, interval: 10 }).toEqual(['created', 'changed']);
    expect(changed('fromcli')[1]!.payload.config!.memoryMiB).toBe(768);
  });
});
