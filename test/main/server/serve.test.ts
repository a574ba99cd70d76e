// The headless server over a real API: token, Host and Origin checks, static files and their
// headers, and the contract over a real WebSocket (the `ws` client standing in for a browser).
import { request as httpRequest } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Api } from '../../../src/main/api';
import { cspFor, MAX_MESSAGE, serve, type Served } from '../../../src/main/server/serve';
import type { EventMessage } from '../../../src/shared/contract';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
let s: Served;
let origin: string;
let wsUrl: string;
/** The real API, plus a way to push an event as if the supervisor had. */
const pushed = new Set<(m: EventMessage) => void>();
const push = (m: EventMessage) => pushed.forEach((fn) => fn(m));

beforeAll(async () => {
  w = await apiWorld('gb-serve-');
  const dir = join(w.home, 'renderer');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Guestbay</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(w.home, 'secret.txt'), 'secret');
  const api: Api = {
    dispatch: (call, input) => w.api.dispatch(call, input),
    onEvent(fn) {
      const off = w.api.onEvent(fn);
      pushed.add(fn);
      return () => {
        off();
        pushed.delete(fn);
      };
    },
    dispose: () => w.api.dispose(),
  };
  s = await serve({ api, staticDir: dir });
  origin = `http://127.0.0.1:${s.port}`;
  wsUrl = `ws://127.0.0.1:${s.port}/${s.token}/ws`;
});
afterAll(async () => {
  await s.close();
  await w.cleanup();
});

function open(url: string, o: { origin?: string; host?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(o.origin ? { origin: o.origin } : {}), ...(o.host ? { headers: { Host: o.host } } : {}) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (m) => resolve(JSON.parse(m.toString()))));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** A GET with a Host header of our choosing (fetch does not allow setting it). */
function get(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headless server: HTTP', () => {
  it('serves the app under the token with strict headers', async () => {
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/${s.token}/`);
    expect(s.token).toMatch(/^[0-9a-f]{48}$/);
    const page = await fetch(s.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Guestbay</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(cspFor(s.port));
    expect(cspFor(s.port)).toContain("script-src 'self'; style-src 'self'");
    expect(cspFor(s.port)).toContain(`connect-src 'self' ws://127.0.0.1:${s.port}`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const js = await fetch(`${s.url}assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(cspFor(s.port));
    const redirect = await fetch(`http://127.0.0.1:${s.port}/${s.token}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`/${s.token}/`);
  });

  it('answers 404 without the token, never saying what is missing', async () => {
    for (const path of ['/', '/index.html', `/${'0'.repeat(48)}/`, `/${s.token.slice(0, -1)}/`, `/${s.token}x/`, '/ws', `/x/${s.token}/`]) {
      const r = await fetch(`http://127.0.0.1:${s.port}${path}`);
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toContain(s.token);
    }
    const post = await fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect((await fetch(s.url, { method: 'POST' })).status).toBe(405);
  });

  it('serves nothing outside the static folder', async () => {
    for (const path of ['..%2Fsecret.txt', '%2e%2e/secret.txt', '%2e%2e%2fsecret.txt', 'assets/..%2F..%2Fsecret.txt', '%2Fetc%2Fpasswd', '..%5csecret.txt', 'assets/']) {
      expect((await fetch(`${s.url}${path}`)).status, path).toBe(404);
    }
    // Raw `..` never reaches the server from fetch (URLs are normalized client-side): send it raw.
    expect(await get(`/${s.token}/../secret.txt`, `127.0.0.1:${s.port}`)).toBe(404);
    expect(await get(`/${s.token}/assets/../../secret.txt`, `127.0.0.1:${s.port}`)).toBe(404);
    expect((await fetch(`${s.url}%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${s.url}a%00b`)).status).toBe(400);
    expect((await fetch(s.url)).status).toBe(200); // and still serving
  });

  it('answers only for 127.0.0.1 and localhost as Host (no DNS rebinding)', async () => {
    expect(await get(`/${s.token}/`, `127.0.0.1:${s.port}`)).toBe(200);
    expect(await get(`/${s.token}/`, `localhost:${s.port}`)).toBe(200);
    expect(await get(`/${s.token}/`, `evil.example:${s.port}`)).toBe(404);
    expect(await get(`/${s.token}/`, '127.0.0.1')).toBe(404);
  });

  it('listens on 127.0.0.1 only', async () => {
    await expect(fetch(`http://[::1]:${s.port}/${s.token}/`)).rejects.toThrow();
    const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const c = connect(s.port, external.address);
        c.once('connect', () => (c.destroy(), resolve(false)));
        c.once('error', () => resolve(true));
      });
      expect(refused, external.address).toBe(true);
    }
  });

  it('says plainly when the renderer is not built', async () => {
    const empty = await serve({ api: w.api, staticDir: join(w.home, 'nothing-here') });
    try {
      const r = await fetch(empty.url);
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toBe(cspFor(empty.port));
      expect(await r.text()).toContain('npm run build:renderer');
      expect((await fetch(`${empty.url}assets/app.js`)).status).toBe(404);
    } finally {
      await empty.close();
    }
  });
});

describe('headless server: WebSocket', () => {
  it('refuses WebSockets without the token, from another Origin, with no Origin, or another Host', async () => {
    await expect(open(`ws://127.0.0.1:${s.port}/ws`, { origin })).rejects.toThrow(/404/);
    await expect(open(`ws://127.0.0.1:${s.port}/${'f'.repeat(48)}/ws`, { origin })).rejects.toThrow(/404/);
    await expect(open(wsUrl, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(open(wsUrl, { origin: `http://127.0.0.1:${s.port + 1}` })).rejects.toThrow(/403/);
    await expect(open(wsUrl, { origin: `https://127.0.0.1:${s.port}` })).rejects.toThrow(/403/);
    await expect(open(wsUrl, { origin: 'null' })).rejects.toThrow(/403/);
    await expect(open(wsUrl)).rejects.toThrow(/403/);
    await expect(open(wsUrl, { origin, host: `evil.example:${s.port}` })).rejects.toThrow(/404/);
    (await open(wsUrl, { origin: `http://localhost:${s.port}` })).close();
  });

  it('answers calls by id, errors in plain words, and pushes events', async () => {
    const ws = await open(wsUrl, { origin });
    const reply = next(ws);
    ws.send(JSON.stringify({ id: 7, call: 'presets.list', input: {} }));
    expect(await reply).toMatchObject({ id: 7, ok: true, output: expect.arrayContaining([expect.objectContaining({ id: 'windows-11' })]) });

    // Two calls in flight: each answer carries its own id.
    const answers: Record<string, unknown>[] = [];
    const both = new Promise<void>((resolve) =>
      ws.on('message', (m) => {
        answers.push(JSON.parse(m.toString()));
        if (answers.length === 2) resolve();
      }),
    );
    ws.send(JSON.stringify({ id: 8, call: 'guests.start', input: { name: 'nobody' } }));
    ws.send(JSON.stringify({ id: 9, call: 'guests.get', input: { name: 'bad name' } }));
    await both;
    ws.removeAllListeners('message');
    expect(answers.find((a) => a.id === 8)).toEqual({ id: 8, ok: false, error: { name: 'GuestNotFoundError', message: 'there is no guest named "nobody"' } });
    expect(answers.find((a) => a.id === 9)).toMatchObject({ id: 9, ok: false, error: { name: 'ValidationError', fields: [{ field: 'name' }] } });

    const event = next(ws);
    push({ event: 'guest.state', payload: { name: 'tiny', state: 'running' } });
    expect(await event).toEqual({ event: 'guest.state', payload: { name: 'tiny', state: 'running' } });
    ws.close();
  });

  it('closes a connection that sends no request, or too much; the server carries on', async () => {
    const a = await open(wsUrl, { origin });
    const aClosed = closed(a);
    a.send('not json');
    expect(await aClosed).toBe(1007);
    const b = await open(wsUrl, { origin });
    const bClosed = closed(b);
    b.send(JSON.stringify({ call: 'presets.list' }));
    expect(await bClosed).toBe(1008);
    const c = await open(wsUrl, { origin });
    c.on('error', () => {});
    const cClosed = closed(c);
    c.send('x'.repeat(MAX_MESSAGE + 1));
    expect(await cClosed).toBe(1009);
    const d = await open(wsUrl, { origin });
    const reply = next(d);
    d.send(JSON.stringify({ id: 1, call: 'fs.list', input: { dir: '/' } }));
    expect(await reply).toMatchObject({ id: 1, ok: true, output: { dir: '/', parent: null } });
    d.close();
  });
});
