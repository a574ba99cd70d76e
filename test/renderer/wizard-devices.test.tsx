// The wizard's later additions (issue 14, item 4) against the real API in-process: a name another
// guest has is said on step 1 and Next says why it is off; Windows 11's 64 GiB minimum at the disk
// size; a size larger than the guests folder's free space (host.freeSpace) is a warning, not a
// refusal (the disk is sparse); network mode, a port forward, sound, "own window" and a USB device
// of this computer (a sysfs fixture) chosen on the devices step land in the created guest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { join } from 'node:path';
import { listUsbDevices } from '../../src/main/host/usb';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

configure({ asyncUtilTimeout: 20_000 });

const USB_TREE = join(__dirname, '../fixtures/host/trees/usb-desktop');
let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-wizdev-', { hostUsb: () => listUsbDevices({ root: USB_TREE }) });
  location.hash = '#/new';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

async function setup() {
  const user = userEvent.setup();
  render(<Root client={ctx.client} />);
  await screen.findByTestId('wizard-os-linux');
  return user;
}

async function fill(user: ReturnType<typeof userEvent.setup>, testId: string, text: string) {
  const el = screen.getByTestId(testId);
  await user.clear(el);
  if (text) await user.type(el, text);
}

const next = (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByTestId('wizard-next'));

describe('wizard: name, disk size and space', () => {
  it('says on step 1 that a name is taken, and Next says why it is off', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'taken', diskSize: '64M' });
    const user = await setup();
    await fill(user, 'field-name', 'taken');
    expect((await screen.findByTestId('field-name-error')).textContent).toBe('A guest named taken exists already: choose another name.');
    const nextButton = screen.getByTestId('wizard-next') as HTMLButtonElement;
    expect(nextButton.disabled).toBe(true);
    expect(nextButton.getAttribute('aria-describedby')).toBe('wizard-next-why');
    expect(screen.getByTestId('wizard-next-why').textContent).toMatch(/name is taken/);
    await fill(user, 'field-name', 'taken2');
    expect(screen.queryByTestId('field-name-error')).toBeNull();
    expect(nextButton.disabled).toBe(false);
    expect(screen.queryByTestId('wizard-next-why')).toBeNull();
  });

  it('holds Windows 11 to 64 GiB at the disk size, and warns when the disk could outgrow the free space', async () => {
    const user = await setup();
    await user.click(screen.getByTestId('wizard-os-windows-11'));
    await fill(user, 'field-name', 'win');
    await next(user);
    await screen.findByTestId('field-drivers-iso');
    await next(user);
    await screen.findByTestId('wizard-firmware-uefi-secure');
    await next(user);
    await screen.findByTestId('field-disk-size');
    expect(screen.getByText(/at least 64G/)).toBeTruthy();
    await fill(user, 'field-disk-size', '32G');
    await next(user);
    expect((await screen.findByTestId('field-disk-size-error')).textContent).toBe('Windows 11 needs a disk of at least 64 GiB: give it 64 GiB or more.');

    // Larger than what is free where the guests live: allowed (it grows as written), with a warning.
    const space = await ctx.client.call('host.freeSpace', {});
    expect(space.path).toBe(ctx.world.store.paths.vms);
    const over = `${Math.ceil(space.freeBytes / 2 ** 30) + 64}G`;
    await fill(user, 'field-disk-size', over);
    expect((await screen.findByTestId('field-disk-size-warning')).textContent).toMatch(/can grow to .* but .* free: the guest would stop when it fills up/);
    await fill(user, 'field-disk-size', '64G');
    await waitFor(() => expect(screen.queryByTestId('field-disk-size-warning')).toBeNull());
  });
});

describe('wizard: devices', () => {
  it('creates a guest with the chosen network, forward, sound, window and USB device', async () => {
    const user = await setup();
    await fill(user, 'field-name', 'devs');
    await next(user);
    await screen.findByTestId('field-iso');
    await next(user);
    await screen.findByTestId('wizard-firmware-uefi');
    await next(user);
    await screen.findByTestId('field-disk-size');
    await next(user);
    await screen.findByTestId('field-net-mode');

    // A malformed forward is refused at its field and added to nothing.
    await fill(user, 'settings-forward-host-port', '70000');
    await fill(user, 'settings-forward-guest-port', '22');
    await user.click(screen.getByTestId('forward-add'));
    expect((await screen.findByTestId('settings-forward-host-port-error')).textContent).toMatch(/from 1 to 65535/);
    await fill(user, 'settings-forward-host-port', '2222');
    await fill(user, 'settings-forward-guest-port', '22');
    await user.click(screen.getByTestId('forward-add'));
    await screen.findByTestId('forward-tcp-2222');

    // Bridge mode hides the forward form (forwards need user-mode) and asks for the bridge.
    await user.selectOptions(screen.getByTestId('field-net-mode'), 'bridge');
    expect(screen.queryByTestId('forward-add')).toBeNull();
    await user.selectOptions(screen.getByTestId('field-net-mode'), 'user');

    await user.selectOptions(screen.getByTestId('field-sound'), 'ac97');
    await user.click(screen.getByTestId('wizard-viewer-window'));
    const picker = screen.getByTestId('usb-picker');
    await user.click(await within(picker).findByTestId(/usb-attach-046d-c52b/i));
    expect(screen.getByTestId(/wizard-usb-046d-c52b/i)).toBeTruthy();
    expect(within(picker).queryByTestId(/usb-attach-046d-c52b/i)).toBeNull(); // picked once

    await next(user);
    await screen.findByTestId('share-add');
    await next(user);
    await screen.findByTestId('wizard-create');
    await user.click(screen.getByTestId('wizard-create'));
    await waitFor(() => expect(location.hash).toBe('#/guest/devs'));
    const c = (await ctx.client.call('guests.get', { name: 'devs' })).config;
    expect(c.network).toMatchObject({ mode: 'user', portForwards: [{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }] });
    expect(c.audio.device).toBe('ac97');
    expect(c.display.viewer).toBe('window');
    expect(c.usb.hostDevices).toEqual([expect.objectContaining({ vendorId: '046d', productId: 'c52b' })]);
  });
});
