// Which firmware a guest gets, from the probed firmware descriptors. Pure, and in src/shared
// because both the host checks (host/findings.ts) and the launch plan (qemu/plan/firmware.ts)
// ask it, and host/ may not import qemu/ nor qemu/ host's code.
import type { FirmwareEntry } from './host-caps';

export interface FirmwareWant {
  type: 'uefi' | 'bios';
  secureBoot: boolean;
  /** The descriptors' name for the guest's architecture (os/arch-table.ts `descriptorArch`); default x86_64. */
  architecture?: string;
  /** A resolved machine type such as `pc-q35-7.2`; aliases (`q35`) match no descriptor. */
  machine: string;
}

/** Descriptor machine patterns are shell-style globs (`pc-q35-*`), as libvirt reads them. */
export function machineMatches(pattern: string, machine: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(machine);
}

/**
 * The first entry, in descriptor priority order, that fits. What fits follows what the user
 * asked for, not just the feature list:
 * - Secure Boot on (Windows 11, or a user who wants it): prefer builds with Microsoft's keys
 *   enrolled, so Secure Boot is really enforced from the first boot and Windows and shim-signed
 *   Linux just boot. Without such a build, a Secure Boot build with an empty key store still
 *   satisfies Windows 11's "Secure Boot capable" check; the user can enroll keys later.
 * - Secure Boot off: prefer builds without Secure Boot, which boot anything (unsigned loaders,
 *   OpenCore for macOS) and need no SMM. Failing that, a Secure Boot build with no keys enrolled
 *   behaves the same (nothing is enforced until a platform key exists), but needs SMM: the plan
 *   must follow `requiresSmm`. Never a build with keys enrolled: it would refuse unsigned loaders.
 * Feature flags such as `amd-sev` or `verbose-dynamic` say what a build also supports, not what
 * it requires (Debian's plain OVMF lists both), so they do not exclude anything. The builds
 * that cannot run a normal guest are the memory-mapped/stateless ones, dropped when the
 * descriptors are read (firmware.ts).
 */
export function pickFirmware(entries: readonly FirmwareEntry[], want: FirmwareWant): FirmwareEntry | undefined {
  const arch = want.architecture ?? 'x86_64';
  const fits = entries.filter((e) => e.type === want.type && e.architecture === arch && e.machines.some((p) => machineMatches(p, want.machine)));
  if (want.type === 'bios') return fits[0];
  if (want.secureBoot) return fits.find((e) => e.secureBoot && e.enrolledKeys) ?? fits.find((e) => e.secureBoot);
  return fits.find((e) => !e.secureBoot) ?? fits.find((e) => !e.enrolledKeys);
}
