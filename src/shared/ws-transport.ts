// The browser's transport to the headless server: requests with ids over one WebSocket, events
// pushed. A lost connection fails every pending call at once (the caller decides whether to
// retry: a `guests.start` must not run twice behind the user's back) and, while anyone listens
// for events, is re-established with growing pauses. No DOM or Node types here (src/shared):
// the WebSocket constructor is the caller's global, or passed in.
import type { Transport } from './client';
import type { EventMessage, Reply } from './contract';

/** The part of the browser's WebSocket this transport uses (the `ws` package has it too). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketCtor = new (url: string) => SocketLike;

export interface WsTransportOptions {
  /** Defaults to the global WebSocket. */
  WebSocket?: SocketCtor;
  /** First pause before reconnecting; doubles up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface WsTransport extends Transport {
  /** Closes the connection and stops reconnecting; later requests fail. */
  close(): void;
}

declare const setTimeout: (fn: () => void, ms: number) => unknown;
declare const clearTimeout: (t: unknown) => void;

const OPEN = 1;
const disconnected = (message: string): Reply => ({ ok: false, error: { name: 'Disconnected', message } });

export function wsTransport(url: string, o: WsTransportOptions = {}): WsTransport {
  const Ctor = o.WebSocket ?? (globalThis as unknown as { WebSocket: SocketCtor }).WebSocket;
  const minBackoff = o.minBackoffMs ?? 250;
  const maxBackoff = o.maxBackoffMs ?? 5000;
  let socket: SocketLike | undefined;
  let opening: Promise<SocketLike> | undefined;
  let timer: unknown;
  let backoff = minBackoff;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, (r: Reply) => void>();
  const handlers = new Set<(m: EventMessage) => void>();

  const scheduleReconnect = () => {
    if (closed || timer !== undefined || handlers.size === 0) return;
    const wait = backoff;
    backoff = Math.min(backoff * 2, maxBackoff);
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch(() => {}); // its close schedules the next try
    }, wait);
  };

  const onMessage = (data: unknown) => {
    let m: unknown;
    try {
      m = JSON.parse(String(data));
    } catch {
      return; // not ours to crash on
    }
    if (typeof m !== 'object' || m === null) return;
    if ('event' in m && typeof m.event === 'string') {
      for (const h of [...handlers]) h(m as EventMessage);
    } else if ('id' in m && typeof m.id === 'number') {
      const done = pending.get(m.id);
      pending.delete(m.id);
      const { id: _id, ...reply } = m as { id: number } & Reply;
      done?.(reply as Reply);
    }
  };

  function connect(): Promise<SocketLike> {
    if (closed) return Promise.reject(new Error('closed'));
    if (opening) return opening;
    let s: SocketLike;
    try {
      s = new Ctor(url);
    } catch (e) {
      scheduleReconnect();
      return Promise.reject(e);
    }
    socket = s;
    opening = new Promise<SocketLike>((resolve, reject) => {
      let wasOpen = false;
      s.onopen = () => {
        wasOpen = true;
        backoff = minBackoff;
        resolve(s);
      };
      s.onmessage = (ev) => onMessage(ev.data);
      s.onerror = () => {}; // a close always follows
      s.onclose = () => {
        if (socket !== s) return;
        socket = undefined;
        opening = undefined;
        if (!wasOpen) reject(new Error('the connection to Guestbay could not be opened'));
        const lost = [...pending.values()];
        pending.clear();
        for (const done of lost) done(disconnected('the connection to Guestbay was lost'));
        scheduleReconnect();
      };
    });
    return opening;
  }

  return {
    async request(call, input) {
      let s: SocketLike;
      try {
        s = socket?.readyState === OPEN ? socket : await connect();
      } catch {
        return disconnected(closed ? 'the connection to Guestbay is closed' : 'Guestbay is not reachable');
      }
      const id = nextId++;
      return new Promise<Reply>((resolve) => {
        pending.set(id, resolve);
        try {
          s.send(JSON.stringify({ id, call, input }));
        } catch {
          pending.delete(id);
          resolve(disconnected('the connection to Guestbay was lost'));
        }
      });
    },
    subscribe(handler) {
      handlers.add(handler);
      if (!socket) connect().catch(() => {});
      return () => {
        handlers.delete(handler);
      };
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      socket?.close();
    },
  };
}
