// The one place that picks how the renderer reaches the main process: Electron's preload bridge
// when present, otherwise the headless server's WebSocket next to this page (/<token>/ws). A
// guest's screen takes the same road: the bridge's MessagePort, or a WebSocket at
// /<token>/display/<ticket>.
import { createClient, type Transport } from '../shared/client';
import type { GuestbayClient } from '../shared/contract';
import { wsTransport } from '../shared/ws-transport';
import { PortSocket, type CloseInfo } from './display/port-socket';
import { WsSocket } from './display/ws-socket';

/** What the desktop app's preload adds for screens (src/main/electron/preload.ts). */
export interface DisplayBridgeApi {
  /** Asks main for a channel to the ticket's screen; its port arrives as a window message `{ guestbayDisplay: ticket }`. */
  openDisplay(ticket: string): void;
}

declare global {
  interface Window {
    guestbayBridge?: Transport & Partial<DisplayBridgeApi>;
  }
}

export function pickTransport(): Transport {
  if (window.guestbayBridge) return window.guestbayBridge;
  return wsTransport(new URL('ws', location.href).href.replace(/^http/, 'ws'));
}

export function defaultClient(): GuestbayClient {
  return createClient(pickTransport());
}

/** A byte channel to a guest's screen, as noVNC takes it, and how to learn why it closed. */
export interface DisplayChannel {
  socket: WsSocket | PortSocket;
  onClosed(fn: (c: CloseInfo) => void): void;
}

/** Opens the channel for a ticket from `display.open`, over whichever road this page has. */
export function openDisplayChannel(ticket: string): Promise<DisplayChannel> {
  const bridge = window.guestbayBridge;
  if (bridge?.openDisplay) {
    const open = bridge.openDisplay;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        window.removeEventListener('message', onMessage);
        reject(new Error('The guest\'s screen did not arrive within 10 s. Close the view and open it again; if it keeps failing, restart Guestbay.'));
      }, 10_000);
      function onMessage(e: MessageEvent) {
        // Posted by our own preload to this very window, carrying the port for this ticket.
        if (e.source !== window || (e.data as { guestbayDisplay?: unknown } | null)?.guestbayDisplay !== ticket || !e.ports[0]) return;
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        const socket = new PortSocket(e.ports[0]);
        resolve({ socket, onClosed: (fn) => socket.addCloseListener(fn) });
      }
      window.addEventListener('message', onMessage);
      open(ticket);
    });
  }
  const url = new URL(`display/${ticket}`, location.href).href.replace(/^http/, 'ws');
  const socket = new WsSocket(new WebSocket(url));
  return Promise.resolve({ socket, onClosed: (fn) => socket.addCloseListener(fn) });
}
