// Guests marked autostart start with Guestbay: those at rest, each failure said, the rest still started.
import { describe, expect, it, vi } from 'vitest';
import { startAutostartGuests } from '../../../src/main/desktop/autostart-guests';

describe('autostart guests', () => {
  it('starts the guests at rest that ask for it, and says which could not start', async () => {
    const states: Record<string, string> = { a: 'stopped', b: 'running', c: 'saved', d: 'stopped', e: 'crashed' };
    const sup = {
      store: {
        list: async () => [
          { name: 'a', config: { autostart: true } },
          { name: 'b', config: { autostart: true } },
          { name: 'c', config: { autostart: true, title: 'Cee' } },
          { name: 'd', config: { autostart: false } },
          { name: 'e', config: { autostart: true, title: 'Broken' } },
          { name: 'f', error: 'damaged' },
        ],
      },
      status: async (n: string) => ({ name: n, state: states[n] }),
      start: vi.fn(async (n: string) => {
        if (n === 'e') throw new Error('QEMU was not found');
        return { name: n, state: 'running' };
      }),
    };
    const said: string[] = [];
    const started = await startAutostartGuests(sup as never, (m) => said.push(m));
    expect(started).toEqual(['a', 'c']);
    expect(sup.start.mock.calls.map((c) => c[0])).toEqual(['a', 'c', 'e']);
    expect(said).toEqual(['guestbay: could not start Broken (autostart): QEMU was not found']);
  });
});
