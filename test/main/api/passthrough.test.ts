// The app's passthrough calls over the real API (issue 19, the app's side), on the fixture hosts
// of test/fixtures/host/pci: the IOMMU report is the CLI's own, the evdev devices come from the
// fixture's /dev/input/by-id, the prerequisites name their fix, Looking Glass's client is found
// on the fixture's PATH; and the edit pipeline's rules for the passthrough settings.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import type { Reply, WireError } from '../../../src/shared/contract';
import { apiWorld } from '../../helpers/api';
import { pciHost, type PciHostName } from '../passthrough/fixtures';

const KBD = '/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd';
const MOUSE = '/dev/input/by-id/usb-Logitech_USB_Receiver-if02-event-mouse';

async function world(host: PciHostName = 'desktop-gpu-alone', files: Record<string, string> = {}) {
  const h = await pciHost(host, { files });
  const w = await apiWorld('gb-pt-api-', { passthroughHost: { root: h.root, env: { PATH: '/usr/bin:/bin' } } });
  onTestFinished(() => w.cleanup());
  return { h, w };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.output;
}
function failed(r: Reply): WireError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
}

describe('passthrough calls', () => {
  it('host.iommu answers the report `guestbay iommu` prints, from the same function', async () => {
    const { h, w } = await world('desktop-gpu-with-nic');
    const r = ok(await w.call('host.iommu', {}));
    expect(r).toEqual(JSON.parse(JSON.stringify(await iommuReport(h.options))));
    expect(r.verdicts.find((v: { address: string }) => v.address === '0000:0a:00.0')).toMatchObject({ kind: 'whole-group', together: ['0000:0a:00.1', '0000:0b:00.0'] });
    expect(r.bootLoader).toBe('systemd-boot');
  });

  it('host.inputDevices: the keyboards and mice under /dev/input/by-id, in words, nothing else', async () => {
    const { w } = await world('desktop-gpu-alone', { [KBD]: '', [MOUSE]: '', '/dev/input/by-id/usb-Logitech_USB_Receiver-if02-mouse': '', '/dev/input/by-id/usb-Odd_Name$-event-kbd': '' });
    expect(ok(await w.call('host.inputDevices', {}))).toEqual([
      { path: KBD, name: 'Logitech USB Keyboard', kind: 'keyboard' },
      { path: MOUSE, name: 'Logitech USB Receiver (interface 2)', kind: 'mouse' },
    ]);
  });

  it('guests.passthroughProblems: what would stop the guest, each with its fix; nothing for a guest without passthrough', async () => {
    const { w } = await world('desktop-gpu-with-nic');
    ok(await w.call('guests.create', { preset: 'linux', name: 'gpu', diskSize: '1G' }));
    expect(ok(await w.call('guests.passthroughProblems', { name: 'gpu' }))).toEqual([]);
    const { config, revision } = ok(await w.call('guests.get', { name: 'gpu' }));
    ok(await w.call('guests.update', { name: 'gpu', revision, config: { ...config, pciDevices: [{ address: '0000:0a:00.0' }, { address: '0000:0a:00.1' }], input: { ...config.input, evdev: { keyboard: KBD, toggle: 'ctrl-ctrl' } } } }));
    const problems = ok(await w.call('guests.passthroughProblems', { name: 'gpu' }));
    expect(problems.map((p: { field: string }) => p.field)).toEqual(['pciDevices', 'input.evdev.keyboard']);
    expect(problems[0].message).toContain('0000:0b:00.0 (Intel Corporation I211 Gigabit Network Connection) is bound to igb, not vfio-pci');
    expect(problems[0].fix).toContain('guestbay vfio bind 0000:0a:00.0 0000:0a:00.1 0000:0b:00.0 --yes');
    expect(problems[1]).toMatchObject({ message: `The keyboard ${KBD} is not there: it is unplugged, or its name changed.` });
  });

  it('Looking Glass: the client found on PATH or the package to install; a stopped guest is refused', async () => {
    const { h, w } = await world();
    expect(ok(await w.call('host.lookingGlassClient', {}))).toEqual({ path: null, install: 'install the looking-glass package (Arch: from the AUR) or build it from looking-glass.io, in the version of the host application in the guest.' });
    await mkdir(join(h.root, 'usr/bin'), { recursive: true });
    await writeFile(join(h.root, 'usr/bin/looking-glass-client'), '#!/bin/sh\nexit 0\n');
    await chmod(join(h.root, 'usr/bin/looking-glass-client'), 0o755);
    expect(ok(await w.call('host.lookingGlassClient', {})).path).toBe('/usr/bin/looking-glass-client');
    ok(await w.call('guests.create', { preset: 'linux', name: 'lg', diskSize: '1G' }));
    const { config, revision } = ok(await w.call('guests.get', { name: 'lg' }));
    ok(await w.call('guests.update', { name: 'lg', revision, config: { ...config, lookingGlass: { memory: 'shm', width: 2560, height: 1440 } } }));
    expect(failed(await w.call('guests.lookingGlass', { name: 'lg' }))).toMatchObject({ name: 'GuestStateError', message: '"lg" is stopped: Looking Glass shows a guest only while it runs.' });
  });
});

describe('the edit pipeline takes the passthrough settings, one rule each', () => {
  it('saves evdev, Looking Glass and a PCI device with its ROM file; show carries them', async () => {
    const { w } = await world();
    ok(await w.call('guests.create', { preset: 'linux', name: 'pt', diskSize: '1G' }));
    const rom = join(w.home, 'gpu.rom');
    await writeFile(rom, Buffer.alloc(1024));
    const { config, revision } = ok(await w.call('guests.get', { name: 'pt' }));
    const next = {
      ...config,
      pciDevices: [{ address: '0000:01:00.0', romFile: rom }, { address: '0000:01:00.1' }],
      input: { ...config.input, evdev: { keyboard: KBD, mouse: MOUSE, toggle: 'scrolllock' } },
      lookingGlass: { memory: 'kvmfr', width: 3840, height: 2160 },
    };
    const r = ok(await w.call('guests.update', { name: 'pt', revision, config: next }));
    expect(r.config).toMatchObject({ pciDevices: next.pciDevices, input: { evdev: next.input.evdev }, lookingGlass: next.lookingGlass });
    const saved = JSON.parse(await readFile(w.store.dirs('pt').configFile, 'utf8'));
    expect(saved).toMatchObject({ pciDevices: next.pciDevices, input: { evdev: next.input.evdev }, lookingGlass: next.lookingGlass });
  });

  it.each([
    ['a ROM file that is not there', (c: Record<string, unknown>) => ({ ...c, pciDevices: [{ address: '0000:01:00.0', romFile: '/nowhere/gpu.rom' }] }), 'pciDevices.0.romFile', 'The ROM file /nowhere/gpu.rom does not exist: pick the card\'s ROM image (.rom or .bin) again.'],
    ['a ROM file that is a folder', (c: Record<string, unknown>) => ({ ...c, pciDevices: [{ address: '0000:01:00.0', romFile: '/tmp' }] }), 'pciDevices.0.romFile', 'The ROM file /tmp is not a file: pick the card\'s ROM image (.rom or .bin) again.'],
    ['one PCI function twice', (c: Record<string, unknown>) => ({ ...c, pciDevices: [{ address: '0000:01:00.0' }, { address: '0000:01:00.0' }] }), 'pciDevices.1.address', '0000:01:00.0 is passed to the guest twice: remove one of them.'],
    ['evdev with no device', (c: { input: object }) => ({ ...c, input: { ...c.input, evdev: { toggle: 'ctrl-ctrl' } } }), 'input.evdev', 'Choose a keyboard or a mouse to hand to the guest, or turn evdev input off.'],
    ['the keyboard as the mouse', (c: { input: object }) => ({ ...c, input: { ...c.input, evdev: { keyboard: KBD, mouse: KBD } } }), 'input.evdev.mouse', `${KBD} is already the keyboard: choose the mouse's own device (its name ends in -event-mouse).`],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ] as [string, (c: any) => unknown, string, string][])('refuses %s next to its field, and writes nothing', async (_what, change, field, message) => {
    const { w } = await world();
    ok(await w.call('guests.create', { preset: 'linux', name: 'pt', diskSize: '1G' }));
    const before = await readFile(w.store.dirs('pt').configFile);
    const { config, revision } = ok(await w.call('guests.get', { name: 'pt' }));
    const e = failed(await w.call('guests.update', { name: 'pt', revision, config: change(config) }));
    expect(e.fields).toEqual([{ field, message }]);
    expect(await readFile(w.store.dirs('pt').configFile)).toEqual(before);
  });
});
