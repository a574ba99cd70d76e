import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serve, type Served } from '../../../src/main/server/serve';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
let s: Served;
beforeAll(async () => {
  w = await apiWorld('gb-serve-');
  const dir = join(w.home, 'renderer');
  await mkdir(dir);
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Guestbay</title>');
  await writeFile(join(w.home, 'secret.txt'), 'secret');
  s = await serve({ api: w.api, staticDir: dir });
});
afterAll(async () => {
  await s.close();
  await w.cleanup();
});

function open(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('headless server', () => {
  it('listens on 127.0.0.1 only, under the token, with a strict CSP', async () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{48}\/$/);
    const ok = await fetch(s.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`http://127.0.0.1:${s.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${s.port}/${'0'.repeat(48)}/`)).status).toBe(404);
    expect((await fetch(`${s.url}..%2Fsecret.txt`)).status).toBe(404);
    await expect(fetch(`http://[::1]:${s.port}${new URL(s.url).pathname}`)).rejects.toThrow();
  });

  it('refuses WebSockets without the token, from another Origin, or with no Origin', async () => {
    const ws = `ws://127.0.0.1:${s.port}`;
    const path = new URL(s.url).pathname;
    await expect(open(`${ws}/ws`, `http://127.0.0.1:${s.port}`)).rejects.toThrow(/404/);
    await expect(open(`${ws}${path}ws`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(open(`${ws}${path}ws`)).rejects.toThrow(/403/);
  });

  it('answers calls over the WebSocket, errors in plain words', async () => {
    const ws = await open(`ws://127.0.0.1:${s.port}${new URL(s.url).pathname}ws`, `http://127.0.0.1:${s.port}`);
    const reply = new Promise<unknown>((r) => ws.on('message', (m) => r(JSON.parse(m.toString()))));
    ws.send(JSON.stringify({ id: 7, call: 'presets.list', input: {} }));
    expect(await reply).toMatchObject({ id: 7, ok: true, output: expect.arrayContaining([expect.objectContaining({ id: 'windows-11' })]) });
    const refused = new Promise<unknown>((r) => ws.once('message', (m) => r(JSON.parse(m.toString()))));
    ws.send(JSON.stringify({ id: 8, call: 'guests.start', input: { name: 'nobody' } }));
    expect(await refused).toMatchObject({ id: 8, ok: false, error: { name: 'GuestNotFoundError', message: 'there is no guest named "nobody"' } });
    ws.close();
  });
});
