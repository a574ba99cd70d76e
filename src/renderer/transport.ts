// The one place that picks how the renderer reaches the main process: Electron's preload bridge
// when present, otherwise the headless server's WebSocket next to this page (/<token>/ws).
import { createClient, type Transport } from '../shared/client';
import type { GuestbayClient } from '../shared/contract';
import { wsTransport } from '../shared/ws-transport';

declare global {
  interface Window {
    guestbayBridge?: Transport;
  }
}

export function pickTransport(): Transport {
  if (window.guestbayBridge) return window.guestbayBridge;
  return wsTransport(new URL('ws', location.href).href.replace(/^http/, 'ws'));
}

export function defaultClient(): GuestbayClient {
  return createClient(pickTransport());
}
