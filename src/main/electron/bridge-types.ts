// What the preload puts on `window`, for the renderer: absent under the headless mode, where the
// renderer uses the WebSocket transport instead.
import type { Transport } from '../../shared/client';

declare global {
  interface Window {
    guestbayBridge?: Transport;
  }
}

export {};
