import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPciPrerequisites, parseMemlock, passthroughPreflight, type VfioFacts } from '../../../src/main/passthrough/prerequisites';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import { pciHost } from './fixtures';

const GiB = 1024 * 1024 * 1024;
const facts = (f: Partial<VfioFacts> = {}): VfioFacts => ({ groupNodes: {}, memlockBytes: null, user: 'ada', ...f });

describe('PCI passthrough prerequisites', () => {
  it('the whole group must be on vfio-pci: each device still on a host driver named, with the helper command', async () => {
    const r = await iommuReport((await pciHost('desktop-gpu-with-nic')).options);
    const problems = checkPciPrerequisites({ pciDevices: [{ address: '0000:0a:00.0' }, { address: '0000:0a:00.1' }], memoryMiB: 8192 }, r, facts());
    expect(problems).toEqual([
      {
        field: 'pciDevices',
        message:
          '0000:0a:00.0 (Advanced Micro Devices, Inc. [AMD/ATI] Navi 10 [Radeon RX 5600 OEM/5600 XT / 5700/5700 XT]) is bound to amdgpu, not vfio-pci; ' +
          '0000:0a:00.1 (Advanced Micro Devices, Inc. [AMD/ATI] Navi 10/21/23 HDMI/DP Audio Controller) is bound to snd_hda_intel, not vfio-pci; ' +
          '0000:0b:00.0 (Intel Corporation I211 Gigabit Network Connection) is bound to igb, not vfio-pci (it shares IOMMU group 8 with 0000:0a:00.0).',
        fix: 'Bind them to vfio-pci in a terminal: guestbay vfio bind 0000:0a:00.0 0000:0a:00.1 0000:0b:00.0 --yes (asks for your password and shows each step first).',
      },
    ]);
  });

  it('bound, but /dev/vfio/<group> missing or closed to the user, and a memory lock limit below the RAM', async () => {
    const r = await iommuReport((await pciHost('intel-igpu-sriov')).options);
    const cfg = { pciDevices: [{ address: '0000:00:02.1' }], memoryMiB: 8192 };
    expect(checkPciPrerequisites(cfg, r, facts({ groupNodes: { 17: 'ok' } }))).toEqual([]);
    const [missing] = checkPciPrerequisites(cfg, r, facts({ groupNodes: {} }));
    expect(missing?.message).toBe('/dev/vfio/17 does not exist, though the group is bound to vfio-pci.');
    expect(missing?.fix).toMatch(/^Load the VFIO modules: sudo modprobe vfio-pci/);
    const [closed, memlock] = checkPciPrerequisites(cfg, r, facts({ groupNodes: { 17: 'no-access' }, memlockBytes: 8 * 1024 * 1024 }));
    expect(closed?.message).toBe('/dev/vfio/17 is not open to ada: only root may use it.');
    expect(closed?.fix).toContain('SUBSYSTEM=="vfio", GROUP="kvm", MODE="0660" in /etc/udev/rules.d/72-guestbay-vfio.rules');
    expect(memlock).toEqual({
      field: 'memoryMiB',
      message: 'The memory lock limit is 8192 KiB, but a guest with a passed-through device locks all of its 8 GiB of memory.',
      fix: 'Raise the limit for ada: put "ada soft memlock unlimited" and "ada hard memlock unlimited" in /etc/security/limits.d/guestbay.conf and log in again (check with: prlimit --memlock).',
    });
    expect(checkPciPrerequisites(cfg, r, facts({ groupNodes: { 17: 'ok' }, memlockBytes: 8 * GiB }))).toEqual([]);
  });

  it('a device the group makes impossible, one not on this host, and no IOMMU', async () => {
    const r = await iommuReport((await pciHost('amd-usb-chipset')).options);
    const [cannot, gone] = checkPciPrerequisites({ pciDevices: [{ address: '0000:02:00.0' }, { address: '0000:42:00.0' }], memoryMiB: 4096 }, r, facts());
    expect(cannot?.field).toBe('pciDevices.0.address');
    expect(cannot?.message).toMatch(/^0000:02:00\.0 \(Advanced Micro Devices, Inc\. \[AMD\] Matisse USB 3\.0 Host Controller\) cannot be passed through: 0000:00:08\.0 in its IOMMU group is the chipset's host bridge;/);
    expect(gone).toMatchObject({ field: 'pciDevices.1.address', message: 'There is no PCI device 0000:42:00.0 on this computer.' });
    const off = await iommuReport((await pciHost('laptop-no-iommu')).options);
    expect(checkPciPrerequisites({ pciDevices: [{ address: '0000:01:00.0' }], memoryMiB: 4096 }, off, facts())[0]?.message).toBe('The IOMMU is off, so no PCI device can be passed to a guest.');
  });

  it('reads /dev/vfio/<group> and /proc/self/limits on the host (a fixture tree)', async () => {
    const h = await pciHost('intel-igpu-sriov', {
      files: { '/proc/self/limits': 'Limit                     Soft Limit           Hard Limit           Units\nMax locked memory         8388608              8388608              bytes\n' },
    });
    await mkdir(join(h.root, 'dev/vfio'), { recursive: true });
    await writeFile(join(h.root, 'dev/vfio/17'), '');
    await chmod(join(h.root, 'dev/vfio/17'), 0o600);
    const problems = await passthroughPreflight(parseVmConfig({ ...buildPreset('linux', { name: 'pt', host: { threads: 2, memoryMiB: 8192 } }).config, pciDevices: [{ address: '0000:00:02.1' }], memoryMiB: 4096 }), { ...h.options, env: { USER: 'ada' } });
    expect(problems.map((p) => p.field)).toEqual(['memoryMiB']);
    expect(parseMemlock('Max locked memory         unlimited            unlimited            bytes\n')).toBeNull();
  });
});

describe('a GVT-g share', () => {
  it('is not asked to have its parent iGPU on vfio-pci (the host keeps driving it with i915)', async () => {
    const r = await iommuReport((await pciHost('intel-igpu-gvtg')).options);
    expect(checkPciPrerequisites({ pciDevices: [{ address: '0000:00:02.0', mdev: '4b20d080-1b54-4048-85b3-a6a62d165c01' }], memoryMiB: 4096 }, r, facts())).toEqual([]);
    expect(checkPciPrerequisites({ pciDevices: [{ address: '0000:00:02.0' }], memoryMiB: 4096 }, r, facts())[0]?.message).toMatch(/is bound to i915, not vfio-pci/);
  });
});
