import { describe, expect, it } from 'vitest';
import { probeIommu } from '../../../src/main/host/iommu';
import { resolveContext } from '../../../src/main/host/options';
import { className, parsePciIds } from '../../../src/main/host/pci-ids';
import { makeHost, type PciFixture } from './helpers';

// Lines in pci.ids' own format (tabs, two spaces), for the ids used below.
const PCI_IDS = [
  '# pci.ids excerpt',
  '1022  Advanced Micro Devices, Inc. [AMD]',
  '\t1480  Starship/Matisse Root Complex',
  '\t\t1462 7c37  X570-A PRO motherboard',
  '10de  NVIDIA Corporation',
  '\t2206  GA102 [GeForce RTX 3080]',
  '\t1aef  GA102 High Definition Audio Controller',
  'C 03  Display controller',
  '\t00  VGA compatible controller',
  '\t\t00  VGA controller',
  'C 04  Multimedia controller',
  '\t03  Audio device',
  'C 06  Bridge',
  '\t00  Host bridge',
  '',
].join('\n');

const DEVICES: PciFixture[] = [
  { group: 0, address: '0000:00:00.0', vendor: '1022', device: '1480', klass: '060000' },
  { group: 14, address: '0000:2d:00.0', vendor: '10de', device: '2206', klass: '030000', driver: 'vfio-pci' },
  { group: 14, address: '0000:2d:00.1', vendor: '10de', device: '1aef', klass: '040300', driver: 'snd_hda_intel' },
  { group: 2, address: '0000:00:01.0', vendor: '8086', device: '1234', klass: '0c0330', driver: 'xhci_hcd' },
];

describe('probeIommu', () => {
  it('groups in numeric order, ids from sysfs, driver from the link, names from pci.ids', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'arch.txt', pci: DEVICES, pciIds: PCI_IDS });
    const iommu = await probeIommu(resolveContext(h.options));
    expect(iommu.enabled).toBe(true);
    expect(iommu.groups.map((g) => g.id)).toEqual([0, 2, 14]);
    expect(iommu.groups[0]?.devices).toEqual([
      { address: '0000:00:00.0', vendorId: '1022', deviceId: '1480', classCode: '060000', driver: null, description: 'Advanced Micro Devices, Inc. [AMD] Starship/Matisse Root Complex' },
    ]);
    expect(iommu.groups[2]?.devices.map((d) => [d.address, d.driver, d.description])).toEqual([
      ['0000:2d:00.0', 'vfio-pci', 'NVIDIA Corporation GA102 [GeForce RTX 3080]'],
      ['0000:2d:00.1', 'snd_hda_intel', 'NVIDIA Corporation GA102 High Definition Audio Controller'],
    ]);
    // Vendor not in the excerpt: the class name says what it is.
    expect(iommu.groups[1]?.devices[0]?.description).toBe('USB controller');
  });

  it('without pci.ids: class names', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', pci: DEVICES.slice(1, 2) });
    expect((await probeIommu(resolveContext(h.options))).groups[0]?.devices[0]?.description).toBe('VGA compatible controller');
  });

  it('no groups: IOMMU off', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt' });
    expect(await probeIommu(resolveContext(h.options))).toEqual({ enabled: false, groups: [] });
  });
});

describe('pci.ids', () => {
  it('keeps only the ids asked for, and the class table', () => {
    const names = parsePciIds(PCI_IDS, [{ vendorId: '10de', deviceId: '2206' }]);
    expect([...names.vendors.keys()]).toEqual(['10de']);
    expect([...names.devices.entries()]).toEqual([['10de:2206', 'GA102 [GeForce RTX 3080]']]);
    expect(className('040300', names)).toBe('Audio device');
    expect(className('0c0330')).toBe('USB controller');
    expect(className('ff0000')).toBe('Class ff0000');
  });
});
