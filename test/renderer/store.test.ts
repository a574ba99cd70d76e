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

describe('guests.changed in the store', () => {
  const config = (name: string, memoryMiB = 1024) => ({ name, memoryMiB }) as never;
  it('adds, replaces, renames and removes guests from events alone, in name order, no refetch', () => {
    const { client, calls, push } = fakeClient({});
    const store = createAppStore(client, { hash: () => '#/guest/b' });
    const off = store.connect();
    store.setState({ guests: [{ name: 'b', config: config('b'), revision: 'r1', status: { name: 'b', state: 'running' } }], selected: 'b' });
    push('guests.changed', { change: 'created', name: 'a', config: config('a'), revision: 'r2', status: { name: 'a', state: 'stopped' } });
    expect(store.getState().guests.map((g) => g.name)).toEqual(['a', 'b']);
    push('guests.changed', { change: 'changed', name: 'b', config: config('b', 2048), revision: 'r3' });
    expect(store.getState().guests[1]).toMatchObject({ name: 'b', revision: 'r3', config: { memoryMiB: 2048 }, status: { state: 'running' } });
    push('guests.changed', { change: 'renamed', name: 'c', oldName: 'b', config: config('c', 2048), revision: 'r4' });
    expect(store.getState().guests.map((g) => g.name)).toEqual(['a', 'c']);
    // The selection and the open guest page follow the rename.
    expect(store.getState().selected).toBe('c');
    expect(store.getState().route).toEqual({ page: 'guest', name: 'c' });
    push('guests.changed', { change: 'damaged', name: 'a', error: 'its configuration cannot be read' });
    expect(store.getState().guests[0]).toEqual({ name: 'a', error: 'its configuration cannot be read' });
    push('guests.changed', { change: 'deleted', name: 'a' });
    expect(store.getState().guests.map((g) => g.name)).toEqual(['c']);
    expect(calls).toEqual([]);
    off();
  });
});
