// The preload as it ships: bundled by the build script's own options, then run as a classic
// script with a `require` that hands out fake contextBridge and ipcRenderer.
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { options } from '../../../scripts/build-electron.mjs';

async function loadPreload() {
  const r = await build({ ...options('preload'), write: false });
  const code = r.outputFiles![0]!.text;
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, (...a: unknown[]) => void>();
  const ipcRenderer = {
    invoke: vi.fn(async (..._a: unknown[]) => ({ ok: true, output: 1 })),
    postMessage: vi.fn((..._a: unknown[]) => undefined),
    on: vi.fn((ch: string, l: (...a: unknown[]) => void) => void listeners.set(ch, l)),
    removeListener: vi.fn((ch: string, l: unknown) => {
      if (listeners.get(ch) === l) listeners.delete(ch);
    }),
  };
  const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => void (exposed[key] = api)) };
  const required: string[] = [];
  const require = (id: string) => {
    required.push(id);
    if (id === 'electron') return { contextBridge, ipcRenderer };
    throw new Error(`the preload may not require ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return { code, exposed, ipcRenderer, contextBridge, listeners, required };
}

describe('preload', () => {
  it('openDisplay: one end of a new MessageChannel to main with the ticket, the other to this window only', async () => {
    const p = await loadPreload();
    const posted: unknown[][] = [];
    const g = globalThis as { window?: unknown };
    g.window = { postMessage: (...a: unknown[]) => void posted.push(a) };
    try {
      (p.exposed.guestbayBridge as { openDisplay(t: string): void }).openDisplay('ab'.repeat(32));
    } finally {
      delete g.window;
    }
    const [channel, message, ports] = p.ipcRenderer.postMessage.mock.calls[0]!;
    expect(channel).toBe('guestbay:display');
    expect(message).toEqual({ ticket: 'ab'.repeat(32) });
    expect((ports as unknown[]).length).toBe(1);
    expect(posted).toHaveLength(1);
    expect(posted[0]![0]).toEqual({ guestbayDisplay: 'ab'.repeat(32) });
    expect((posted[0]![2] as unknown[]).length).toBe(1);
    // Two ends of one channel: not the same port twice.
    expect((posted[0]![2] as unknown[])[0]).not.toBe((ports as unknown[])[0]);
    for (const port of [...(ports as { close(): void }[]), ...(posted[0]![2] as { close(): void }[])]) port.close();
  });

  it('exposes guestbayBridge and nothing else, requiring only electron', async () => {
    const p = await loadPreload();
    expect(p.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(p.exposed)).toEqual(['guestbayBridge']);
    expect(Object.keys(p.exposed.guestbayBridge as object).sort()).toEqual(['openDisplay', 'request', 'subscribe']);
    expect(p.required).toEqual(['electron']);
  });

  it('request invokes the one call channel with { call, input }', async () => {
    const p = await loadPreload();
    const bridge = p.exposed.guestbayBridge as { request(c: string, i: unknown): Promise<unknown> };
    await expect(bridge.request('guests.start', { name: 'a' })).resolves.toEqual({ ok: true, output: 1 });
    expect(p.ipcRenderer.invoke).toHaveBeenCalledWith('guestbay:call', { call: 'guests.start', input: { name: 'a' } });
  });

  it('subscribe passes messages without the IPC event, and unsubscribes', async () => {
    const p = await loadPreload();
    const bridge = p.exposed.guestbayBridge as { subscribe(h: (m: unknown) => void): () => void };
    const got: unknown[][] = [];
    const off = bridge.subscribe((...a) => got.push(a));
    const m = { event: 'guest.state', payload: { name: 'a', state: 'running' } };
    p.listeners.get('guestbay:event')!({ sender: 'secret' }, m);
    expect(got).toEqual([[m]]);
    off();
    expect(p.listeners.has('guestbay:event')).toBe(false);
  });
});
