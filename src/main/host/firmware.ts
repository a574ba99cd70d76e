// Firmware as QEMU's firmware descriptors describe it (docs/interop/firmware.json), never a
// list of guessed paths: the descriptors say which file is the code, which the variable
// template, and which features (Secure Boot, enrolled keys, SMM) each build has.
import type { FirmwareEntry } from '../../shared/host-caps';
import { ALL_ARCHES, archTraits } from '../../shared/os/arch-table';
import { readDescriptors, type DescriptorFile } from './descriptors';
import { exists } from './files';
import type { ProbeContext } from './options';

export { pickFirmware, machineMatches, type FirmwareWant } from '../../shared/firmware-pick';

interface RawDescriptor {
  description?: unknown;
  'interface-types'?: unknown;
  mapping?: {
    device?: unknown;
    mode?: unknown;
    filename?: unknown;
    executable?: { filename?: unknown; format?: unknown };
    'nvram-template'?: { filename?: unknown; format?: unknown };
  };
  targets?: unknown;
  features?: unknown;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * One descriptor → an entry, or null when it is for no architecture Guestbay runs (x86_64,
 * aarch64, riscv64: os/arch-table.ts) or not something the plan
 * can boot a normal guest with. The plan relies on two shapes only:
 * - `uefi`: split flash, read-only CODE plus a VARS template copied per guest. Stateless
 *   and memory-mapped UEFI builds are dropped: they are the confidential-computing builds
 *   (OVMF.amdsev.fd, OVMF.inteltdx.fd) or keep no boot entries across restarts.
 * - `bios`: an image for `-bios` (SeaBIOS descriptors map it as `memory`).
 */
export function parseFirmwareDescriptor(file: Pick<DescriptorFile, 'path' | 'json'>): FirmwareEntry | null {
  if (typeof file.json !== 'object' || file.json === null) return null;
  const d = file.json as RawDescriptor;
  const interfaces = strings(d['interface-types']);
  const type = interfaces.includes('uefi') ? 'uefi' : interfaces.includes('bios') ? 'bios' : null;
  if (!type) return null;

  // Real descriptors name one architecture; one naming several is read for the first we know.
  const known = new Set(ALL_ARCHES.map((a) => archTraits(a).descriptorArch));
  const machines: string[] = [];
  let architecture: string | undefined;
  for (const t of Array.isArray(d.targets) ? (d.targets as unknown[]) : []) {
    const target = t as { architecture?: unknown; machines?: unknown };
    if (typeof target.architecture !== 'string' || !known.has(target.architecture)) continue;
    architecture ??= target.architecture;
    if (target.architecture === architecture) machines.push(...strings(target.machines));
  }
  if (!architecture || machines.length === 0) return null;

  const mapping = d.mapping ?? {};
  let executable: string | undefined;
  let varsTemplate: string | undefined;
  let format: unknown = 'raw';
  if (mapping.device === 'flash') {
    const mode = str(mapping.mode) ?? 'split';
    executable = str(mapping.executable?.filename);
    format = mapping.executable?.format ?? 'raw';
    varsTemplate = str(mapping['nvram-template']?.filename);
    if (type === 'uefi' && (mode !== 'split' || !varsTemplate)) return null;
  } else if (mapping.device === 'memory') {
    if (type === 'uefi') return null;
    executable = str(mapping.filename);
  } else {
    return null; // `kernel` mappings are for SEV direct kernel boot
  }
  if (!executable || (format !== 'raw' && format !== 'qcow2')) return null;

  const features = strings(d.features);
  return {
    descriptor: file.path,
    description: str(d.description) ?? '',
    type,
    architecture,
    machines,
    features,
    executable,
    ...(varsTemplate ? { varsTemplate } : {}),
    format,
    secureBoot: features.includes('secure-boot'),
    enrolledKeys: features.includes('enrolled-keys'),
    requiresSmm: features.includes('requires-smm'),
  };
}

/** Entries in priority order whose files are really there (a leftover descriptor is not firmware). */
export async function probeFirmware(ctx: ProbeContext): Promise<FirmwareEntry[]> {
  const parsed = (await readDescriptors(ctx, 'firmware')).map(parseFirmwareDescriptor);
  const present = await Promise.all(
    parsed.map(async (e) => {
      if (!e) return null;
      const files = [e.executable, ...(e.varsTemplate ? [e.varsTemplate] : [])];
      const ok = (await Promise.all(files.map((f) => exists(ctx.host(f))))).every(Boolean);
      return ok ? e : null;
    }),
  );
  return present.filter((e): e is FirmwareEntry => e !== null);
}
