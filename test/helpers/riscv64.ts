// Debian trixie's riscv64 kernel and the disks built from it, for the riscv64 guest tests
// (issue 21). riscv64 is official in trixie, not in Debian 12: the scripts fetch it where dpkg has
// riscv64 (the QEMU 10 chroot), or through the chroot from the host, cached in ~/.cache either way.
import { execa } from 'execa';
import { join } from 'node:path';
import { ROOT } from './cli';

async function run(script: string, args: string[] = []): Promise<string | null> {
  let r = await execa('bash', [script, ...args], { timeout: 10 * 60_000, reject: false });
  if (r.exitCode === 75) r = await execa(join(ROOT, 'scripts/qemu10/run.sh'), ['bash', script, ...args], { timeout: 10 * 60_000, reject: false });
  if (r.exitCode !== 0) {
    console.warn(`${script.split('/').at(-1)} failed: ${r.stderr.trim().split('\n').at(-1)}`);
    return null;
  }
  return r.stdout.trim().split('\n').at(-1)!;
}

/** test/guest/riscv64-kernel.sh's kernel and initramfs; null when neither here nor the chroot can build it. */
export async function riscvKernel(): Promise<{ dir: string; kernel: string; initrd: string } | null> {
  const dir = await run(join(ROOT, 'test/guest/riscv64-kernel.sh'));
  return dir ? { dir, kernel: join(dir, 'vmlinux'), initrd: join(dir, 'initrd.cpio.gz') } : null;
}

/** test/guest/riscv64-disk.sh's raw disk (MBR, FAT, extlinux.conf; or an ESP for `efi`) holding that kernel. */
export async function riscvDisk(kernelDir: string, mode: 'extlinux' | 'efi' = 'extlinux'): Promise<string | null> {
  const dir = await run(join(ROOT, 'test/guest/riscv64-disk.sh'), [kernelDir, mode]);
  return dir ? join(dir, 'disk.img') : null;
}
