// A GuestbayClient whose transport calls the real API in-process (Store + Supervisor in a
// private HOME), with a JSON round trip as the wire would do.
import { createClient, type Transport } from '../../src/shared/client';
import type { GuestbayClient } from '../../src/shared/contract';
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
