// What differs between two versions of a guest's configuration, as the settings a user knows:
// "memory", "port forwards", "disk system". Used to name what another client changed (a
// conflict) and what a running guest will get at its next start (pending changes). Pure.
import type { VmConfig } from './vm-config';

export interface ConfigChange {
  /** The setting's place in VmConfig: `memoryMiB`, `network.portForwards`, `disks.system`. */
  field: string;
  /** The setting in words: "memory", "port forwards", "disk system". */
  label: string;
}

/** The settings a user edits, in the order the guest page lists them, with their words. */
const SETTINGS: { field: string; label: string; get: (c: VmConfig) => unknown }[] = [
  { field: 'title', label: 'title', get: (c) => c.title },
  { field: 'os', label: 'guest system', get: (c) => c.os },
  { field: 'machine', label: 'machine type', get: (c) => c.machine },
  { field: 'accel', label: 'accelerator', get: (c) => c.accel },
  { field: 'firmware', label: 'firmware', get: (c) => c.firmware },
  { field: 'cpu.cores', label: 'cores', get: (c) => c.cpu.cores },
  { field: 'cpu.threads', label: 'threads per core', get: (c) => (c.cpu as { threads?: number }).threads },
  { field: 'cpu.model', label: 'CPU model', get: (c) => c.cpu.model },
  { field: 'memoryMiB', label: 'memory', get: (c) => c.memoryMiB },
  { field: 'memoryFile', label: 'memory in a file', get: (c) => c.memoryFile ?? false },
  { field: 'media', label: 'CD/DVD and other media', get: (c) => c.media },
  { field: 'network.mode', label: 'network mode', get: (c) => c.network.mode },
  { field: 'network.bridge', label: 'network bridge', get: (c) => c.network.bridge },
  { field: 'network.nic', label: 'network card', get: (c) => c.network.nic },
  { field: 'network.mac', label: 'MAC address', get: (c) => c.network.mac },
  { field: 'network.portForwards', label: 'port forwards', get: (c) => c.network.portForwards },
  { field: 'display', label: 'display', get: (c) => c.display },
  { field: 'sharedFolders', label: 'shared folders', get: (c) => c.sharedFolders },
  { field: 'usb.controller', label: 'USB controller', get: (c) => c.usb.controller },
  { field: 'usb.hostDevices', label: 'USB devices', get: (c) => c.usb.hostDevices },
  { field: 'pciDevices', label: 'PCI devices', get: (c) => c.pciDevices },
  { field: 'singleGpu', label: 'single-GPU passthrough', get: (c) => c.singleGpu },
  { field: 'input', label: 'keyboard and pointer', get: (c) => c.input },
  { field: 'lookingGlass', label: 'Looking Glass', get: (c) => c.lookingGlass },
  { field: 'audio', label: 'sound', get: (c) => c.audio },
  { field: 'tpm', label: 'TPM', get: (c) => c.tpm },
  { field: 'kernelBoot', label: 'direct kernel boot', get: (c) => c.kernelBoot },
  { field: 'macos', label: 'macOS identity', get: (c) => c.macos },
  { field: 'extraArgs', label: 'extra QEMU arguments', get: (c) => c.extraArgs },
];

/** Settings not listed above (a field a newer schema added) still count, under their own name. */
const KNOWN_TOP = new Set(['schemaVersion', 'name', 'preset', 'disks', ...SETTINGS.map((s) => s.field.split('.')[0]!)]);

/** Stable JSON: the same value gives the same text whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The settings that differ between `before` and `after`, in the guest page's order. */
export function configChanges(before: VmConfig, after: VmConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  if (before.name !== after.name) out.push({ field: 'name', label: 'name' });
  for (const s of SETTINGS) if (!same(s.get(before), s.get(after))) out.push({ field: s.field, label: s.label });
  // Disks by id: a disk added, removed or changed is named.
  const ids = [...new Set([...before.disks.map((d) => d.id), ...after.disks.map((d) => d.id)])];
  for (const id of ids) {
    const a = before.disks.find((d) => d.id === id);
    const b = after.disks.find((d) => d.id === id);
    if (!same(a, b)) out.push({ field: `disks.${id}`, label: `disk ${id}` });
  }
  const rest = Object.keys({ ...before, ...after }).filter((k) => !KNOWN_TOP.has(k));
  for (const k of rest) {
    if (!same((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k])) out.push({ field: k, label: k });
  }
  return out;
}

/** "memory, port forwards and disk data". */
export function listLabels(changes: ConfigChange[]): string {
  const l = changes.map((c) => c.label);
  if (l.length <= 1) return l.join('');
  return `${l.slice(0, -1).join(', ')} and ${l[l.length - 1]}`;
}
