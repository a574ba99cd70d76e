// The privileged helper, run directly (no pkexec, no root needed): it refuses anything but its
// exact operations before touching anything, and its dry run on a fixture tree lists each write.
import { chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findHelper, HelperError, HELPER_CANDIDATES, previewHelper } from '../../../src/main/passthrough/helper';
import { pciHost } from './fixtures';

const HELPER = HELPER_CANDIDATES[1]!;
const helper = (...args: string[]) => execa(HELPER, args, { reject: false });

describe('guestbay-vfio-helper refuses', () => {
  it.each([
    [['bind-vfio', '01:00.0'], '"01:00.0" is not a PCI address (like 0000:01:00.0)'],
    [['bind-vfio', '0000:01:00.0;reboot'], '"0000:01:00.0;reboot" is not a PCI address (like 0000:01:00.0)'],
    [['bind-vfio', '0000:0G:00.0'], '"0000:0G:00.0" is not a PCI address (like 0000:01:00.0)'],
    [['bind-vfio', '/etc/passwd'], '/etc/passwd is a path outside /sys/bus/pci/devices'],
    [['bind-vfio', '/sys/class/net/lo'], '/sys/class/net/lo is a path outside /sys/bus/pci/devices'],
    [['bind-vfio', '/sys/bus/pci/devices/../../../../etc'], '"/sys/bus/pci/devices/../../../../etc" is not a PCI address (like 0000:01:00.0)'],
    [['release', '--to', 'evil', '0000:01:00.0'], 'driver "evil" is not one this helper binds'],
    [['release', '--to', 'vfio-pci', '0000:01:00.0'], 'release gives devices back to the host: --to vfio-pci is bind-vfio'],
    [['bind-vfio'], 'bind-vfio needs at least one PCI address'],
    [['modprobe', 'evil'], 'unknown operation "modprobe"'],
    [['load-vfio', 'evil'], 'load-vfio takes no arguments'],
    [['load-vfio', 'vfio-pci'], 'load-vfio takes no arguments'],
    [['display-manager', 'restart'], 'display-manager takes stop or start, not "restart"'],
    [['display-manager', 'stop', 'now'], 'display-manager takes exactly one word'],
    [['vtconsoles', '2'], 'vtconsoles takes unbind or bind, not "2"'],
    [['--sysfs-root', '/tmp', 'vtconsoles', 'unbind'], '--sysfs-root is for dry runs only'],
    [['--dry-run', '--sysfs-root', 'relative', 'vtconsoles', 'unbind'], '--sysfs-root must be an absolute path'],
    [['--as-root', 'bind-vfio', '0000:01:00.0'], 'unknown option --as-root'],
    [[], 'no operation'],
  ])('%j', async (args, message) => {
    const r = await helper(...args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe(''); // not one action printed, so none done
    expect(r.stderr).toContain(`guestbay-vfio-helper: refused: ${message}`);
  });

  it('a bad address anywhere in the list: refused before the first good one is touched', async () => {
    const h = await pciHost('desktop-gpu-with-nic');
    const r = await helper('--dry-run', '--sysfs-root', h.root, 'bind-vfio', '0000:0a:00.0', '/etc/shadow');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('an address whose sysfs entry leads outside /sys/devices/pci*', async () => {
    const h = await pciHost('desktop-gpu-with-nic');
    await execa('ln', ['-sfn', '/etc', join(h.root, 'sys/bus/pci/devices/0000:0f:00.0')]);
    const r = await helper('--dry-run', '--sysfs-root', h.root, 'bind-vfio', '0000:0f:00.0');
    expect(r.stderr).toContain('refused: 0000:0f:00.0 does not lead into /sys/devices/pci*');
  });
});

describe('its dry run (the actions shown before pkexec runs it)', () => {
  it('bind-vfio: override, unbind from the current driver, probe; nothing for a device already on vfio-pci', async () => {
    const h = await pciHost('desktop-gpu-with-nic');
    const lines = await previewHelper(HELPER, { op: 'bind-vfio', addresses: ['0000:0a:00.0', '0000:0a:00.1', '0000:0b:00.0'] }, h.root);
    expect(lines).toEqual([
      "write 'vfio-pci' > /sys/bus/pci/devices/0000:0a:00.0/driver_override",
      "write '0000:0a:00.0' > /sys/bus/pci/devices/0000:0a:00.0/driver/unbind",
      "write '0000:0a:00.0' > /sys/bus/pci/drivers_probe",
      "write 'vfio-pci' > /sys/bus/pci/devices/0000:0a:00.1/driver_override",
      "write '0000:0a:00.1' > /sys/bus/pci/devices/0000:0a:00.1/driver/unbind",
      "write '0000:0a:00.1' > /sys/bus/pci/drivers_probe",
      "write 'vfio-pci' > /sys/bus/pci/devices/0000:0b:00.0/driver_override",
      "write '0000:0b:00.0' > /sys/bus/pci/devices/0000:0b:00.0/driver/unbind",
      "write '0000:0b:00.0' > /sys/bus/pci/drivers_probe",
    ]);
    const sriov = await pciHost('intel-igpu-sriov');
    expect(await previewHelper(HELPER, { op: 'bind-vfio', addresses: ['0000:00:02.1'] }, sriov.root)).toEqual(["write 'vfio-pci' > /sys/bus/pci/devices/0000:00:02.1/driver_override"]);
  });

  it('release: back to the host driver by name, or by the kernel\'s probe', async () => {
    const h = await pciHost('desktop-gpu-with-nic');
    expect(await previewHelper(HELPER, { op: 'release', addresses: ['0000:0a:00.0'], to: 'amdgpu' }, h.root)).toEqual([
      "write '' > /sys/bus/pci/devices/0000:0a:00.0/driver_override",
      "write '0000:0a:00.0' > /sys/bus/pci/devices/0000:0a:00.0/driver/unbind",
      "write '0000:0a:00.0' > /sys/bus/pci/drivers/amdgpu/bind",
    ]);
    await expect(previewHelper(HELPER, { op: 'release', addresses: ['0000:0a:00.0'], to: 'evil' }, h.root)).rejects.toThrow(/refused: driver "evil" is not one this helper binds/);
  });
});

describe('findHelper', () => {
  it('takes the helper only when root owns it and no one else can write it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-helper-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const copy = join(dir, 'guestbay-vfio-helper');
    await copyFile(HELPER, copy);
    await chown(copy, 65534, 65534).catch(() => undefined); // as a user the copy is the user's already
    await expect(findHelper([copy])).rejects.toThrow(HelperError);
    await expect(findHelper([copy])).rejects.toThrow(/refused: .*guestbay-vfio-helper \(not owned by root\)/);
  });
});
