// IOMMU groups, the unit of PCI passthrough: a device can only go to a guest together
// with everything else in its group.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostCaps } from '../../shared/host-caps';
import { linkBasename, readText } from './files';
import type { ProbeContext } from './options';
import { describePci, loadPciNames } from './pci-ids';

export type Iommu = HostCaps['iommu'];
type PciDevice = Iommu['groups'][number]['devices'][number];

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** sysfs ids read `0x10de\n`; we keep bare lowercase hex like lspci prints. */
const hex = (s: string | null): string => (s ?? '').trim().replace(/^0x/i, '').toLowerCase();

async function readDevice(dir: string, address: string): Promise<Omit<PciDevice, 'description'>> {
  const [vendor, device, klass, driver] = await Promise.all([
    readText(join(dir, 'vendor')),
    readText(join(dir, 'device')),
    readText(join(dir, 'class')),
    linkBasename(join(dir, 'driver')),
  ]);
  return { address, vendorId: hex(vendor), deviceId: hex(device), classCode: hex(klass), driver };
}

export async function probeIommu(ctx: ProbeContext): Promise<Iommu> {
  const base = ctx.host('/sys/kernel/iommu_groups');
  const ids = (await list(base)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const groups = await Promise.all(
    ids.map(async (id) => {
      const devDir = join(base, String(id), 'devices');
      const addresses = (await list(devDir)).sort();
      return { id, devices: await Promise.all(addresses.map((a) => readDevice(join(devDir, a), a))) };
    }),
  );
  const all = groups.flatMap((g) => g.devices);
  const names = all.length > 0 ? await loadPciNames(ctx, all) : undefined;
  return {
    enabled: groups.length > 0,
    groups: groups.map((g) => ({ id: g.id, devices: g.devices.map((d) => ({ ...d, description: describePci(d, names) })) })),
  };
}
