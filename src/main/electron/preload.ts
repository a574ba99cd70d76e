// The renderer's only door to the main process, exposed through the context bridge: a generic
// request and an event subscription, matching `Transport`. No logic lives here — the contract,
// validation and sender checks are in the main process. Bundled to CommonJS, since a sandboxed
// preload can `require('electron')` and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Transport } from '../../shared/client';
import type { EventMessage } from '../../shared/contract';
import { CALL_CHANNEL, DISPLAY_CHANNEL, EVENT_CHANNEL } from './channels';

/** The page's window (the preload shares it; only its postMessage is used). Node's types have no DOM. */
declare const window: { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void };

const bridge: Transport & { openDisplay(ticket: string): void } = {
  request: (call, input) => ipcRenderer.invoke(CALL_CHANNEL, { call, input }),
  subscribe: (handler) => {
    const listener = (_e: IpcRendererEvent, m: EventMessage) => handler(m);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
  // A guest's screen: one end of a new channel goes to main with the ticket, the other to the
  // page (a MessagePort cannot cross the context bridge; window.postMessage to this very window
  // is Electron's documented way, and reaches no other frame or window).
  openDisplay: (ticket) => {
    const { port1, port2 } = new MessageChannel();
    ipcRenderer.postMessage(DISPLAY_CHANNEL, { ticket: String(ticket) }, [port1]);
    window.postMessage({ guestbayDisplay: String(ticket) }, '*', [port2]);
  },
};

contextBridge.exposeInMainWorld('guestbayBridge', bridge);
