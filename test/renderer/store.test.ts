// The renderer's guests change status in one place (applyStatus / reduceStatus), whether the
// status comes from a `guest.state` event or from an action's answer, and always whole.
import { describe, expect, it } from 'vitest';
import type { EventName, GuestbayClient, GuestStatusDto } from '../../src/shared/contract';
import { createAppStore, reduceStatus, type GuestView } from '../../src/renderer/store';

function fakeClient(answers: Record<string, unknown>) {
  const handlers = new Map<string, (p: unknown) => void>();
  const calls: string[] = [];
  const client = {
    call: async (call: string) => {
      calls.push(call);
      return answers[call];
    },
    on: (event: EventName, h: (p: unknown) => void) => (handlers.set(event, h), () => handlers.delete(event)),
  } as unknown as GuestbayClient;
  return { client, calls, push: (event: EventName, payload: unknown) => handlers.get(event)?.(payload) };
}

const running: GuestStatusDto = { name: 'a', state: 'running', pid: 7, accel: 'tcg', savable: { ok: true } };

describe('reduceStatus', () => {
  it('replaces the status whole and ends the progress once the state settles', () => {
    const guests: GuestView[] = [
      { name: 'a', status: running, progress: { name: 'a', operation: 'stop', message: 'asking the guest to shut down' } },
      { name: 'b', status: { name: 'b', state: 'stopped' } },
    ];
    const stopping = reduceStatus(guests, { ...running, state: 'stopping' });
    expect(stopping[0]!.progress).toBeDefined();
    const stopped = reduceStatus(stopping, { name: 'a', state: 'stopped', detail: 'the guest shut down' });
    expect(stopped[0]).toEqual({ name: 'a', status: { name: 'a', state: 'stopped', detail: 'the guest shut down' }, progress: undefined });
    expect(stopped[1]).toBe(guests[1]);
  });
});

describe('the store', () => {
  it('takes a guest.state event whole, and lists the guests again for one it does not know', async () => {
    const f = fakeClient({ 'guests.list': [{ name: 'a', status: { name: 'a', state: 'stopped' } }] });
    const store = createAppStore(f.client, { hash: () => '' });
    const off = store.connect();
    await store.getState().loadGuests();
    f.push('guest.state', running);
    expect(store.getState().guests[0]!.status).toEqual(running);
    f.push('guest.state', { name: 'a', state: 'crashed', detail: 'QEMU killed by SIGKILL', logTail: 'last words' });
    expect(store.getState().guests[0]!.status).toEqual({ name: 'a', state: 'crashed', detail: 'QEMU killed by SIGKILL', logTail: 'last words' });
    f.calls.length = 0;
    f.push('guest.state', { name: 'new', state: 'starting' });
    expect(f.calls).toEqual(['guests.list']);
    off();
  });

  it('applies an action\'s answer the same way', async () => {
    const paused: GuestStatusDto = { ...running, state: 'paused' };
    const f = fakeClient({ 'guests.list': [{ name: 'a', status: running }], 'guests.pause': paused });
    const store = createAppStore(f.client, { hash: () => '' });
    await store.getState().loadGuests();
    await store.getState().act('a', 'pause');
    expect(store.getState().guests[0]!.status).toEqual(paused);
  });
});
