// The Guestbay folder in the app (issue 17), against the real API in-process: the wizard's
// "Share the Guestbay folder" ticked as the settings say, with its method and its cost on this
// host said before create (and the review's command and warnings following the tick); the Host
// page's folder setting, refused at the field for a bad path, saved to the file the CLI reads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostCaps } from '../../src/shared/host-caps';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

configure({ asyncUtilTimeout: 20_000 });

// QEMU 7.2's C virtiofsd, working: the folder goes over virtiofs and costs save.
const caps = (c: HostCaps): HostCaps => ({
  ...c,
  virtiofsd: { path: '/usr/lib/qemu/virtiofsd', flavour: 'c', version: '7.2', features: [], source: 'descriptor', sandbox: null, works: true, reason: null },
});

let ctx: Awaited<ReturnType<typeof realClient>>;
const settingsFile = () => join(ctx.world.home, 'config', 'guestbay', 'settings.json');

beforeEach(async () => {
  ctx = await realClient('gb-ui-folder-', { caps });
  // New guests get the folder, as a user's do (the suites' homes opt out).
  await writeFile(settingsFile(), '{}\n');
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

async function fill(user: ReturnType<typeof userEvent.setup>, testId: string, text: string) {
  const el = screen.getByTestId(testId);
  await user.clear(el);
  if (text) await user.type(el, text);
}

describe('wizard: Share the Guestbay folder', () => {
  it('is ticked, says the method and what it costs on this host, and the review follows the tick', async () => {
    location.hash = '#/new';
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    await user.click(await screen.findByTestId('wizard-os-linux'));
    await fill(user, 'field-name', 'folder');
    for (const marker of ['field-iso', 'wizard-firmware-uefi', 'field-disk-size', 'field-nic', 'field-guestbay-folder']) {
      await user.click(screen.getByTestId('wizard-next'));
      await screen.findByTestId(marker);
    }
    const box = screen.getByTestId('field-guestbay-folder') as HTMLInputElement;
    expect(box.checked).toBe(true);
    const folder = join(ctx.world.home, 'Guestbay Shared');
    expect(screen.getByTestId('wizard-guestbay-folder').textContent).toContain(`Share the Guestbay folder (${folder})`);
    expect(screen.getByTestId('wizard-guestbay-folder-method').textContent).toMatch(/sees it over virtiofs, as the share “guestbay”/);
    expect(screen.getByTestId('wizard-guestbay-folder-cost').textContent).toMatch(/virtiofs.*cannot be saved.*untick "Share the Guestbay folder" to keep save/);

    // Ticked: the review's command has the folder and its cost.
    await user.click(screen.getByTestId('wizard-next'));
    await screen.findByTestId('wizard-create');
    expect((await screen.findByTestId('wizard-review-command')).textContent).toContain('tag=guestbay');
    expect(screen.getByTestId('wizard-review-warnings').textContent).toMatch(/Guestbay folder is shared over virtiofs.*cannot be saved/);
    expect(screen.getByTestId('wizard-summary-shares').textContent).toContain(`the Guestbay folder ${folder} as “guestbay” (virtiofs)`);

    // Unticked: neither, and the guest is made without it.
    await user.click(screen.getByTestId('wizard-step-shares'));
    await user.click(await screen.findByTestId('field-guestbay-folder'));
    expect(screen.queryByTestId('wizard-guestbay-folder-cost')).toBeNull();
    expect(screen.getByTestId('wizard-guestbay-folder-off')).toBeTruthy();
    await user.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(screen.getByTestId('wizard-review-command').textContent).not.toContain('tag=guestbay'));
    expect(screen.queryByTestId('wizard-review-warnings')?.textContent ?? '').not.toMatch(/Guestbay folder/);
    await user.click(screen.getByTestId('wizard-create'));
    await waitFor(() => expect(location.hash).toBe('#/guest/folder'));
    expect((await ctx.client.call('guests.get', { name: 'folder' })).config.guestbayFolder).toBe(false);
  });

  it('starts unticked when the settings say new guests do not get it', async () => {
    await writeFile(settingsFile(), '{"newGuestsGetFolder": false}\n');
    location.hash = '#/new';
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    await user.click(await screen.findByTestId('wizard-os-linux'));
    await fill(user, 'field-name', 'nofolder');
    for (const marker of ['field-iso', 'wizard-firmware-uefi', 'field-disk-size', 'field-nic', 'field-guestbay-folder']) {
      await user.click(screen.getByTestId('wizard-next'));
      await screen.findByTestId(marker);
    }
    expect((screen.getByTestId('field-guestbay-folder') as HTMLInputElement).checked).toBe(false);
  });
});

describe('Host page: the Guestbay folder', () => {
  it('refuses a bad path at the field and writes nothing; saves a good one and the new-guest default to the CLI\'s file', async () => {
    location.hash = '#/host';
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    const section = await screen.findByTestId('host-guestbay-folder');
    const input = (await within(section).findByTestId('setting-shared-folder')) as HTMLInputElement;
    expect(input.value).toBe(join(ctx.world.home, 'Guestbay Shared'));
    const before = await readFile(settingsFile(), 'utf8');

    await fill(user, 'setting-shared-folder', 'relative/place');
    await user.click(screen.getByTestId('setting-shared-folder-save'));
    expect((await screen.findByTestId('setting-shared-folder-error')).textContent).toMatch(/absolute path/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(await readFile(settingsFile(), 'utf8')).toBe(before);

    const good = join(ctx.world.home, 'Shared with guests');
    await fill(user, 'setting-shared-folder', good);
    expect(screen.queryByTestId('setting-shared-folder-error')).toBeNull();
    await user.click(screen.getByTestId('setting-shared-folder-save'));
    await screen.findByTestId('setting-shared-folder-saved');
    expect(JSON.parse(await readFile(settingsFile(), 'utf8')).sharedFolder).toBe(good);
    expect(screen.getByTestId('setting-shared-folder-default')).toBeTruthy();

    const box = screen.getByTestId('setting-new-guests-get-folder') as HTMLInputElement;
    expect(box.checked).toBe(true);
    await user.click(box);
    await waitFor(async () => expect(JSON.parse(await readFile(settingsFile(), 'utf8')).newGuestsGetFolder).toBe(false));
    // The file is written before the call's answer reaches the page, which then shows it.
    await waitFor(() => expect(box.checked).toBe(false));

    await user.click(screen.getByTestId('setting-shared-folder-default'));
    await waitFor(() => expect(input.value).toBe(join(ctx.world.home, 'Guestbay Shared')));
    expect(JSON.parse(await readFile(settingsFile(), 'utf8')).sharedFolder).toBeUndefined();
  });
});
