// "Disks and snapshots" on the guest page and Import on the library, against the real API
// in-process with real qemu-img (no guest is started): the disk with its size, grow and a shrink
// that asks first; the snapshot tree (take two, revert, see "now" move, delete); a linked clone
// that opens the new guest, whose disk sits on the base; a VirtualBox machine imported with its
// report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-disks-');
});
afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

describe('disks and snapshots on the guest page', () => {
  it('resizes, takes and reverts snapshots in a tree, and makes a linked clone', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'gold', diskSize: '64M' });
    location.hash = '#/guest/gold/disks';
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    const disk = await screen.findByTestId('disk-system', {}, { timeout: 10_000 });
    expect(disk.textContent).toMatch(/Disk system qcow2, 64 MiB/);

    await user.type(screen.getByTestId('disk-size-system'), '128M');
    await user.click(screen.getByTestId('disk-resize-system'));
    await waitFor(() => expect(screen.getByTestId('disks-done').textContent).toMatch(/64 MiB → 128 MiB/));
    await user.clear(screen.getByTestId('disk-size-system'));
    await user.type(screen.getByTestId('disk-size-system'), '64M');
    await user.click(screen.getByTestId('disk-resize-system'));
    expect((await screen.findByTestId('disk-shrink-confirm')).textContent).toMatch(/cuts off its last 64 MiB/);
    await user.click(screen.getByTestId('disk-shrink-go'));
    await waitFor(() => expect(screen.getByTestId('disks-done').textContent).toMatch(/128 MiB → 64 MiB/));

    expect(screen.getByTestId('snapshots-empty')).toBeTruthy();
    for (const tag of ['clean', 'tools']) {
      await user.type(screen.getByTestId('snapshot-tag'), tag);
      await user.click(screen.getByTestId('snapshot-create'));
      await screen.findByTestId(`snapshot-${tag}`);
    }
    // "tools" was taken on "clean": a child in the tree, and where the guest is now.
    const clean = screen.getByTestId('snapshot-clean');
    expect(within(clean).getByTestId('snapshot-tools')).toBeTruthy();
    await screen.findByTestId('snapshot-now-tools');
    await user.click(screen.getByTestId('snapshot-revert-clean'));
    await screen.findByTestId('snapshot-now-clean');
    await user.click(screen.getByTestId('snapshot-delete-tools'));
    await waitFor(() => expect(screen.queryByTestId('snapshot-tools')).toBeNull());

    await user.type(screen.getByTestId('clone-name'), 'twig');
    await user.click(screen.getByTestId('clone-go'));
    await waitFor(() => expect(location.hash).toBe('#/guest/twig/disks'), { timeout: 10_000 });
    expect((await screen.findByTestId('disk-chain-system', {}, { timeout: 10_000 })).textContent).toMatch(/on the base “gold”/);
  });
});

describe('import on the library', () => {
  it('imports a VirtualBox machine and shows what was copied and what was not carried over', async () => {
    const dir = join(ctx.world.home, 'vbox');
    await mkdir(dir);
    await copyFile(join(__dirname, '../fixtures/import/virtualbox-debian.vbox'), join(dir, 'deb.vbox'));
    await execa('qemu-img', ['create', '-q', '-f', 'vdi', join(dir, 'Debian 12.vdi'), '16M']);
    location.hash = '#/';
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    await user.click(await screen.findByTestId('library-import'));
    // The dialog is its own chunk (loaded on the click): waited for.
    await user.type(await screen.findByTestId('import-path'), join(dir, 'deb.vbox'));
    await user.click(screen.getByTestId('import-go'));
    const result = await screen.findByTestId('import-result', {}, { timeout: 10_000 });
    expect(result.textContent).toMatch(/Imported Debian 12 from VirtualBox/);
    expect(result.textContent).toMatch(/Copied .*Debian 12\.vdi/);
    expect(screen.getByTestId('import-not-carried').textContent).toMatch(/UEFI variables/);
    await screen.findByTestId('guest-card-Debian-12');
    await user.click(screen.getByTestId('import-open'));
    expect(location.hash).toBe('#/guest/Debian-12');
  });
});
