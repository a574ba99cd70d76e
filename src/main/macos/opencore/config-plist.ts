// OpenCore's config.plist for one QEMU guest, generated from its settings every time the boot
// disk is built. The key set is OpenCorePkg 1.0.7's Docs/Sample.plist: OpenCore reads a
// missing key as an "invalid value" (Configuration.tex, "Configuration Terms"), so every key
// the sample has is written. Values follow the sample unless a comment says why not; the QEMU
// choices were weighed against OSX-KVM's and dockur/macos's configs (both boot macOS on
// QEMU/OVMF). The guest CPU is set by Guestbay's QEMU arguments (src/main/qemu/plan/system.ts),
// so there are no CPUID or cpufamily patches here, and no kexts: the release zip carries none,
// and Guestbay takes nothing from OcBinaryData or other bundles of Apple-derived files.
// One function per top-level section, in config/; the XML writer is plist-xml.ts.
import { macosRelease, type MacosReleaseKey } from '../../../shared/os/macos-releases';
import type { MacIdentity } from '../identity';
import { acpi } from './config/acpi';
import { booter } from './config/booter';
import { deviceProperties } from './config/device-properties';
import { kernel } from './config/kernel';
import { misc } from './config/misc';
import { nvram } from './config/nvram';
import { platformInfo } from './config/platform-info';
import { uefi } from './config/uefi';
import { plistXml, type PlistDict } from './plist-xml';

export { plistXml, type PlistDict, type PlistValue } from './plist-xml';

export interface OpenCoreConfigOptions {
  identity: MacIdentity;
  /** The guest's display size; OpenCore's picker and macOS's boot screen use it. */
  resolution: { width: number; height: number };
  /** The release being installed or run: decides how old an APFS driver may be. */
  release?: MacosReleaseKey;
  /** Verbose kernel boot (`-v`): text instead of the Apple logo; for troubleshooting. */
  verbose?: boolean;
  /** Seconds the picker waits before booting the default entry; 0 waits for a choice. Default 10, 5 once installed. */
  timeoutSeconds?: number;
  /**
   * macOS is installed (Guestbay detached the recovery disk): auxiliary entries (macOS's own
   * Recovery, Reset NVRAM) are hidden, so the picker shows the installed disk and boots it.
   * Space in the picker still shows them.
   */
  installed?: boolean;
}

export function openCoreConfig(o: OpenCoreConfigOptions): PlistDict {
  const id = checkIdentity(o.identity);
  const { width, height } = checkResolution(o.resolution);
  const timeout = o.timeoutSeconds ?? (o.installed ? 5 : 10);
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 3600) throw new Error(`picker timeout ${timeout} s is not a whole number of seconds in 0..3600`);
  // An unknown release may be an old one: then any APFS driver's age is allowed.
  const oldApfs = o.release === undefined || (macosRelease(o.release)?.oldApfsDriver ?? true);
  const bootArgs = [
    ...(o.verbose ? ['-v'] : []),
    // Symbol names in panic logs (Sample.plist's default): a panic report is readable.
    'keepsyms=1',
    // Stay on the panic screen instead of rebooting (dockur does the same): in a VM a reboot
    // loop hides the one message that says what went wrong.
    'debug=0x100',
  ];

  return {
    '#Generated': 'By Guestbay from the guest settings; rebuilt with the boot disk, so edits here do not last.',
    ACPI: acpi(),
    Booter: booter(),
    DeviceProperties: deviceProperties(),
    Kernel: kernel(),
    Misc: misc({ installed: o.installed === true, timeout }),
    NVRAM: nvram(bootArgs),
    PlatformInfo: platformInfo(id),
    UEFI: uefi({ oldApfs, width, height }),
  };
}

export function openCoreConfigXml(o: OpenCoreConfigOptions): string {
  return plistXml(openCoreConfig(o));
}

// The formats VmConfig's `macos` schema accepts (src/shared/vm-config.ts), checked again here
// because a malformed value would reach OpenCore as an "invalid value" with undefined results.
function checkIdentity(id: MacIdentity): MacIdentity {
  const bad = (what: string, v: string) => new Error(`the guest's ${what} "${v}" is malformed`);
  if (!/^[A-Za-z0-9,]{3,32}$/.test(id.model)) throw bad('Mac model', id.model);
  if (!/^[A-Z0-9]{10,12}$/.test(id.serial)) throw bad('serial number', id.serial);
  if (!/^[A-Z0-9]{13,17}$/.test(id.mlb)) throw bad('board serial (MLB)', id.mlb);
  if (!/^[0-9a-fA-F]{12}$/.test(id.rom)) throw bad('ROM', id.rom);
  if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(id.uuid)) throw bad('system UUID', id.uuid);
  return id;
}

function checkResolution(r: { width: number; height: number }): { width: number; height: number } {
  const ok = (n: number) => Number.isInteger(n) && n >= 640 && n <= 8192;
  if (!ok(r.width) || !ok(r.height)) throw new Error(`resolution ${r.width}x${r.height} is not a whole-pixel size between 640 and 8192`);
  return r;
}
