// U-Boot builds for QEMU's boards, found where distributions install them. There is no
// descriptor for them as there is for UEFI (docs/interop/firmware.json covers only firmware QEMU
// maps itself), so the probe looks at each distribution's own path. RISC-V needs one: QEMU's
// built-in OpenSBI starts whatever QEMU loads as the kernel, and U-Boot (S-mode) is the one that
// then boots a disk (extlinux.conf, boot.scr, or the removable UEFI path).
import type { GuestArch } from '../../shared/vm-choices';
import { kindOf } from './files';
import type { ProbeContext } from './options';

/** Where each distribution's package puts the build (packages.ts names the packages). */
export const UBOOT_PATHS: Partial<Record<GuestArch, readonly string[]>> = {
  riscv64: [
    // Debian and Ubuntu: u-boot-qemu (Debian 12 and 13 both have the S-mode build).
    '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin',
    // Fedora: uboot-images-riscv64.
    '/usr/share/uboot/qemu-riscv64_smode/u-boot.bin',
  ],
};

export async function probeUboot(ctx: ProbeContext): Promise<Partial<Record<GuestArch, string>>> {
  const found = await Promise.all(
    Object.entries(UBOOT_PATHS).map(async ([arch, paths]) => {
      for (const p of paths ?? []) if ((await kindOf(ctx.host(p))) === 'file') return [arch, p] as const;
      return null;
    }),
  );
  return Object.fromEntries(found.filter((e) => e !== null));
}
