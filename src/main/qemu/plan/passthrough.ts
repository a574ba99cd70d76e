// Whole PCI devices (a GPU, a USB controller) handed to the guest through VFIO.
import { opts } from '../qemu-opts';
import { PlanError, type FamilyInput } from './types';

export function addPciPassthrough(i: FamilyInput): void {
  const { config, argv, caps } = i;
  if (config.pciDevices.length === 0) return;
  if (i.accel !== 'kvm') throw new PlanError('PCI passthrough needs KVM', 'pciDevices');
  if (!caps.iommu.enabled) {
    throw new PlanError('PCI passthrough needs the IOMMU on: add amd_iommu=on or intel_iommu=on iommu=pt to the kernel command line', 'pciDevices');
  }
  for (const d of config.pciDevices) {
    const group = caps.iommu.groups.find((g) => g.devices.some((x) => x.address === d.address));
    if (!group) throw new PlanError(`no PCI device ${d.address} in any IOMMU group`, 'pciDevices');
    const others = group.devices.filter((x) => x.address !== d.address && !config.pciDevices.some((p) => p.address === x.address));
    if (others.length) {
      i.warn('iommu-group', `${d.address} shares IOMMU group ${group.id} with ${others.map((o) => o.address).join(', ')}: all of them must be bound to vfio-pci.`);
    }
    argv.add('-device', opts('vfio-pci', { host: d.address, romfile: d.romFile }));
  }
}
