// The guest page's Passthrough section (issue 19, the app's side) over the real API, on the
// fixture hosts of test/fixtures/host/pci: PCI devices chosen from what the verdicts allow (a GPU
// brings its sound), a ROM file, evdev keyboard and mouse with the toggle keys, Looking Glass with
// its size, each saved through guests.update; the prerequisites each with its fix; and the
// Looking Glass button in the guest's header.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Root } from '../../src/renderer/Root';
import { pciHost, type PciHostName } from '../main/passthrough/fixtures';
import { realClient, steerableClient } from './client';

const KBD = '/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd';
const MOUSE = '/dev/input/by-id/usb-Logitech_USB_Receiver-if02-event-mouse';

afterEach(() => {
  cleanup();
  location.hash = '';
});

async function world(host: PciHostName = 'desktop-gpu-alone') {
  const h = await pciHost(host, { files: { [KBD]: '', [MOUSE]: '' } });
  const ctx = await realClient('gb-ui-pt-', { passthroughHost: { root: h.root, env: { PATH: '/usr/bin' } } });
  onTestFinished(() => ctx.world.cleanup());
  await ctx.client.call('guests.create', { preset: 'linux', name: 'deb', diskSize: '1G' });
  return { h, ctx };
}

async function open(ctx: Awaited<ReturnType<typeof realClient>>, client = ctx.client) {
  location.hash = '#/guest/deb/settings/passthrough';
  render(<Root client={client} />);
  await screen.findByTestId('settings-section-passthrough');
  return userEvent.setup();
}

const saved = async (ctx: Awaited<ReturnType<typeof realClient>>) => JSON.parse(await readFile(ctx.world.store.dirs('deb').configFile, 'utf8'));
const option = (select: string, value: string) => screen.getByTestId(select).querySelector<HTMLOptionElement>(`option[value="${value}"]`);

describe('Passthrough settings', () => {
  it('a GPU is chosen from what its group allows and brings its sound; saved; the fix for each prerequisite shown; removed together', async () => {
    const { ctx } = await world();
    const user = await open(ctx);
    await waitFor(() => expect(option('passthrough-add', '0000:01:00.0')).not.toBeNull(), { timeout: 20_000 });
    expect(option('passthrough-add', '0000:01:00.0')!.textContent).toBe('Graphics card: NVIDIA Corporation GA102 [GeForce RTX 3080] (0000:01:00.0) + 1 more — can be passed');
    // Its sound function is not offered on its own: it comes with the card.
    expect(option('passthrough-add', '0000:01:00.1')).toBeNull();
    await user.selectOptions(screen.getByTestId('passthrough-add'), '0000:01:00.0');
    expect(screen.getByTestId('passthrough-add-why').textContent).toBe('Can be passed alone, with 0000:01:00.1 (NVIDIA Corporation GA102 High Definition Audio Controller) from the same card.');
    await user.click(screen.getByTestId('passthrough-add-button'));
    expect(screen.getByTestId('passthrough-pci-0000:01:00.0')).toBeTruthy();
    expect(screen.getByTestId('passthrough-pci-0000:01:00.1').textContent).toContain('Audio device');
    expect(option('passthrough-add', '0000:01:00.0')).toBeNull();
    await user.click(screen.getByTestId('settings-save-passthrough'));
    await screen.findByTestId('settings-saved', {}, { timeout: 20_000 });
    expect((await saved(ctx)).pciDevices).toEqual([
      { address: '0000:01:00.0', label: 'NVIDIA Corporation GA102 [GeForce RTX 3080]' },
      { address: '0000:01:00.1', label: 'NVIDIA Corporation GA102 High Definition Audio Controller' },
    ]);
    // Before start: the card and its sound are on the host's drivers.
    const problems = await screen.findByTestId('passthrough-problems', {}, { timeout: 20_000 });
    expect(problems.textContent).toContain('0000:01:00.0 (NVIDIA Corporation GA102 [GeForce RTX 3080]) is bound to nvidia, not vfio-pci');
    expect(problems.textContent).toContain('Fix: Bind them to vfio-pci');
    expect(problems.textContent).toContain('guestbay vfio bind 0000:01:00.0 0000:01:00.1 --yes');
    // Removing the card removes its sound function too.
    await user.click(screen.getByTestId('passthrough-remove-0000:01:00.0'));
    expect(screen.queryByTestId('passthrough-pci-0000:01:00.1')).toBeNull();
    await user.click(screen.getByTestId('settings-save-passthrough'));
    await waitFor(async () => expect((await saved(ctx)).pciDevices).toEqual([]), { timeout: 20_000 });
    await waitFor(() => expect(screen.queryByTestId('passthrough-problems')).toBeNull(), { timeout: 20_000 });
  });

  it('a device that cannot be passed is offered but cannot be chosen; the IOMMU off says how to turn it on', async () => {
    const { ctx } = await world('amd-usb-chipset');
    await open(ctx);
    await waitFor(() => expect(option('passthrough-add', '0000:02:00.0')).not.toBeNull(), { timeout: 20_000 });
    expect(option('passthrough-add', '0000:02:00.0')!.disabled).toBe(true);
    expect(option('passthrough-add', '0000:02:00.0')!.textContent).toMatch(/— cannot be passed$/);
    cleanup();
    const off = await world('laptop-no-iommu');
    await open(off.ctx);
    expect((await screen.findByTestId('passthrough-iommu-off', {}, { timeout: 20_000 })).textContent).toContain('The IOMMU is off, so no PCI device can be given to a guest.');
    expect(screen.queryByTestId('passthrough-add')).toBeNull();
  });

  it('a ROM file that is not there is refused next to its field and nothing is saved; a real one is saved', async () => {
    const { ctx } = await world();
    const user = await open(ctx);
    await waitFor(() => expect(option('passthrough-add', '0000:01:00.0')).not.toBeNull(), { timeout: 20_000 });
    await user.selectOptions(screen.getByTestId('passthrough-add'), '0000:01:00.0');
    await user.click(screen.getByTestId('passthrough-add-button'));
    const before = await readFile(ctx.world.store.dirs('deb').configFile);
    await user.type(screen.getByTestId('passthrough-rom-0'), '/nowhere/gpu.rom');
    await user.click(screen.getByTestId('settings-save-passthrough'));
    expect((await screen.findByTestId('passthrough-rom-0-error', {}, { timeout: 20_000 })).textContent).toBe('The ROM file /nowhere/gpu.rom does not exist: pick the card\'s ROM image (.rom or .bin) again.');
    expect(await readFile(ctx.world.store.dirs('deb').configFile)).toEqual(before);
    const rom = join(ctx.world.home, 'rtx3080.rom');
    await writeFile(rom, Buffer.alloc(4096));
    await user.clear(screen.getByTestId('passthrough-rom-0'));
    await user.type(screen.getByTestId('passthrough-rom-0'), rom);
    await user.click(screen.getByTestId('settings-save-passthrough'));
    await screen.findByTestId('settings-saved', {}, { timeout: 20_000 });
    expect((await saved(ctx)).pciDevices[0]).toEqual({ address: '0000:01:00.0', label: 'NVIDIA Corporation GA102 [GeForce RTX 3080]', romFile: rom });
  });

  it('evdev: keyboard and mouse from /dev/input/by-id by name, the toggle keys; none chosen is refused on the page', async () => {
    const { ctx } = await world();
    const user = await open(ctx);
    await user.click(screen.getByTestId('passthrough-evdev-on'));
    await user.click(screen.getByTestId('settings-save-passthrough'));
    expect(screen.getByTestId('passthrough-evdev-error').textContent).toBe('Choose a keyboard or a mouse to hand to the guest, or turn evdev input off.');
    expect(ctx.calls).not.toContain('guests.update');
    await waitFor(() => expect(option('passthrough-keyboard', KBD)).not.toBeNull(), { timeout: 20_000 });
    expect(option('passthrough-keyboard', KBD)!.textContent).toBe('Logitech USB Keyboard');
    expect(option('passthrough-mouse', MOUSE)!.textContent).toBe('Logitech USB Receiver (interface 2)');
    expect(option('passthrough-mouse', KBD)).toBeNull();
    await user.selectOptions(screen.getByTestId('passthrough-keyboard'), KBD);
    await user.selectOptions(screen.getByTestId('passthrough-mouse'), MOUSE);
    expect(screen.queryByTestId('passthrough-evdev-error')).toBeNull();
    expect((screen.getByTestId('passthrough-toggle') as HTMLSelectElement).selectedOptions[0]!.textContent).toBe('Both Ctrl keys');
    await user.selectOptions(screen.getByTestId('passthrough-toggle'), 'scrolllock');
    await user.click(screen.getByTestId('settings-save-passthrough'));
    await screen.findByTestId('settings-saved', {}, { timeout: 20_000 });
    expect((await saved(ctx)).input.evdev).toEqual({ keyboard: KBD, mouse: MOUSE, toggle: 'scrolllock' });
    // The fixture's nodes are plain files, not devices: said with the fix.
    const problems = await screen.findByTestId('passthrough-problems', {}, { timeout: 20_000 });
    expect(within(problems).getAllByTestId('passthrough-problem').map((p) => p.dataset.field)).toEqual(['input.evdev.keyboard', 'input.evdev.mouse']);
    expect(problems.textContent).toContain(`${KBD} is not an input device.`);
    // Turned off again: evdev leaves the config.
    await user.click(screen.getByTestId('passthrough-evdev-on'));
    await user.click(screen.getByTestId('settings-save-passthrough'));
    await waitFor(async () => expect((await saved(ctx)).input.evdev).toBeUndefined(), { timeout: 20_000 });
  });

  it('Looking Glass: on with a resolution, the size the formula gives shown; a bad size refused on the page', async () => {
    const { ctx } = await world();
    const user = await open(ctx);
    await user.click(screen.getByTestId('passthrough-lg-on'));
    expect(screen.getByTestId('passthrough-lg-size').textContent).toMatch(/^Shared memory: 32 MiB, enough for 1920 × 1080/);
    await user.clear(screen.getByTestId('passthrough-lg-width'));
    await user.type(screen.getByTestId('passthrough-lg-width'), '3840');
    await user.clear(screen.getByTestId('passthrough-lg-height'));
    await user.type(screen.getByTestId('passthrough-lg-height'), '2160');
    expect(screen.getByTestId('passthrough-lg-size').textContent).toMatch(/^Shared memory: 128 MiB, enough for 3840 × 2160/);
    await user.clear(screen.getByTestId('passthrough-lg-height'));
    await user.type(screen.getByTestId('passthrough-lg-height'), '100');
    await user.click(screen.getByTestId('settings-save-passthrough'));
    expect(screen.getByTestId('passthrough-lg-height-error').textContent).toBe('Looking Glass needs a height of at least 480.');
    expect(ctx.calls).not.toContain('guests.update');
    await user.clear(screen.getByTestId('passthrough-lg-height'));
    await user.type(screen.getByTestId('passthrough-lg-height'), '2160');
    await user.selectOptions(screen.getByTestId('passthrough-lg-memory'), 'kvmfr');
    await user.click(screen.getByTestId('settings-save-passthrough'));
    await screen.findByTestId('settings-saved', {}, { timeout: 20_000 });
    expect((await saved(ctx)).lookingGlass).toEqual({ memory: 'kvmfr', width: 3840, height: 2160 });
    // No /dev/kvmfr0 on the fixture host: said, with the module's size.
    expect((await screen.findByTestId('passthrough-problems', {}, { timeout: 20_000 })).textContent).toContain('sudo modprobe kvmfr static_size_mb=128');
  });

  it('Looking Glass in the header: off while stopped, the package to install when the client is missing, opens while running', async () => {
    const { h, ctx } = await world();
    const { config, revision } = await ctx.client.call('guests.get', { name: 'deb' });
    await ctx.client.call('guests.update', { name: 'deb', revision, config: { ...config, lookingGlass: { memory: 'shm', width: 1920, height: 1080 } } });
    location.hash = '#/guest/deb';
    const { client, push, listed } = steerableClient(ctx.world, { answer: { 'guests.lookingGlass': { pid: 4242, binary: '/usr/bin/looking-glass-client', args: ['-f', '/dev/shm/looking-glass-deb'] } } });
    render(<Root client={client} />);
    const button = (await screen.findByTestId('action-looking-glass-deb')) as HTMLButtonElement;
    expect((await screen.findByTestId('looking-glass-missing', {}, { timeout: 20_000 })).textContent).toBe('Looking Glass’s client is not installed: install the looking-glass package (Arch: from the AUR) or build it from looking-glass.io, in the version of the host application in the guest.');
    expect(button.disabled).toBe(true);
    cleanup();
    // Installed (a stub on the fixture host's PATH), and the guest running.
    await mkdir(join(h.root, 'usr/bin'), { recursive: true });
    await writeFile(join(h.root, 'usr/bin/looking-glass-client'), '#!/bin/sh\nexit 0\n');
    await chmod(join(h.root, 'usr/bin/looking-glass-client'), 0o755);
    const again = steerableClient(ctx.world, { answer: { 'guests.lookingGlass': { pid: 4242, binary: '/usr/bin/looking-glass-client', args: ['-f', '/dev/shm/looking-glass-deb'] } } });
    render(<Root client={again.client} />);
    const b2 = (await screen.findByTestId('action-looking-glass-deb')) as HTMLButtonElement;
    await act(() => again.listed);
    expect(b2.disabled).toBe(true);
    expect(b2.title).toBe('Looking Glass shows the guest while it runs: start it first.');
    act(() => again.push({ event: 'guest.state', payload: { name: 'deb', state: 'running' } }));
    await waitFor(() => expect(b2.disabled).toBe(false), { timeout: 20_000 });
    expect(b2.title).toBe('Opens /usr/bin/looking-glass-client on the guest\'s shared memory');
    await userEvent.setup().click(b2);
    expect((await screen.findByTestId('looking-glass-opened', {}, { timeout: 20_000 })).textContent).toBe('Looking Glass opened in its own window.');
    void push;
    void listed;
  });

  it('a guest without Looking Glass has no such button', async () => {
    const { ctx } = await world();
    location.hash = '#/guest/deb';
    render(<Root client={ctx.client} />);
    await screen.findByTestId('action-start-deb');
    expect(screen.queryByTestId('action-looking-glass-deb')).toBeNull();
  });
});
