// The browser's transport to the headless server: requests with ids over one WebSocket, events
// pushed; reconnects with backoff, failing pending calls on a lost connection. No DOM or Node
// types here (src/shared): the WebSocket constructor comes from the caller's global.
import type { EventMessage, Reply } from './contract';
import type { Transport } from './client';

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
type SocketCtor = new (url: string) => SocketLike;
declare const setTimeout: (fn: () => void, ms: number) => unknown;

export function wsTransport(url: string, Ctor: SocketCtor = (globalThis as unknown as { WebSocket: SocketCtor }).WebSocket): Transport {
  let socket: SocketLike | undefined;
  let ready: Promise<SocketLike> | undefined;
  let nextId = 1;
  let backoff = 250;
  const pending = new Map<number, (r: Reply) => void>();
  const handlers = new Set<(m: EventMessage) => void>();

  const connect = (): Promise<SocketLike> =>
    (ready ??= new Promise((resolve) => {
      const s = new Ctor(url);
      s.onopen = () => {
        backoff = 250;
        socket = s;
        resolve(s);
      };
      s.onmessage = (ev) => {
        const m = JSON.parse(String(ev.data)) as ({ id: number } & Reply) | EventMessage;
        if ('event' in m) for (const h of handlers) h(m);
        else pending.get(m.id)?.(m);
        if ('id' in m) pending.delete(m.id);
      };
      s.onclose = () => {
        socket = undefined;
        ready = undefined;
        for (const [id, done] of pending) done({ ok: false, error: { name: 'Disconnected', message: 'the connection to Guestbay was lost' } });
        pending.clear();
        // Keep the event stream alive: reconnect with growing pauses.
        if (handlers.size) setTimeout(() => void connect(), (backoff = Math.min(backoff * 2, 5000)));
      };
    }));

  return {
    async request(call, input) {
      const s = socket ?? (await connect());
      const id = nextId++;
      return new Promise<Reply>((resolve) => {
        pending.set(id, resolve);
        s.send(JSON.stringify({ id, call, input }));
      });
    },
    subscribe(handler) {
      handlers.add(handler);
      void connect();
      return () => handlers.delete(handler);
    },
  };
}
