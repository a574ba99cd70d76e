// `guestbay serve` as a user runs it: the URL and the ssh hint printed, a guest started through
// the WebSocket, and Ctrl-C (SIGTERM here) ending the server while the guest keeps running.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cli, ROOT } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let child: ResultPromise<{ env: NodeJS.ProcessEnv; extendEnv: false; reject: false }> | undefined;
beforeAll(async () => {
  w = await guestWorld('gb-serve-cli-');
  await w.create('tiny');
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await w.cleanup();
});

function call(ws: WebSocket, id: number, name: string, input: unknown): Promise<{ ok: boolean; output?: any; error?: any }> {
  return new Promise((resolve) => {
    const on = (m: WebSocket.RawData) => {
      const msg = JSON.parse(m.toString());
      if (msg.id !== id) return;
      ws.off('message', on);
      resolve(msg);
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ id, call: name, input }));
  });
}

describe('guestbay serve', () => {
  it('refuses a bad port', async () => {
    const r = await cli(['serve', '--port', 'http'], w.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });

  it('serves until SIGTERM, then lets go of the guests without stopping them', async () => {
    child = execa('node', [join(ROOT, 'bin/guestbay.mjs'), 'serve'], { env: w.env, extendEnv: false, reject: false });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 60_000 }).toMatch(/serving on (http:\S+)\n[\s\S]*Ctrl-C/);
    const url = /serving on (http:\S+)/.exec(out)![1]!;
    const { port, pathname } = new URL(url);
    expect(out).toContain(`ssh -L ${port}:127.0.0.1:${port}`);
    expect(pathname).toMatch(/^\/[0-9a-f]{48}\/$/);
    const page = await fetch(url);
    expect([200, 503]).toContain(page.status); // 503 until the renderer is built
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

    const ws = new WebSocket(`ws://127.0.0.1:${port}${pathname}ws`, { origin: `http://127.0.0.1:${port}` });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    expect(await call(ws, 1, 'guests.start', { name: 'tiny', headless: true })).toMatchObject({ ok: true, output: { state: 'running' } });
    const pid = (await call(ws, 2, 'guests.get', { name: 'tiny' })).output.status.pid as number;
    expect(pid).toBeGreaterThan(0);

    child.kill('SIGTERM');
    const done = await child;
    expect(done.exitCode).toBe(0);
    expect(done.stderr).toContain('server stopped');
    ws.terminate();

    // Still running, found again by a new supervisor; stopped by it.
    const sup = w.supervisor();
    expect(await sup.status('tiny')).toMatchObject({ state: 'running', pid });
    expect(await sup.stop('tiny', { force: true })).toMatchObject({ state: 'stopped' });
  });
});
