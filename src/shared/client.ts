// The typed client over any transport: Electron's preload bridge or the headless WebSocket.
// The renderer holds a GuestbayClient and cannot tell which one it has.
import { CallError } from './call-error';
import type { CallName, EventMessage, EventName, GuestbayClient, Reply } from './contract';

/** What a transport provides: one request/response function and one event stream. */
export interface Transport {
  request(call: string, input: unknown): Promise<Reply>;
  subscribe(handler: (message: EventMessage) => void): () => void;
}

export function createClient(transport: Transport): GuestbayClient {
  const handlers = new Map<EventName, Set<(payload: never) => void>>();
  let unsubscribe: (() => void) | undefined;
  const ensureSubscribed = () => {
    unsubscribe ??= transport.subscribe((m) => {
      for (const h of handlers.get(m.event) ?? []) (h as (p: unknown) => void)(m.payload);
    });
  };
  return {
    async call(call: CallName, input: unknown) {
      const r = await transport.request(call, input);
      if (!r.ok) throw new CallError(call, r.error);
      return r.output as never;
    },
    on(event, handler) {
      ensureSubscribed();
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return () => {
        set.delete(handler as (payload: never) => void);
      };
    },
  } as GuestbayClient;
}
