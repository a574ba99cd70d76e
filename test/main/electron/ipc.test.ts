// The one IPC channel with a fake ipcMain and window: who may call, and events to the window.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { EventMessage, Reply } from '../../../src/shared/contract';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../../src/main/electron/channels';
import { bindIpc } from '../../../src/main/electron/ipc';

function setup() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => Promise<Reply>>();
  const ipcMain = {
    handle: (ch: string, fn: (event: IpcMainInvokeEvent, payload: unknown) => Promise<Reply>) => void handlers.set(ch, fn),
    removeHandler: (ch: string) => void handlers.delete(ch),
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  const mainFrame = { url: 'guestbay://app/index.html', parent: null, processId: 4, routingId: 1 };
  const send = vi.fn();
  const webContents = { id: 1, mainFrame, send, isDestroyed: () => false, getURL: () => mainFrame.url };
  const win = { isDestroyed: () => false, webContents };
  let emit: (m: EventMessage) => void = () => undefined;
  const api = {
    dispatch: vi.fn(async (call: string, input: unknown): Promise<Reply> => ({ ok: true, output: { call, input } })),
    onEvent: (fn: (m: EventMessage) => void) => {
      emit = fn;
      return () => {
        emit = () => undefined;
      };
    },
  };
  const unbind = bindIpc({ ipcMain, mainWindow: () => win as never, api });
  const invoke = (senderFrame: unknown, payload: unknown, sender: unknown = webContents) =>
    handlers.get(CALL_CHANNEL)!({ sender, senderFrame } as unknown as IpcMainInvokeEvent, payload);
  return { handlers, mainFrame, send, api, invoke, emit: (m: EventMessage) => emit(m), unbind };
}

describe('bindIpc', () => {
  it('registers exactly one channel', () => {
    expect([...setup().handlers.keys()]).toEqual(['guestbay:call']);
  });

  it("dispatches the app main frame's calls", async () => {
    const s = setup();
    const r = await s.invoke(s.mainFrame, { call: 'guests.list', input: {} });
    expect(s.api.dispatch).toHaveBeenCalledWith('guests.list', {});
    expect(r).toEqual({ ok: true, output: { call: 'guests.list', input: {} } });
    // Another wrapper of the same WebContents (same id) is the same sender.
    expect(await s.invoke({ ...s.mainFrame }, { call: 'guests.list', input: {} }, { id: 1 })).toMatchObject({ ok: true });
  });

  it('refuses a subframe, another window, a page elsewhere and a destroyed frame', async () => {
    const s = setup();
    const forbidden = { ok: false, error: { name: 'Forbidden', message: expect.any(String) } };
    // Same URL, but not the main frame (an iframe of the app's own origin).
    expect(await s.invoke({ url: 'guestbay://app/index.html', parent: s.mainFrame, processId: 4, routingId: 2 }, { call: 'guests.delete', input: { name: 'x' } })).toEqual(forbidden);
    expect(await s.invoke(s.mainFrame, { call: 'guests.list', input: {} }, { other: 'webContents' })).toEqual(forbidden);
    expect(await s.invoke(s.mainFrame, { call: 'guests.list', input: {} }, { id: 2 })).toEqual(forbidden);
    s.mainFrame.url = 'https://example.com/';
    expect(await s.invoke(s.mainFrame, { call: 'guests.delete', input: { name: 'x' } })).toEqual(forbidden);
    expect(await s.invoke(null, { call: 'guests.list', input: {} })).toEqual(forbidden);
    expect(s.api.dispatch).not.toHaveBeenCalled();
  });

  it('answers a request without a call name with an error, not a throw', async () => {
    const s = setup();
    expect(await s.invoke(s.mainFrame, 'nonsense')).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    expect(await s.invoke(s.mainFrame, null)).toMatchObject({ ok: false });
    expect(s.api.dispatch).not.toHaveBeenCalled();
  });

  it("sends the API's events to the window, until unbound", () => {
    const s = setup();
    const m: EventMessage = { event: 'guest.state', payload: { name: 'a', state: 'running' } };
    s.emit(m);
    expect(s.send).toHaveBeenCalledWith(EVENT_CHANNEL, m);
    // Never to a page the window might show instead of the app.
    s.mainFrame.url = 'https://example.com/';
    s.emit(m);
    expect(s.send).toHaveBeenCalledTimes(1);
    s.mainFrame.url = 'guestbay://app/index.html';
    s.unbind();
    s.emit(m);
    expect(s.send).toHaveBeenCalledTimes(1);
    expect(s.handlers.size).toBe(0);
  });
});
