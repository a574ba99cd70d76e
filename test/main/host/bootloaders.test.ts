// U-Boot for RISC-V guests, found where each distribution's package puts it (issue 21).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeUboot } from '../../../src/main/host/bootloaders';
import { resolveContext } from '../../../src/main/host/options';

let root: string | undefined;
afterEach(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

async function tree(files: string[], dirs: string[] = []): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'gb-uboot-'));
  for (const f of files) {
    await mkdir(dirname(join(root, f)), { recursive: true });
    await writeFile(join(root, f), 'u-boot');
  }
  for (const d of dirs) await mkdir(join(root, d), { recursive: true });
  return root;
}

describe('probing U-Boot', () => {
  it('finds Debian\'s and Fedora\'s S-mode build for QEMU\'s RISC-V board', async () => {
    const debian = await tree(['usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin', 'usr/lib/u-boot/qemu-riscv64/u-boot.bin']);
    expect(await probeUboot(resolveContext({ root: debian }))).toEqual({ riscv64: '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin' });
    await rm(debian, { recursive: true });
    const fedora = await tree(['usr/share/uboot/qemu-riscv64_smode/u-boot.bin']);
    expect(await probeUboot(resolveContext({ root: fedora }))).toEqual({ riscv64: '/usr/share/uboot/qemu-riscv64_smode/u-boot.bin' });
  });

  it('finds nothing where only the M-mode build, or a folder by that name, is there', async () => {
    const r = await tree(['usr/lib/u-boot/qemu-riscv64/u-boot.bin'], ['usr/share/uboot/qemu-riscv64_smode/u-boot.bin']);
    expect(await probeUboot(resolveContext({ root: r }))).toEqual({});
  });
});
