// Issue 12 item 12 in the app: the guest page's CPU and memory settings saved 99 cores and
// 200 GiB on a 2-thread, 23.5 GiB host, and a blank memory field showed zod's own words. The
// page now checks with the wizard's limits and shows each message next to its field; what
// only the server can know (it answers for the same fields) lands there too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type Transport } from '../../src/shared/client';
import type { HostCaps } from '../../src/shared/host-caps';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;
// The reporter's host: 2 threads, 23.5 GiB, whatever machine runs the test.
const small = { caps: (c: HostCaps): HostCaps => ({ ...c, cpu: { ...c.cpu, threads: 2 }, memory: { totalMiB: 24064, availableMiB: 20000 } }) };

beforeEach(async () => {
  ctx = await realClient('gb-ui-settings-', small);
  await ctx.client.call('guests.create', { preset: 'linux', name: 'deb', diskSize: '1G' });
  location.hash = '#/guest/deb/settings/cpu';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

async function openSettings(client = ctx.client) {
  const user = userEvent.setup();
  render(<Root client={client} />);
  await screen.findByTestId('settings-section-cpu');
  return user;
}

async function fill(user: ReturnType<typeof userEvent.setup>, testId: string, text: string) {
  await user.clear(screen.getByTestId(testId));
  if (text) await user.type(screen.getByTestId(testId), text);
}

const vmJson = () => readFile(join(ctx.world.store.dirs('deb').dir, 'vm.json'));

describe('guest page settings', () => {
  it('refuses 99 cores and 200 GiB next to each field, in the wizard\'s words, and saves nothing', async () => {
    const before = await vmJson();
    await ctx.client.call('host.probe', {}); // the app's own probe then answers at once
    const user = await openSettings();
    await fill(user, 'settings-cores', '99');
    await fill(user, 'settings-memory', '200');
    await user.click(screen.getByTestId('settings-save-cpu'));
    expect((await screen.findByTestId('settings-cores-error')).textContent).toBe('This computer has 2 threads: give the guest at most 2 cores.');
    expect(screen.getByTestId('settings-memory-error').textContent).toMatch(/^This computer has 23\.5 GiB of memory in all: give the guest less/);
    expect(screen.getByTestId('settings-cores').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('error')).toBeNull();
    // Checked on the page, with the host's numbers: nothing was even sent.
    expect(ctx.calls).not.toContain('guests.update');
    expect(await vmJson()).toEqual(before);
  });

  it('says what to type for a blank or wrong value: no schema text', async () => {
    const user = await openSettings();
    await fill(user, 'settings-cores', 'two');
    await fill(user, 'settings-memory', '');
    await user.click(screen.getByTestId('settings-save-cpu'));
    expect((await screen.findByTestId('settings-cores-error')).textContent).toBe('Cores must be a whole number, like 2.');
    expect(screen.getByTestId('settings-memory-error').textContent).toBe('Memory must be a number of GiB, like 4 or 0.5.');
    expect(document.body.textContent).not.toMatch(/Invalid input|expected number|MemoryMiB/);
  });

  it('shows the server\'s refusal next to the field when the page could not know (no host numbers yet)', async () => {
    // A transport that never answers the probe: the page cannot check against the host.
    const base: Transport = {
      request: (c, i) => (c === 'host.probe' ? new Promise(() => {}) : ctx.world.api.dispatch(c, JSON.parse(JSON.stringify(i ?? {})))),
      subscribe: () => () => {},
    };
    const user = await openSettings(createClient(base));
    await fill(user, 'settings-cores', '99');
    await user.click(screen.getByTestId('settings-save-cpu'));
    // The server's answer waits for this world's first host probe (QEMU's listings): more than findBy's second on a loaded machine.
    expect((await screen.findByTestId('settings-cores-error', {}, { timeout: 10_000 })).textContent).toBe('This computer has 2 threads: give the guest at most 2 cores.');
    expect(screen.queryByTestId('settings-memory-error')).toBeNull();
  });

  it('saves what fits, and the page shows it', async () => {
    const user = await openSettings();
    await fill(user, 'settings-cores', '2');
    await fill(user, 'settings-memory', '1.5');
    await user.click(screen.getByTestId('settings-save-cpu'));
    await waitFor(() => expect(screen.queryByTestId('settings-save-cpu')).toBeNull());
    expect(JSON.parse((await vmJson()).toString())).toMatchObject({ cpu: { cores: 2 }, memoryMiB: 1536 });
    // The page's header follows the saved config.
    expect(screen.getByTestId('settings-saved').textContent).toMatch(/Saved/);
    expect(document.querySelector('.guest-sub')!.textContent).toMatch(/2 cores · 1\.5 GiB/);
  });

  it('memory in a file: said with its cost at the memory typed, saved on and off (absent when off)', async () => {
    await ctx.client.call('host.probe', {});
    const user = await openSettings();
    const box = screen.getByTestId('settings-memory-file') as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fill(user, 'settings-memory', '1.5');
    expect(screen.getByTestId('settings-memory-file-why').textContent).toMatch(/uses 1\.5 GiB of disk in the guest’s folder; the host writes the guest’s changed memory to disk while it runs/);
    await user.click(box);
    await user.click(screen.getByTestId('settings-save-cpu'));
    await waitFor(() => expect(screen.queryByTestId('settings-save-cpu')).toBeNull());
    expect(JSON.parse((await vmJson()).toString())).toMatchObject({ memoryMiB: 1536, memoryFile: true });
    await user.click(screen.getByTestId('settings-memory-file'));
    await user.click(screen.getByTestId('settings-save-cpu'));
    await waitFor(() => expect(screen.queryByTestId('settings-save-cpu')).toBeNull());
    expect(JSON.parse((await vmJson()).toString())).not.toHaveProperty('memoryFile');
  });
});
