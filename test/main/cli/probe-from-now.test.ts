// `guestbay start` begins the host probe as soon as the guest is found, so its file reads overlap
// the rest of the start's preparation (issue 18: the CLI's start); the first caller gets that
// answer, later callers a fresh probe.
import { describe, expect, it, vi } from 'vitest';

const calls: number[] = [];
vi.mock('../../../src/main/host/probe', () => ({
  probeHost: vi.fn(async () => {
    calls.push(calls.length + 1);
    return { probedAt: `probe ${calls.length}` };
  }),
}));

const { makeEnv, probeFromNow } = await import('../../../src/main/cli/common');

describe('probeFromNow', () => {
  it('probes at once, before anyone asks; the first ask gets that answer, the next a new probe', async () => {
    const e = makeEnv({ out: () => {}, err: () => {} }, { HOME: '/nonexistent' });
    const probe = probeFromNow(e);
    await vi.waitFor(() => expect(calls).toEqual([1]));
    expect(await probe()).toMatchObject({ probedAt: 'probe 1' });
    expect(calls).toEqual([1]);
    expect(await probe()).toMatchObject({ probedAt: 'probe 2' });
  });
});
