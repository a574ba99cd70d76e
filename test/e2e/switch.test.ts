// Issue acceptance (tray): switching between two real guests that declare the same USB device,
// through the headless server's WebSocket exactly as the tray's click would: the first is
// saved, the second runs, and the notification text is produced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApi } from '../../src/main/api';
import { serve, type Served } from '../../src/main/server/serve';
import { findItem, trayGuest, trayMenu } from '../../src/main/desktop/tray-model';
import type { GuestStatusDto } from '../../src/shared/contract';
import { guestWorld } from '../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let s: Served;
let ws: WebSocket;
let nextId = 1;

function call(callName: string, input: unknown): Promise<{ ok: boolean; output?: any; error?: any }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (m: WebSocket.RawData) => {
      const msg = JSON.parse(m.toString());
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, call: callName, input }));
  });
}

beforeAll(async () => {
  w = await guestWorld('gb-e2e-switch-');
  const usb = [{ vendorId: '1d6b', productId: '0104' }];
  await w.create('work', { usb });
  await w.create('play', { usb });
  for (const [name, title] of [['work', 'Windows 11'], ['play', 'macOS Sonoma']] as const) {
    await w.store.update({ ...(await w.store.get(name)), title, display: { device: 'std', viewer: 'guestbay', window: 'gtk', gl: false } });
  }
  const api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env });
  s = await serve({ api, staticDir: w.home });
  ws = new WebSocket(`ws://127.0.0.1:${s.port}${new URL(s.url).pathname}ws`, { origin: `http://127.0.0.1:${s.port}` });
  await new Promise((r) => ws.once('open', r));
});
afterAll(async () => {
  ws?.close();
  await s?.close();
  await w.cleanup();
});

describe('switching from the tray, end to end', () => {
  it('saves the guest holding the USB device, runs the other, and says so', async () => {
    expect(await call('guests.start', { name: 'work', headless: true })).toMatchObject({ ok: true, output: { state: 'running' } });
    const list = (await call('guests.list', {})).output as { name: string; config: { title: string }; status: GuestStatusDto }[];
    const menu = trayMenu(list.map((g) => trayGuest(g.status, g.config.title)));
    const click = findItem(menu, 'play:switch')!;
    expect(click).toMatchObject({ enabled: true, action: { kind: 'call', call: 'guests.switch', input: { name: 'play' } } });
    if (click.action?.kind !== 'call') throw new Error('not a call');

    const r = await call(click.action.call, click.action.input);
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect(r.output.notification.title).toBe('Switched to macOS Sonoma');
    expect(r.output.notification.body).toMatch(/^Saved Windows 11, started macOS Sonoma in \d+\.\d s$/);
    expect((await call('guests.get', { name: 'work' })).output.status.state).toBe('saved');
    expect((await call('guests.get', { name: 'play' })).output.status.state).toBe('running');

    const back = await call('guests.switch', { name: 'work' });
    expect(back.output.notification.body).toMatch(/^Saved macOS Sonoma, restored Windows 11 in /);
    expect((await call('guests.get', { name: 'work' })).output.status.state).toBe('running');
    await call('guests.stop', { name: 'work', force: true });
  });
});
