// The browser's transport against the real headless server, with the `ws` client standing in
// for the browser's WebSocket: calls and errors through the typed client, events, pending calls
// failed when the connection drops, and the event stream back after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Api } from '../../../src/main/api';
import { serve, type Served } from '../../../src/main/server/serve';
import { createClient } from '../../../src/shared/client';
import { CallError, type EventMessage } from '../../../src/shared/contract';
import { wsTransport, type SocketCtor } from '../../../src/shared/ws-transport';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
let s: Served;
const pushed = new Set<(m: EventMessage) => void>();
const push = (m: EventMessage) => pushed.forEach((fn) => fn(m));
/** The real API; `test.hang` never answers, to have a call in flight. */
let api: Api;

beforeAll(async () => {
  w = await apiWorld('gb-wst-');
  api = {
    dispatch: (call, input) => (call === 'test.hang' ? new Promise(() => {}) : w.api.dispatch(call, input)),
    onEvent(fn) {
      pushed.add(fn);
      return () => pushed.delete(fn);
    },
    dispose: async () => {},
  };
  s = await serve({ api, staticDir: w.home });
});
afterAll(async () => {
  await s.close();
  await w.cleanup();
});

/** What a page at http://127.0.0.1:PORT/ gets from its browser: that Origin on every socket. */
const browserSocket = (port: number) =>
  class extends WebSocket {
    constructor(url: string) {
      super(url, { origin: `http://127.0.0.1:${port}` });
    }
  } as unknown as SocketCtor;

const socketUrl = (x: Served) => `ws://127.0.0.1:${x.port}/${x.token}/ws`;

describe('wsTransport', () => {
  it('carries calls and their errors through the typed client, and events', async () => {
    const t = wsTransport(socketUrl(s), { WebSocket: browserSocket(s.port) });
    const client = createClient(t);
    try {
      const presets = await client.call('presets.list', {});
      expect(presets.map((p) => p.id)).toContain('linux');
      const [a, b] = await Promise.all([client.call('fs.list', { dir: '/' }), client.call('dialog.pickFolder', { title: 'x' })]);
      expect(a.parent).toBeNull();
      expect(b).toEqual({ supported: false, path: null });
      const err = await client.call('guests.get', { name: 'bad name' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CallError);
      expect(err).toMatchObject({ name: 'ValidationError', call: 'guests.get', fields: [{ field: 'name', message: expect.any(String) }] });

      const got: unknown[] = [];
      const off = client.on('guest.state', (p) => got.push(p));
      await expect.poll(() => pushed.size).toBeGreaterThan(0);
      push({ event: 'guest.state', payload: { name: 'a', state: 'running' } });
      push({ event: 'progress', payload: { name: 'a', operation: 'start', message: 'm' } });
      await expect.poll(() => got).toEqual([{ name: 'a', state: 'running' }]);
      off();
    } finally {
      t.close();
    }
  });

  it('fails pending calls when the connection drops, and reconnects the event stream', async () => {
    const first = await serve({ api, staticDir: w.home });
    // The previous test's transport closed its socket: the server has let go of it.
    await expect.poll(() => pushed.size).toBe(0);
    const base = 0;
    const t = wsTransport(socketUrl(first), { WebSocket: browserSocket(first.port), minBackoffMs: 20, maxBackoffMs: 100 });
    const got: unknown[] = [];
    const off = t.subscribe((m) => got.push(m.payload));
    try {
      const inFlight = t.request('test.hang', {});
      await expect.poll(() => pushed.size).toBe(base + 1);
      await first.close();
      await expect.poll(() => pushed.size).toBe(base);
      expect(await inFlight).toEqual({ ok: false, error: { name: 'Disconnected', message: 'the connection to Guestbay was lost' } });
      // While the server is away, a call fails at once instead of hanging.
      expect(await t.request('presets.list', {})).toMatchObject({ ok: false, error: { name: 'Disconnected' } });

      // The same server again (same port and token): the events flow again by themselves.
      const again = await serve({ api, staticDir: w.home, port: first.port, token: first.token });
      try {
        await expect.poll(() => pushed.size, { timeout: 5000 }).toBe(base + 1);
        push({ event: 'guest.state', payload: { name: 'b', state: 'stopped' } });
        await expect.poll(() => got).toContainEqual({ name: 'b', state: 'stopped' });
        expect(await t.request('presets.list', {})).toMatchObject({ ok: true });
      } finally {
        await again.close();
      }
    } finally {
      off();
      t.close();
    }
  });

  it('answers Disconnected when nothing listens, and after close', async () => {
    const gone = await serve({ api, staticDir: w.home });
    await gone.close();
    const t = wsTransport(socketUrl(gone), { WebSocket: browserSocket(gone.port) });
    expect(await t.request('presets.list', {})).toEqual({ ok: false, error: { name: 'Disconnected', message: 'Guestbay is not reachable' } });
    t.close();
    expect(await t.request('presets.list', {})).toEqual({ ok: false, error: { name: 'Disconnected', message: 'the connection to Guestbay is closed' } });
  });
});
