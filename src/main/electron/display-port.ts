// A guest's screen in the desktop window: the preload sends one end of a MessageChannel with a
// ticket from `display.open`; only the main window's top frame showing the app may (the same
// sender check as every call), and only with a live ticket. The port then carries RFB bytes both
// ways, and `{ close: { code, reason } }` when either side ends (DISPLAY_CLOSE codes).
import type { IpcMain, IpcMainEvent, MessagePortMain, BrowserWindow } from 'electron';
import { DISPLAY_CLOSE, type DisplayBridge, type DisplayChannel } from '../display/bridge';
import { DISPLAY_CHANNEL } from './channels';
import { refuseSender } from './ipc';

export function portDisplayChannel(port: MessagePortMain): DisplayChannel {
  let closed = false;
  const closeListeners: (() => void)[] = [];
  const gone = () => {
    if (closed) return;
    closed = true;
    for (const fn of closeListeners) fn();
  };
  port.on('close', gone);
  const dataListeners: ((d: Uint8Array) => void)[] = [];
  port.on('message', (e) => {
    const d: unknown = e.data;
    // By shape: structured clone hands over the page's bytes as this realm's, but be sure.
    if (ArrayBuffer.isView(d)) for (const fn of dataListeners) fn(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    else if (Object.prototype.toString.call(d) === '[object ArrayBuffer]') for (const fn of dataListeners) fn(new Uint8Array(d as ArrayBuffer));
    else if (typeof d === 'object' && d !== null && 'close' in d) {
      gone();
      port.close();
    }
  });
  port.start();
  return {
    send(data, done) {
      if (closed) return;
      // A copy: the socket's buffer is reused by Node once this returns.
      port.postMessage(new Uint8Array(data));
      done?.();
    },
    onData: (fn) => void dataListeners.push(fn),
    onClose: (fn) => void closeListeners.push(fn),
    close(code, reason) {
      if (closed) return;
      port.postMessage({ close: { code, reason } });
      closed = true;
      port.close();
    },
  };
}

export interface DisplayPortBinding {
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>;
  displays: Pick<DisplayBridge, 'attach'>;
  mainWindow: () => BrowserWindow | null;
}

/** Listens for the window's display ports; returns the unbinding. */
export function bindDisplayPorts({ ipcMain, displays, mainWindow }: DisplayPortBinding): () => void {
  const listener = (event: IpcMainEvent, message: unknown) => {
    const port = event.ports?.[0];
    if (!port) return;
    const channel = portDisplayChannel(port);
    const reason = refuseSender(event, mainWindow());
    if (reason) return channel.close(DISPLAY_CLOSE.forbidden, `Refused: ${reason}.`);
    const ticket = typeof message === 'object' && message !== null ? (message as { ticket?: unknown }).ticket : undefined;
    if (typeof ticket !== 'string') return channel.close(DISPLAY_CLOSE.badTicket, 'a display request is { ticket }');
    void displays.attach(ticket, channel);
  };
  ipcMain.on(DISPLAY_CHANNEL, listener);
  return () => {
    ipcMain.removeListener(DISPLAY_CHANNEL, listener);
  };
}
