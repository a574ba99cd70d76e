// Whether a GPU, its audio function or a USB controller can go to a guest, from its IOMMU group
// alone (pure: the IOMMU view and the prerequisite checks both ask it). VFIO takes a whole group
// or nothing: every endpoint in it must be bound to vfio-pci, except PCI-to-PCI bridges, which
// VFIO lets stay with the host's pcieport driver (they are never given to a guest). So the
// verdict is "alone" when nothing else is in the group but the device's own slot-mates (a GPU's
// audio function) and bridges, "whole group" when other endpoints must come along, and "cannot"
// when one of those endpoints is something the host cannot lose (the chipset, its disks, its
// display).
import type { IommuDevice, PassthroughVerdict } from '../../shared/iommu-report';

export interface GroupLike {
  id: number;
  devices: IommuDevice[];
}

const isGpu = (d: IommuDevice) => d.classCode.startsWith('03');
const isAudio = (d: IommuDevice) => d.classCode.startsWith('0403');
const isUsbController = (d: IommuDevice) => d.classCode.startsWith('0c03');
/**
 * A PCI-to-PCI bridge (class 0604, and 0609 semi-transparent: both type-1 headers) stays with the
 * host and never makes its group impossible. The kernel's rule: vfio's group viability
 * (vfio_dev_viable, drivers/vfio/vfio.c until 5.18) allowed a device that is driver-less, bound to
 * vfio, bound to pci-stub, or "a PCI interconnect device" (hdr_type != PCI_HEADER_TYPE_NORMAL,
 * i.e. a bridge, with whatever driver); since 5.19 the IOMMU core's DMA ownership decides, and
 * pcieport sets driver_managed_dma ("PCI: portdrv: Set driver_managed_dma") to keep exactly that:
 * a group with a bridge on pcieport is viable while its other devices go to vfio-pci. The bridge
 * itself is never given to a guest.
 */
const isPciBridge = (d: IommuDevice) => d.classCode.startsWith('0604') || d.classCode.startsWith('0609');
/** `0000:01:00.1` → `0000:01:00`: the functions of one card share it. */
export const slotOf = (address: string): string => address.replace(/\.[0-7]$/, '');

/** Why the host cannot give this device away, or null when it can. */
export function hostNeeds(d: IommuDevice): string | null {
  const c = d.classCode;
  if (c.startsWith('0600')) return 'the chipset\'s host bridge';
  if (c.startsWith('0601')) return 'the chipset (ISA/LPC bridge)';
  if (c.startsWith('06') && !isPciBridge(d)) return 'a chipset bridge';
  if (c.startsWith('0c05')) return 'the chipset\'s SMBus';
  if (c.startsWith('0500')) return 'a memory controller';
  if (c.startsWith('01')) return 'a storage controller: the host\'s disks may be on it';
  if (isGpu(d) && d.bootVga) return 'the GPU the host\'s display runs on';
  return null;
}

function roleOf(d: IommuDevice, all: IommuDevice[]): PassthroughVerdict['role'] | null {
  if (isGpu(d)) return 'gpu';
  if (isAudio(d) && all.some((o) => o !== d && isGpu(o) && slotOf(o.address) === slotOf(d.address))) return 'gpu-audio';
  if (isUsbController(d)) return 'usb-controller';
  return null;
}

const label = (d: IommuDevice) => `${d.address} (${d.description})`;

export function resetNote(d: IommuDevice): string {
  const m = d.reset.methods;
  if (m === null) return 'Reset: unknown (this kernel has no reset_method file; 5.15 and later do).';
  if (m.length === 0) return 'Reset: none. It may not work again after the guest shuts down until the host reboots.';
  if (d.reset.flr) return `Reset: function-level (FLR) — it resets cleanly between guest starts (${m.join(', ')}).`;
  return `Reset: ${m.join(', ')} (no FLR): a bus reset also resets the other functions on the card.`;
}

export function verdictFor(d: IommuDevice, group: GroupLike, all: IommuDevice[] = group.devices): PassthroughVerdict | null {
  const role = roleOf(d, all);
  if (!role) return null;
  const own = (o: IommuDevice) =>
    role !== 'usb-controller' && slotOf(o.address) === slotOf(d.address) && (isGpu(o) || isAudio(o));
  const together: string[] = [];
  const staysWithHost: string[] = [];
  const blockers: PassthroughVerdict['blockers'] = [];
  let extra = 0;
  for (const o of group.devices) {
    if (o.address === d.address) continue;
    if (own(o)) {
      together.push(o.address);
      continue;
    }
    if (isPciBridge(o)) {
      staysWithHost.push(o.address);
      continue;
    }
    const why = hostNeeds(o);
    if (why) blockers.push({ address: o.address, reason: why });
    else {
      together.push(o.address);
      extra += 1;
    }
  }
  const notes: string[] = [resetNote(d)];
  if (role === 'gpu' && d.bootVga) {
    notes.push('The host\'s display runs on this GPU: passing it is single-GPU passthrough (the host gives up its screen while the guest runs).');
  }
  if (d.driver === 'vfio-pci') notes.push('Bound to vfio-pci already.');
  else if (d.driver) notes.push(`Bound to ${d.driver} now: it is switched to vfio-pci before the guest starts.`);
  if (staysWithHost.length) notes.push(`PCI bridge ${staysWithHost.join(', ')} stays with the host: VFIO allows bridges in a group.`);

  const byAddr = new Map(group.devices.map((x) => [x.address, x]));
  const named = (a: string) => label(byAddr.get(a) as IommuDevice);
  let kind: PassthroughVerdict['kind'];
  let summary: string;
  if (blockers.length) {
    kind = 'cannot';
    summary = `Cannot be passed through: IOMMU group ${group.id} also holds ${blockers.map((b) => `${named(b.address)} — ${b.reason}`).join('; ')}.`;
  } else if (extra > 0) {
    kind = 'whole-group';
    summary = `Needs its whole IOMMU group ${group.id}: ${together.map(named).join(', ')} must go to the guest with it.`;
  } else {
    kind = 'alone';
    summary = together.length ? `Can be passed alone, with ${together.map(named).join(', ')} from the same card.` : 'Can be passed alone.';
  }
  return { address: d.address, role, kind, summary, together, staysWithHost, blockers, notes };
}

/** A verdict for every GPU, GPU audio function and USB controller, in group order. */
export function verdicts(groups: GroupLike[]): PassthroughVerdict[] {
  const all = groups.flatMap((g) => g.devices);
  return groups.flatMap((g) => g.devices.map((d) => verdictFor(d, g, all)).filter((v): v is PassthroughVerdict => v !== null));
}
