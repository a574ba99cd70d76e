// The OpenCorePkg release Guestbay builds every guest's boot disk from, and which files of it
// are used. Why the official release zip and not a ready-made image: docs/opencore.md.

/** A release zip Guestbay trusts: a version, and the SHA-256 its bytes must have. */
export interface OpenCorePin {
  version: string;
  /**
   * Lower-case hex SHA-256 of `OpenCore-<version>-RELEASE.zip`. `null` means "not pinned yet":
   * then nothing is downloaded or used at all (fetch.ts refuses), because an unverified boot
   * loader would run before macOS with full access to the guest.
   */
  sha256: string | null;
  /** Bytes, when known: a download larger than this is cut off early instead of filling the disk. */
  size?: number;
}

/**
 * OpenCore 1.0.7: the newest release (Changelog.md at tag 1.0.7, commit 6651fc36) and the first
 * after 1.0.5's "Fixed kext injection compatibility issues with macOS 26" to also carry
 * "Improved XhciPortLimit compatibility with macOS Tahoe". 1.0.8 was unreleased when pinned.
 *
 * The SHA-256 and size were NOT computed here (no network to GitHub from the build machine).
 * Three independent public records of the same asset agree on them: two projects' pinned
 * download manifests and one operator's boot-chain provenance table (docs/opencore.md names
 * them). Check them against a real download when bumping or releasing:
 *   curl -LO https://github.com/acidanthera/OpenCorePkg/releases/download/1.0.7/OpenCore-1.0.7-RELEASE.zip
 *   sha256sum OpenCore-1.0.7-RELEASE.zip; stat -c %s OpenCore-1.0.7-RELEASE.zip
 * A wrong value fails safe: every download is refused with the hash it had.
 */
export const OPENCORE_PIN: OpenCorePin = {
  version: '1.0.7',
  sha256: '2ffab6ebf58c7aefb0bcb3a1a385d207746823d6dd87d44bd666e1286939943e',
  size: 10_437_696,
};

export function openCoreReleaseUrl(version: string): string {
  return `https://github.com/acidanthera/OpenCorePkg/releases/download/${version}/OpenCore-${version}-RELEASE.zip`;
}

export function openCoreZipName(version: string): string {
  return `OpenCore-${version}-RELEASE.zip`;
}

/**
 * UEFI drivers loaded from EFI/OC/Drivers, in load order. All are OpenCorePkg's own
 * (BSD-3-Clause); nothing comes from OcBinaryData (Apple-derived HfsPlus.efi, ExFatDxe, the
 * OpenCanopy icons), so OpenCanopy is left out: without those resources it has nothing to draw
 * and OpenCore falls back to the text picker anyway.
 */
export const OPENCORE_DRIVERS: readonly { file: string; why: string }[] = [
  // Required by the Booter quirks below (OC_FIRMWARE_RUNTIME) and by RequestBootVarRouting.
  { file: 'OpenRuntime.efi', why: 'memory-map and NVRAM runtime fixes the Booter and UEFI quirks rely on' },
  // OVMF reads no HFS+; recovery images (BaseSystem) and High Sierra/Mojave installs are HFS+.
  // OpenCorePkg's own driver replaces Apple's closed HfsPlus.efi from OcBinaryData.
  { file: 'OpenHfsPlus.efi', why: 'reads HFS+ (the recovery image and older installs); open-source stand-in for Apple\'s HfsPlus.efi' },
  // Older recovery DMGs use the Apple Partition Map (Configuration.tex, legacy 10.8/10.9);
  // OSX-KVM loads it too. Cheap, and it keeps a user-supplied older DMG bootable.
  { file: 'OpenPartitionDxe.efi', why: 'Apple Partition Map support for DMGs that use it' },
  // A "Reset NVRAM" picker entry: the cure when OVMF variables go bad ("boots to the UEFI shell").
  { file: 'ResetNvramEntry.efi', why: 'a Reset NVRAM entry in the picker, for a guest whose UEFI variables went bad' },
];

export interface OpenCoreFile {
  /** Path inside the release zip. */
  from: string;
  /** Path on the ESP. */
  to: string;
  /** Copied when the release has it; its absence is no reason to fail. */
  optional?: boolean;
}

/** What the boot disk is made of (the release's X64 tree, as build_oc.tool lays it out). */
export function openCoreFiles(): OpenCoreFile[] {
  return [
    // The release's Bootstrap.efi, renamed by build_oc.tool to the removable-media fallback path,
    // so OVMF starts it with no boot entry of its own.
    { from: 'X64/EFI/BOOT/BOOTx64.efi', to: 'EFI/BOOT/BOOTx64.efi' },
    { from: 'X64/EFI/OC/OpenCore.efi', to: 'EFI/OC/OpenCore.efi' },
    ...OPENCORE_DRIVERS.map((d) => ({ from: `X64/EFI/OC/Drivers/${d.file}`, to: `EFI/OC/Drivers/${d.file}` })),
    // build_oc.tool writes these next to the loaders: an icon flavour, and "Disabled"
    // visibility so the picker never offers OpenCore's own disk as something to boot (OpenCore
    // also recognises its bootstrap by header; the files keep it so for other boot managers).
    ...['EFI/BOOT', 'EFI/OC'].flatMap((dir) =>
      ['.contentFlavour', '.contentVisibility'].map((f) => ({ from: `X64/${dir}/${f}`, to: `${dir}/${f}`, optional: true })),
    ),
  ];
}
