// The shared folder's line on the guest page (issue 17, item 4) over a small fake client (the
// qemu test proves the states against a real guest's agent): mounted, with where; not mounted,
// with the exact command and a copy button, and the guest tools to insert; the line follows
// the agent's answers as they change.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createStore } from 'zustand';
import { createClient, type Transport } from '../../src/shared/client';
import type { SharedFoldersStatus } from '../../src/shared/contract-guest-tools';
import { SharedFolderStatus } from '../../src/renderer/components/SharedFolderStatus';
import { AppContext, type AppState } from '../../src/renderer/store';

afterEach(cleanup);

const COMMAND = 'sudo mkdir -p /mnt/guestbay && sudo mount -t virtiofs guestbay /mnt/guestbay';
const share = (mounted: boolean | null) => ({ tag: 'guestbay', method: 'virtiofs' as const, mounted, mountpoint: mounted ? '/mnt/guestbay' : null, target: '/mnt/guestbay', command: COMMAND });

function setup(first: SharedFoldersStatus) {
  let answer = first;
  const calls: [string, unknown][] = [];
  const transport: Transport = {
    request: async (call, input) => {
      calls.push([call, input]);
      if (call === 'guests.tools') return { ok: true, output: { path: '/g/guest-tools.img', files: ['README.txt'], inserted: true, appliedLive: ['Plugged in USB disk guesttools'], message: 'The guest tools are plugged in as a USB stick labelled GUESTTOOLS.' } };
      return { ok: true, output: answer };
    },
    subscribe: () => () => {},
  };
  const client = createClient(transport);
  const store = createStore<AppState>()(() => ({}) as AppState);
  render(
    <AppContext.Provider value={{ client, store }}>
      <SharedFolderStatus name="work" running everyMs={50} />
    </AppContext.Provider>,
  );
  return { calls, set: (s: SharedFoldersStatus) => (answer = s) };
}

describe('the shared folder on the guest page', () => {
  it('not mounted: the exact command with a copy button, and the guest tools; then mounted once the agent says so', async () => {
    const user = userEvent.setup();
    const writes: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void writes.push(t) }, configurable: true });
    const f = setup({ running: true, agent: true, family: 'linux', shares: [share(false)] });
    const line = await screen.findByTestId('share-guestbay');
    expect(line.getAttribute('data-mounted')).toBe('no');
    expect(line.textContent).toContain('The Guestbay folder is not mounted in the guest.');
    expect(screen.getByTestId('share-command-guestbay').textContent).toBe(COMMAND);
    await user.click(screen.getByTestId('share-copy-guestbay'));
    expect(writes).toEqual([COMMAND]);
    await user.click(screen.getByTestId('guest-tools-insert'));
    expect((await screen.findByTestId('guest-tools-result')).textContent).toMatch(/USB stick labelled GUESTTOOLS/);
    expect(f.calls).toContainEqual(['guests.tools', { name: 'work', insert: true }]);

    f.set({ running: true, agent: true, family: 'linux', shares: [share(true)] });
    await waitFor(() => expect(screen.getByTestId('share-guestbay').getAttribute('data-mounted')).toBe('yes'));
    expect(screen.getByTestId('share-guestbay').textContent).toBe('The Guestbay folder is mounted in the guest at /mnt/guestbay (virtiofs).');
    expect(screen.queryByTestId('share-command-guestbay')).toBeNull();
    expect(screen.queryByTestId('guest-tools-insert')).toBeNull();
  });

  it('without an agent: the command, and why Guestbay cannot tell', async () => {
    setup({ running: true, agent: false, family: 'linux', shares: [share(null)] });
    const line = await screen.findByTestId('share-guestbay');
    expect(line.getAttribute('data-mounted')).toBe('unknown');
    expect(line.textContent).toMatch(/once the guest runs its agent/);
    expect(screen.getByTestId('share-command-guestbay').textContent).toBe(COMMAND);
  });
});
