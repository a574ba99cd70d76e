// The renderer's only door to the main process, exposed through the context bridge: a generic
// request and an event subscription, matching `Transport`. No logic lives here — the contract,
// validation and sender checks are in the main process. Bundled to CommonJS, since a sandboxed
// preload can `require('electron')` and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Transport } from '../../shared/client';
import type { EventMessage } from '../../shared/contract';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';

const bridge: Transport = {
  request: (call, input) => ipcRenderer.invoke(CALL_CHANNEL, { call, input }),
  subscribe: (handler) => {
    const listener = (_e: IpcRendererEvent, m: EventMessage) => handler(m);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('guestbayBridge', bridge);
