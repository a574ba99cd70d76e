// The contract over Electron IPC: one invoke channel for calls, one send channel for events.
// Only the main window's top frame, showing the app, may call; everything else is refused
// before the API sees it. The API itself validates every input against the contract.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Api } from '../api';
import { toWireError } from '../api/errors';
import type { EventMessage, Reply } from '../../shared/contract';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';
import { isAppUrl } from './origin';
import { isTrustedSender } from './window';

type Sender = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** Why a message must be refused, or null when it comes from the app in the main window. */
export function refuseSender(event: Sender, win: BrowserWindow | null): string | null {
  const frame = event.senderFrame;
  // Null once the frame has navigated or gone: whoever sent it is no longer the app.
  if (!frame) return 'the sending frame is gone';
  if (!win || win.isDestroyed()) return 'there is no main window';
  // By id as well as by object: the id is what Electron documents as unique, wrapper identity is not.
  const sender = event.sender as { id?: unknown } | undefined;
  if (event.sender !== win.webContents && !(typeof sender?.id === 'number' && sender.id === win.webContents.id)) return 'not sent by the main window';
  const top = win.webContents.mainFrame;
  // processId + routingId identify a frame; wrapper objects are not guaranteed to be identical.
  const isMainFrame = frame.parent === null && frame.processId === top.processId && frame.routingId === top.routingId;
  if (!isMainFrame) return 'not sent by the main frame';
  if (!isTrustedSender(frame.url, isMainFrame)) return 'not sent by the app';
  return null;
}

function forbidden(reason: string): Reply {
  return { ok: false, error: { name: 'Forbidden', message: `Refused: ${reason}.` } };
}

function isCallMessage(m: unknown): m is { call: string; input: unknown } {
  return typeof m === 'object' && m !== null && typeof (m as { call?: unknown }).call === 'string';
}

export interface IpcBinding {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  api: Pick<Api, 'dispatch' | 'onEvent'>;
  /** The current main window (it is re-created after being closed). */
  mainWindow: () => BrowserWindow | null;
}

/** Binds the contract; returns the unbinding (before quit, or to bind again). */
export function bindIpc({ ipcMain, api, mainWindow }: IpcBinding): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, message: unknown): Promise<Reply> => {
    const reason = refuseSender(event, mainWindow());
    if (reason) return forbidden(reason);
    if (!isCallMessage(message)) return { ok: false, error: { name: 'ValidationError', message: 'a call is { call: string, input }' } };
    try {
      return await api.dispatch(message.call, message.input);
    } catch (e) {
      // dispatch answers errors itself; a throw here would reach the renderer as an untyped Error.
      return { ok: false, error: toWireError(e) };
    }
  });
  const off = api.onEvent((m: EventMessage) => {
    const win = mainWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    // Events go to the app only, never to a page the window might be showing instead.
    if (!isAppUrl(win.webContents.getURL())) return;
    win.webContents.send(EVENT_CHANNEL, m);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    off();
  };
}
