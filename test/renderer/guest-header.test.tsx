// The guest page's header says the cores and memory the guest has: while it runs, what it was
// started with (guests.pending's `runs`, from its run record), with each saved value it gets only
// at its next start marked beside it; stopped, the saved config.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import type { PendingChanges } from '../../src/shared/contract';
import { Root } from '../../src/renderer/Root';
import { realClient, steerableClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-header-');
  location.hash = '#/guest/alpha';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

describe('the guest header', () => {
  it('shows what the running guest has, and marks what waits for the next start', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'alpha', diskSize: '64M', overrides: { cores: 1, memoryMiB: 512 } });
    // The guest runs with 384 MiB; 512 MiB was saved since.
    const pending: PendingChanges = { changes: [{ field: 'memoryMiB', label: 'memory' }], running: 'qemu -m 384M', next: 'qemu -m 512M', lines: [], runs: { cores: 1, memoryMiB: 384 } };
    const { client, push: pushEvent, listed } = steerableClient(ctx.world, { answer: { 'guests.pending': pending } });
    render(<Root client={client} />);
    await screen.findByTestId('guest-page-alpha');
    await act(() => listed); // the list's statuses are in: the events below come after them
    await waitFor(() => expect(screen.getByTestId('guest-resources').textContent).toBe('1 core · 512 MiB'));
    const push = (state: 'running' | 'stopped') =>
      act(() => {
        pushEvent({ event: 'guest.state', payload: { name: 'alpha', state, pid: state === 'running' ? 4242 : undefined } });
      });
    push('running');
    await waitFor(() => expect(screen.getByTestId('guest-resources').textContent).toBe('1 core · 384 MiB (512 MiB at next start)'));
    expect(screen.getByTestId('pending-chip').textContent).toMatch(/1 change at next start/);
    push('stopped');
    await waitFor(() => expect(screen.getByTestId('guest-resources').textContent).toBe('1 core · 512 MiB'));
    expect(screen.queryByTestId('guest-resources-next')).toBeNull();
  });
});
