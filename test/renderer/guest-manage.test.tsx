// The guest page as a manager (issue 14, items 1/2, 5, 7) against the real API in-process: the
// port-forward editor refuses a malformed forward at its field and binds 127.0.0.1; a disc is
// inserted and ejected; the USB picker lists what is plugged in (a sysfs fixture) by
// vendor:product and passes it; a disk is added and removed with its file kept unless the user
// says otherwise; a change made elsewhere meanwhile is a conflict that names it and reloads; Delete
// keeps the disk images unless asked; a damaged guest's page offers only what can be done.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listUsbDevices } from '../../src/main/host/usb';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

// Calls that create images or write vm.json take a while on a shared machine: wait, never time.
configure({ asyncUtilTimeout: 10_000 });

const USB_TREE = join(__dirname, '../fixtures/host/trees/usb-desktop');
let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-manage-', { hostUsb: () => listUsbDevices({ root: USB_TREE }) });
  await ctx.client.call('guests.create', { preset: 'linux', name: 'deb', diskSize: '64M' });
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

const dir = () => ctx.world.store.dirs('deb').dir;
const vmJson = () => readFile(join(dir(), 'vm.json'));
const config = async () => (await ctx.client.call('guests.get', { name: 'deb' })).config;
const exists = (p: string) => access(p).then(() => true, () => false);

function open(path: string) {
  location.hash = `#/guest/deb${path}`;
  render(<Root client={ctx.client} />);
  return userEvent.setup();
}

describe('the guest page as a manager', () => {
  it('the forward editor refuses a malformed port at its field, and adds a forward on 127.0.0.1', async () => {
    const user = open('/settings/network');
    const before = await vmJson();
    await user.type(await screen.findByTestId('settings-forward-host-port'), '70000');
    await user.type(screen.getByTestId('settings-forward-guest-port'), '22');
    await user.click(screen.getByTestId('forward-add'));
    expect((await screen.findByTestId('settings-forward-host-port-error')).textContent).toMatch(/^[A-Z].*65535/);
    expect(await vmJson()).toEqual(before);
    expect(ctx.calls).not.toContain('guests.forwards.add');
    await user.clear(screen.getByTestId('settings-forward-host-port'));
    await user.type(screen.getByTestId('settings-forward-host-port'), '2222');
    await user.click(screen.getByTestId('forward-add'));
    expect((await screen.findByTestId('forward-tcp-2222')).textContent).toContain('127.0.0.1:2222');
    expect((await config()).network.portForwards).toEqual([{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }]);
    await user.click(screen.getByTestId('forward-remove-tcp-2222'));
    await waitFor(() => expect(screen.queryByTestId('forward-tcp-2222')).toBeNull());
    expect((await config()).network.portForwards).toEqual([]);
  });

  it('inserts a disc in a new drive and ejects it, the drive staying', async () => {
    const iso = join(ctx.world.home, 'disc.iso');
    await writeFile(iso, Buffer.alloc(64 * 1024));
    const user = open('/settings/media');
    await user.click(await screen.findByTestId('media-insert-new'));
    expect((await screen.findByTestId('settings-media-new-error')).textContent).toMatch(/^Pick a disc image/);
    await user.type(screen.getByTestId('settings-media-new'), iso);
    await user.click(screen.getByTestId('media-insert-new'));
    const drive = (await config()).media.find((m) => m.path === iso);
    await waitFor(async () => expect((await config()).media.some((m) => m.path === iso)).toBe(true));
    const id = (await config()).media.find((m) => m.path === iso)?.id ?? drive?.id;
    expect((await screen.findByTestId(`media-${id}-path`)).textContent).toBe(iso);
    await user.click(screen.getByTestId(`media-eject-${id}`));
    await waitFor(() => expect(screen.getByTestId(`media-${id}-path`).textContent).toBe('Empty'));
    const after = (await config()).media.find((m) => m.id === id);
    expect(after).toBeDefined();
    expect(after!.path).toBeUndefined();
  });

  it('the USB picker lists the plugged devices by vendor:product (no hubs) and passes one to the guest', async () => {
    const user = open('/settings/usb');
    const picker = await screen.findByTestId('usb-picker');
    const receiver = await within(picker).findByTestId(/usb-host-046d-c52b/i);
    expect(receiver.textContent).toMatch(/046d:c52b/i);
    expect(within(picker).queryByTestId(/usb-host-05e3-0610/i)).toBeNull(); // a hub
    await user.click(within(picker).getByTestId(/usb-attach-046d-c52b/i));
    await screen.findByTestId(/^usb-046d-c52b$/i);
    expect((await config()).usb.hostDevices).toEqual([expect.objectContaining({ vendorId: expect.stringMatching(/^046d$/i), productId: expect.stringMatching(/^c52b$/i) })]);
  });

  it('adds a disk, refuses a bad size at its field, and removes it keeping its file unless told to delete it', async () => {
    const user = open('/settings/disks');
    const size = await screen.findByTestId('settings-disk-add-size');
    await user.clear(size);
    await user.type(size, 'lots');
    const before = await vmJson();
    await user.click(screen.getByTestId('disk-add'));
    expect((await screen.findByTestId('settings-disk-add-size-error')).textContent).toMatch(/"lots" is not a size/);
    expect(await vmJson()).toEqual(before);
    await user.clear(size);
    await user.type(size, '32M');
    await user.click(screen.getByTestId('disk-add'));
    await waitFor(async () => expect((await config()).disks).toHaveLength(2));
    const added = (await config()).disks[1]!;
    const file = join(dir(), added.path);
    expect(await exists(file)).toBe(true);

    // Remove, keeping the file (the default).
    await user.click(await screen.findByTestId(`disk-remove-${added.id}`));
    const dialog = await screen.findByTestId('disk-remove-dialog');
    expect((within(dialog).getByTestId('disk-remove-keep') as HTMLInputElement).checked).toBe(true);
    await user.click(within(dialog).getByTestId('disk-remove-confirm'));
    expect((await screen.findByTestId('disk-remove-done')).textContent).toMatch(/kept/);
    expect((await config()).disks).toHaveLength(1);
    expect(await exists(file)).toBe(true);
  });

  it('a change made elsewhere meanwhile is a conflict that names it, and Reload shows the guest as it is', async () => {
    const user = open('/settings/cpu');
    const mem = await screen.findByTestId('settings-memory');
    await user.clear(mem);
    await user.type(mem, '1.5');
    // Another client (the CLI, another tab) changes the title meanwhile.
    const now = await ctx.client.call('guests.get', { name: 'deb' });
    await ctx.client.call('guests.update', { name: 'deb', revision: now.revision, config: { ...now.config, title: 'Debian at work' } });
    const before = await vmJson();
    await user.click(screen.getByTestId('settings-save-cpu'));
    const conflict = await screen.findByTestId('settings-conflict');
    expect(conflict.textContent).toMatch(/changed elsewhere/i);
    expect(conflict.textContent).toMatch(/title/i);
    expect(await vmJson()).toEqual(before); // never a silent overwrite
    await user.click(screen.getByTestId('settings-reload'));
    await waitFor(() => expect(screen.queryByTestId('settings-conflict')).toBeNull());
    expect((screen.getByTestId('settings-memory') as HTMLInputElement).value).not.toBe('1.5');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/Debian at work/);
  });

  it('Delete asks, keeps the disk images unless told, and leads back to the library', async () => {
    const user = open('');
    await user.click(await screen.findByTestId('action-delete-deb'));
    const dialog = await screen.findByTestId('delete-dialog');
    expect((within(dialog).getByTestId('delete-disks') as HTMLInputElement).checked).toBe(false);
    await user.click(within(dialog).getByTestId('delete-confirm'));
    // The page goes with the guest; the library names the files kept.
    expect((await screen.findByTestId('delete-kept')).textContent).toContain(join(dir(), 'disk.qcow2'));
    expect(location.hash).toBe('#/');
    expect(await exists(join(dir(), 'vm.json'))).toBe(false);
    expect(await exists(join(dir(), 'disk.qcow2'))).toBe(true);
  });

  it('firmware: switching BIOS↔UEFI is warned about before saving, and the saved firmware shows in the command', async () => {
    const user = open('/settings/firmware');
    const before = (await config()).firmware;
    expect(before).not.toBe('bios');
    await user.click(await screen.findByTestId('settings-firmware-bios'));
    expect((await screen.findByTestId('settings-firmware-warning')).textContent).toMatch(/^Switching from UEFI to BIOS makes an installed system unbootable/);
    expect((screen.getByTestId('settings-secure-boot') as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getByTestId('settings-save-firmware'));
    await waitFor(async () => expect((await config()).firmware).toBe('bios'));
    expect((await ctx.client.call('guests.cmdline', { name: 'deb' })).command).not.toMatch(/OVMF/);
  });

  it('a damaged guest’s page says what is wrong and offers open folder and remove, nothing else', async () => {
    const broken = ctx.world.store.dirs('broken').dir;
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'vm.json'), '{ not json');
    location.hash = '#/guest/broken';
    render(<Root client={ctx.client} />);
    expect((await screen.findByTestId('guest-error-broken')).textContent).toMatch(/cannot be read|not valid JSON|JSON/i);
    expect(screen.getByTestId('action-open-folder-broken')).toBeTruthy();
    expect(screen.getByTestId('action-remove-damaged-broken')).toBeTruthy();
    expect(screen.queryByTestId('action-start-broken')).toBeNull();
  });
});
