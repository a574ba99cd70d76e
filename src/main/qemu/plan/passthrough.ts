// Whole PCI devices (a GPU, a USB controller) handed to the guest through VFIO.
import type { PciDevice } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
import { PlanError, type FamilyInput } from './types';

/** `0000:0b:00.1` → `0000:0b:00`: a card's functions (a GPU and its HDMI audio) share it. */
const hostSlot = (address: string) => address.replace(/\.[0-7]$/, '');

export function addPciPassthrough(i: FamilyInput): void {
  const { config, argv, caps } = i;
  if (config.pciDevices.length === 0) return;
  if (i.accel !== 'kvm') throw new PlanError('PCI passthrough needs KVM', 'pciDevices');
  if (!caps.iommu.enabled) {
    throw new PlanError('PCI passthrough needs the IOMMU on: add amd_iommu=on or intel_iommu=on iommu=pt to the kernel command line', 'pciDevices');
  }
  const slots = new Map<string, PciDevice[]>();
  for (const d of config.pciDevices) {
    if (d.mdev) {
      // A GVT-g share is its own device with its own IOMMU group: passed by its sysfs path.
      argv.add('-device', opts('vfio-pci', { sysfsdev: `/sys/bus/mdev/devices/${d.mdev}` }));
      continue;
    }
    const group = caps.iommu.groups.find((g) => g.devices.some((x) => x.address === d.address));
    if (!group) throw new PlanError(`no PCI device ${d.address} in any IOMMU group`, 'pciDevices');
    const others = group.devices.filter((x) => x.address !== d.address && !config.pciDevices.some((p) => p.address === x.address));
    if (others.length) {
      i.warn('iommu-group', `${d.address} shares IOMMU group ${group.id} with ${others.map((o) => o.address).join(', ')}: all of them must be bound to vfio-pci.`);
    }
    slots.set(hostSlot(d.address), [...(slots.get(hostSlot(d.address)) ?? []), d]);
  }
  let shared = 0;
  for (const fns of slots.values()) {
    const [only] = fns;
    if (fns.length === 1 && only) {
      argv.add('-device', opts('vfio-pci', { host: only.address, romfile: only.romFile }));
      continue;
    }
    // Several functions of one card (a GPU and its audio) stay one card in the guest: one slot,
    // function 0 marked multifunction, as on the host; drivers (NVIDIA's, AMD's) expect that.
    // On q35 the slot is a PCIe root port of its own, so the guest sees a PCIe card.
    const sorted = [...fns].sort((a, b) => a.address.localeCompare(b.address));
    let bus: string;
    let slot: string;
    if (config.machine === 'q35') {
      bus = `vfio-port${shared}`;
      slot = '00';
      argv.add('-device', opts('pcie-root-port', { id: bus, chassis: shared + 1, slot: 0 }));
    } else {
      bus = 'pci.0';
      slot = (0x10 + shared).toString(16);
    }
    sorted.forEach((d, fn) => {
      argv.add('-device', opts('vfio-pci', { host: d.address, bus, addr: `${slot}.${fn}`, multifunction: fn === 0 ? 'on' : undefined, romfile: d.romFile }));
    });
    shared += 1;
  }
}
