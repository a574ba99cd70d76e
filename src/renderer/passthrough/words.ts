// The IOMMU report in a person's words, shared by the IOMMU page and the guest's Passthrough
// settings: what a verdict means, what a device is, how it resets.
import type { IommuDevice, IommuReport, PassthroughVerdict } from '../../shared/iommu-report';

export const KIND_WORDS: Record<PassthroughVerdict['kind'], { badge: string; status: 'ok' | 'warning' | 'missing' }> = {
  alone: { badge: 'Can be passed', status: 'ok' },
  'whole-group': { badge: 'Only with its whole group', status: 'warning' },
  cannot: { badge: 'Cannot be passed', status: 'missing' },
};

export const ROLE_WORDS: Record<PassthroughVerdict['role'], string> = {
  gpu: 'Graphics card',
  'gpu-audio': 'Graphics card’s sound',
  'usb-controller': 'USB controller',
};

export const LOADER_WORDS: Record<IommuReport['bootLoader'], string> = { grub: 'GRUB', 'systemd-boot': 'systemd-boot', limine: 'Limine', unknown: 'not recognised' };

/** `0000:01:00.1` → `0000:01:00`: the functions of one card share it. */
export const slotOf = (address: string): string => address.replace(/\.[0-7]$/, '');

export function resetWords(d: IommuDevice): string {
  const m = d.reset.methods;
  if (m === null) return 'reset unknown';
  if (m.length === 0) return 'no reset: may need a host reboot between guest starts';
  if (d.reset.flr) return 'resets cleanly (FLR)';
  return `reset by ${m.join(', ')}`;
}

export function deviceIndex(r: IommuReport): Map<string, IommuDevice & { group: number }> {
  return new Map(r.groups.flatMap((g) => g.devices.map((d) => [d.address, { ...d, group: g.id }] as const)));
}

/** What a verdict brings along: the same card's functions (a GPU's sound) and, for a whole group, the rest. */
export function alongWith(v: PassthroughVerdict, devices: Map<string, IommuDevice>): { card: IommuDevice[]; group: IommuDevice[] } {
  const all = v.together.map((a) => devices.get(a)).filter((d): d is IommuDevice => d !== undefined);
  return { card: all.filter((d) => slotOf(d.address) === slotOf(v.address)), group: all.filter((d) => slotOf(d.address) !== slotOf(v.address)) };
}
