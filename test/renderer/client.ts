// A GuestbayClient whose transport calls the real API in-process (Store + Supervisor in a
// private HOME), with a JSON round trip as the wire would do.
import { createClient, type Transport } from '../../src/shared/client';
import type { EventMessage, GuestbayClient } from '../../src/shared/contract';
import { apiWorld, type ApiWorldOptions } from '../helpers/api';

export async function realClient(prefix = 'gb-ui-', o: ApiWorldOptions = {}): Promise<{ client: GuestbayClient; world: Awaited<ReturnType<typeof apiWorld>>; calls: string[] }> {
  const world = await apiWorld(prefix, o);
  const calls: string[] = [];
  const transport: Transport = {
    async request(call, input) {
      calls.push(call);
      const reply = await world.api.dispatch(call, JSON.parse(JSON.stringify(input ?? {})));
      return JSON.parse(JSON.stringify(reply));
    },
    subscribe(handler) {
      return world.api.onEvent((m) => handler(JSON.parse(JSON.stringify(m))));
    },
  };
  return { client: createClient(transport), world, calls };
}

/**
 * A client over the same in-process API whose test can push events as if the server sent them
 * (`push`), answer chosen calls itself (`answer`), and wait until the first guests.list has been
 * answered (`listed`: the list's statuses are in, so events pushed after it are not overtaken).
 * `realEvents`: the API's own events reach the page too.
 */
export function steerableClient(
  world: Awaited<ReturnType<typeof apiWorld>>,
  o: { realEvents?: boolean; answer?: Partial<Record<string, unknown>> } = {},
): { client: GuestbayClient; push: (m: EventMessage) => void; listed: Promise<void> } {
  const pushers = new Set<(m: EventMessage) => void>();
  let resolveListed!: () => void;
  const listed = new Promise<void>((r) => (resolveListed = r));
  const transport: Transport = {
    request: async (call, input) => {
      if (o.answer && call in o.answer) return { ok: true, output: o.answer[call] };
      const out = await world.api.dispatch(call, JSON.parse(JSON.stringify(input ?? {})));
      if (call === 'guests.list') setTimeout(resolveListed, 0);
      return out;
    },
    subscribe: (h) => {
      pushers.add(h);
      const off = o.realEvents ? world.api.onEvent(h) : () => {};
      return () => (pushers.delete(h), off());
    },
  };
  return { client: createClient(transport), push: (m) => { for (const h of pushers) h(m); }, listed };
}
