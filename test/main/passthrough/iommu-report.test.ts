import { describe, expect, it } from 'vitest';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import { formatIommuReport } from '../../../src/main/passthrough/iommu-text';
import { verdictFor } from '../../../src/main/passthrough/verdicts';
import type { IommuDevice, IommuReport } from '../../../src/shared/iommu-report';
import { pciHost, type PciHostName } from './fixtures';

async function report(name: PciHostName): Promise<IommuReport> {
  return iommuReport((await pciHost(name)).options);
}
const verdict = (r: IommuReport, address: string) => {
  const v = r.verdicts.find((x) => x.address === address);
  if (!v) throw new Error(`no verdict for ${address}`);
  return v;
};

describe('IOMMU report on fixture hosts', () => {
  it('a desktop whose GPU is alone in its group: alone with its audio function, FLR shown', async () => {
    const r = await report('desktop-gpu-alone');
    expect(r.enabled).toBe(true);
    expect(r.bootLoader).toBe('grub');
    expect(r.kernelParams).toEqual(['intel_iommu=on', 'iommu=pt']);
    expect(r.paramsPresent).toBe(true);
    const gpu = verdict(r, '0000:01:00.0');
    expect(gpu).toMatchObject({ role: 'gpu', kind: 'alone', together: ['0000:01:00.1'], blockers: [] });
    expect(gpu.summary).toBe('Can be passed alone, with 0000:01:00.1 (NVIDIA Corporation GA102 High Definition Audio Controller) from the same card.');
    expect(gpu.notes[0]).toMatch(/^Reset: function-level \(FLR\)/);
    expect(verdict(r, '0000:01:00.1')).toMatchObject({ role: 'gpu-audio', kind: 'alone', together: ['0000:01:00.0'] });
    // The add-on USB controller alone; the iGPU the host's display runs on is flagged.
    expect(verdict(r, '0000:03:00.0')).toMatchObject({ role: 'usb-controller', kind: 'alone' });
    expect(verdict(r, '0000:03:00.0').notes[0]).toMatch(/^Reset: pm, bus \(no FLR\)/);
    expect(verdict(r, '0000:00:02.0').notes.join(' ')).toMatch(/single-GPU passthrough/);
    // Only GPUs, their audio and USB controllers get verdicts: not the NIC, SATA, bridges.
    expect(r.verdicts.map((v) => v.address).sort()).toEqual(['0000:00:02.0', '0000:00:14.0', '0000:01:00.0', '0000:01:00.1', '0000:03:00.0']);
    const dev = r.groups.find((g) => g.id === 1)?.devices[0];
    expect(dev).toMatchObject({ vendorId: '10de', deviceId: '2206', className: 'VGA compatible controller', driver: 'nvidia', reset: { methods: ['flr', 'bus'], flr: true } });
  });

  it('a GPU sharing its group with a PCIe bridge and a NIC: the whole group, the NIC comes along, the bridge stays', async () => {
    const r = await report('desktop-gpu-with-nic');
    expect(r.bootLoader).toBe('systemd-boot');
    expect(r.kernelParams).toEqual(['iommu=pt']);
    expect(r.paramsPresent).toBe(false);
    expect(r.howToEnable).toContain('Add iommu=pt to the "options" line of each boot entry: /boot/loader/entries/manjaro.conf.');
    const gpu = verdict(r, '0000:0a:00.0');
    expect(gpu).toMatchObject({ kind: 'whole-group', together: ['0000:0a:00.1', '0000:0b:00.0'], staysWithHost: ['0000:00:03.1'], blockers: [] });
    expect(gpu.summary).toBe(
      'Needs its whole IOMMU group 8: 0000:0a:00.1 (Advanced Micro Devices, Inc. [AMD/ATI] Navi 10/21/23 HDMI/DP Audio Controller), 0000:0b:00.0 (Intel Corporation I211 Gigabit Network Connection) must go to the guest with it.',
    );
    expect(gpu.notes).toContain('Reset: bus (no FLR): a bus reset also resets the other functions on the card.');
    expect(gpu.notes).toContain('Bound to amdgpu now: it is switched to vfio-pci before the guest starts.');
    expect(verdict(r, '0000:0a:00.1')).toMatchObject({ role: 'gpu-audio', kind: 'whole-group', together: ['0000:0a:00.0', '0000:0b:00.0'] });
    // The other GPU is alone but is the host's display.
    expect(verdict(r, '0000:0c:00.0')).toMatchObject({ kind: 'alone' });
  });

  it('an AMD desktop whose chipset USB controller sits with the chipset: cannot, and why', async () => {
    const r = await report('amd-usb-chipset');
    expect(r.bootLoader).toBe('limine');
    expect(r.howToEnable).toContain('Add iommu=pt to the "cmdline:" line of each entry in /boot/limine.conf.');
    const usb = verdict(r, '0000:02:00.0');
    expect(usb.kind).toBe('cannot');
    expect(usb.blockers).toEqual([
      { address: '0000:00:08.0', reason: 'the chipset\'s host bridge' },
      { address: '0000:00:14.0', reason: 'the chipset\'s SMBus' },
      { address: '0000:00:14.3', reason: 'the chipset (ISA/LPC bridge)' },
      { address: '0000:02:00.1', reason: 'a storage controller: the host\'s disks may be on it' },
    ]);
    expect(usb.summary).toMatch(/^Cannot be passed through: IOMMU group 15 also holds 0000:00:08\.0 \(/);
    expect(verdict(r, '0000:0e:00.3')).toMatchObject({ role: 'usb-controller', kind: 'alone' });
    // GPU and audio in separate groups: each alone, no reset_method on this kernel.
    expect(verdict(r, '0000:0c:00.0')).toMatchObject({ kind: 'alone', together: [] });
    expect(verdict(r, '0000:0c:00.1')).toMatchObject({ role: 'gpu-audio', kind: 'alone' });
    expect(verdict(r, '0000:0c:00.0').notes[0]).toMatch(/^Reset: unknown/);
  });

  it('a laptop with no IOMMU: off, and how to turn it on with GRUB on Debian', async () => {
    const r = await report('laptop-no-iommu');
    expect(r).toMatchObject({ enabled: false, groups: [], verdicts: [], bootLoader: 'grub', paramsPresent: false });
    expect(r.howToEnable).toEqual([
      'Turn on VT-d in the firmware (BIOS/UEFI) settings.',
      'Add intel_iommu=on iommu=pt to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub.',
      'Write GRUB\'s menu again: sudo update-grub',
      'Reboot. Guestbay reads the groups again when this page opens.',
    ]);
  });

  it('an Intel iGPU with GVT-g types: the types, and what the host needs', async () => {
    const r = await report('intel-igpu-gvtg');
    const igpu = r.groups.find((g) => g.id === 1)?.devices[0];
    expect(igpu?.mdevTypes).toEqual([
      { id: 'i915-GVTg_V5_4', name: 'GVTg_V5_4', description: 'low_gm_size: 128MB, high_gm_size: 512MB, fence: 4, resolution: 1920x1200, weight: 4', available: 1 },
      { id: 'i915-GVTg_V5_8', name: 'GVTg_V5_8', description: 'low_gm_size: 64MB, high_gm_size: 384MB, fence: 4, resolution: 1024x768, weight: 2', available: 2 },
    ]);
    expect(r.igpuNotes[0]).toMatch(/^0000:00:02\.0 offers GVT-g shares \(i915-GVTg_V5_4: 1 free; i915-GVTg_V5_8: 2 free\)\. The host needs i915\.enable_gvt=1/);
    expect(r.igpuNotes[0]).toContain('vfio-pci,sysfsdev=/sys/bus/mdev/devices/<UUID>');
    expect(r.paramsPresent).toBe(true);
  });

  it('an Intel iGPU with SR-IOV virtual functions: each VF its own group, passable alone', async () => {
    const r = await report('intel-igpu-sriov');
    const pf = r.groups.find((g) => g.id === 1)?.devices[0];
    expect(pf?.sriov).toEqual({ total: 7, enabled: 2, vfs: ['0000:00:02.1', '0000:00:02.2'] });
    expect(r.groups.find((g) => g.id === 17)?.devices[0]?.physfn).toBe('0000:00:02.0');
    expect(verdict(r, '0000:00:02.1')).toMatchObject({ kind: 'alone' });
    expect(verdict(r, '0000:00:02.1').notes).toContain('Bound to vfio-pci already.');
    expect(r.igpuNotes).toHaveLength(1);
    expect(r.igpuNotes[0]).toMatch(/^0000:00:02\.0 has SR-IOV: 2 of 7 virtual functions enabled \(0000:00:02\.1, 0000:00:02\.2\)/);
  });
});

describe('guestbay iommu (text)', () => {
  it('groups, devices with ids, class, driver and FLR, and each verdict under its device', async () => {
    const lines = formatIommuReport(await report('desktop-gpu-with-nic'));
    expect(lines.slice(0, 6)).toEqual([
      'IOMMU: on, 3 groups (boot loader: systemd-boot).',
      '  Recommended on the kernel command line: iommu=pt (see below).',
      'To turn it on (systemd-boot):',
      '  1. Turn on the IOMMU (AMD-Vi, sometimes "IOMMU" or "SVM") in the firmware (BIOS/UEFI) settings.',
      '  2. Add iommu=pt to the "options" line of each boot entry: /boot/loader/entries/manjaro.conf.',
      '  3. Reboot. Guestbay reads the groups again when this page opens.',
    ]);
    const at = lines.indexOf('Group 8');
    // The PCIe bridge stays with the host and does not make the group impossible (the kernel's
    // vfio allows bridges in a group): the GPU needs its whole group, not "cannot".
    expect(lines.slice(at, at + 5)).toEqual([
      'Group 8',
      '  0000:00:03.1  Advanced Micro Devices, Inc. [AMD] PCI bridge  [1022:1453] PCI bridge, driver pcieport',
      '      = stays with the host: a PCI bridge is never passed, and VFIO lets it stay in the group',
      '  0000:0a:00.0  Advanced Micro Devices, Inc. [AMD/ATI] Navi 10 [Radeon RX 5600 OEM/5600 XT / 5700/5700 XT]  [1002:731f] VGA compatible controller, driver amdgpu',
      expect.stringMatching(/^ {6}! whole group: Needs its whole IOMMU group 8: /),
    ]);
    expect(lines).toContain('      PCI bridge 0000:00:03.1 stays with the host: VFIO allows bridges in a group.');
    expect(lines.some((l) => /✗ cannot/.test(l) && /group 8/.test(l))).toBe(false);
  });

  it('no IOMMU: says so first', async () => {
    expect(formatIommuReport(await report('laptop-no-iommu'))[0]).toBe('IOMMU: off — no PCI device can be passed to a guest until it is on.');
  });
});

describe('bridges in a group (the kernel lets vfio take a group whose bridges keep pcieport)', () => {
  const dev = (address: string, classCode: string, driver: string | null): IommuDevice => ({
    address, vendorId: '1022', deviceId: '0000', classCode, className: '', description: address, driver,
    reset: { methods: ['bus'], flr: false }, bootVga: false, mdevTypes: [], sriov: null, physfn: null,
  });
  it('a PCI-to-PCI bridge (0604) and a semi-transparent one (0609) stay with the host; a GPU beside them is alone', () => {
    const group = { id: 3, devices: [dev('0000:00:01.0', '060400', 'pcieport'), dev('0000:00:1e.0', '060901', null), dev('0000:01:00.0', '030000', 'amdgpu')] };
    const v = verdictFor(group.devices[2]!, group);
    expect(v).toMatchObject({ kind: 'alone', staysWithHost: ['0000:00:01.0', '0000:00:1e.0'], blockers: [] });
    expect(v?.notes).toContain('PCI bridge 0000:00:01.0, 0000:00:1e.0 stays with the host: VFIO allows bridges in a group.');
  });
  it('an ISA bridge (0601) is the chipset: cannot', () => {
    const group = { id: 4, devices: [dev('0000:00:1f.0', '060100', 'lpc_ich'), dev('0000:01:00.0', '030000', 'amdgpu')] };
    expect(verdictFor(group.devices[1]!, group)?.kind).toBe('cannot');
  });
});
