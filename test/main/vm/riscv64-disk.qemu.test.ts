// A RISC-V guest that boots from its own disk (issue 21): QEMU's OpenSBI starts U-Boot's S-mode
// build, found by the probe, and U-Boot's distro boot reads extlinux.conf from the disk's FAT
// partition and starts the kernel and initramfs there (test/guest/riscv64-disk.sh), to the
// initramfs's marker on the serial log. Through the linux-riscv64 preset with no kernel of its own.
// Where a riscv64 EDK2 is installed (its descriptor: Debian 13's qemu-efi-riscv64, in the QEMU 10
// chroot), a UEFI guest boots an EFI system partition through it instead (the kernel's EFI stub).
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import { createGuest } from '../../../src/main/vm/create';
import { isAlive } from '../../../src/main/vm/process-info';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { guestWorld } from '../../helpers/guests';
import { riscvDisk, riscvKernel } from '../../helpers/riscv64';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-rvdisk-');
}, 11 * 60_000);
afterAll(() => w?.cleanup());

describe('a RISC-V (riscv64) guest without a kernel of its own', () => {
  it('boots from its disk through OpenSBI and U-Boot\'s distro boot (extlinux.conf), to the marker', async (t) => {
    const k = await riscvKernel();
    const built = k && (await riscvDisk(k.dir));
    if (!built) return t.skip();
    const caps = await w.probe();
    // The probe found U-Boot where the distribution's package puts it (u-boot-qemu here and in the chroot).
    expect(caps.uboot.riscv64).toMatch(/\/qemu-riscv64_smode\/u-boot\.bin$/);
    expect(caps.findings.find((f) => f.id === 'boot-riscv64')?.status).toBe('ok');

    // The guest writes to its disk: a copy of the cached image, used where it is.
    const disk = join(w.home, 'riscv64-disk.img');
    await copyFile(built, disk);
    await createGuest(w.store, { preset: 'linux-riscv64', name: 'rvdisk', existingDisk: disk });
    const config = await w.store.get('rvdisk');
    expect(config).toMatchObject({ arch: 'riscv64', machine: 'virt', firmware: 'bios' });
    expect(config.kernelBoot).toBeUndefined();
    await w.store.update(parseVmConfig({ ...config, cpu: { cores: 1, model: 'auto' }, memoryMiB: 512, audio: { device: 'none', backend: 'none' } }));

    const sup = w.supervisor();
    expect((await sup.start('rvdisk', { headless: true })).state).toBe('running');
    const record = await readRecord(w.store.dirs('rvdisk').runtimeDir);
    expect(record?.plan.binary).toMatch(/qemu-system-riscv64$/);
    const args = record!.plan.args;
    expect(args[args.indexOf('-kernel') + 1]).toBe(caps.uboot.riscv64);
    expect(args).not.toContain('-bios'); // QEMU's own OpenSBI starts U-Boot

    // U-Boot's banner, then the kernel it read from the disk (its command line is the disk's
    // extlinux.conf's), then the initramfs's marker.
    await expect.poll(() => w.serial('rvdisk'), { timeout: 20 * 60_000, interval: 1000 }).toMatch(/GB:RISCV64-UP riscv64 \S+-riscv64/);
    const log = await w.serial('rvdisk');
    expect(log).toMatch(/OpenSBI v\d/);
    expect(log).toMatch(/U-Boot \d{4}\.\d{2}/);
    expect(log).toMatch(/Kernel command line:[^\n]*gb\.disk-boot/);

    const pid = record!.qemuPid;
    const stopped = await sup.stop('rvdisk', { force: true });
    expect(stopped.state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  }, 25 * 60_000);
});

describe('a RISC-V (riscv64) UEFI guest', () => {
  it('boots its EFI system partition through EDK2 from the riscv64 descriptor, where one is installed', async (t) => {
    const caps = await w.probe();
    const edk2 = caps.firmware.find((f) => f.architecture === 'riscv64' && f.type === 'uefi');
    if (!edk2) return t.skip(); // QEMU 7.2's Debian 12 has no EDK2 for RISC-V
    const k = await riscvKernel();
    const built = k && (await riscvDisk(k.dir, 'efi'));
    if (!built) return t.skip();
    const disk = join(w.home, 'riscv64-esp.img');
    await copyFile(built, disk);
    await createGuest(w.store, { preset: 'linux-riscv64', name: 'rvefi', existingDisk: disk });
    const config = await w.store.get('rvefi');
    await w.store.update(parseVmConfig({ ...config, firmware: 'uefi', cpu: { cores: 1, model: 'auto' }, memoryMiB: 512, audio: { device: 'none', backend: 'none' } }));

    const sup = w.supervisor();
    expect((await sup.start('rvefi', { headless: true })).state).toBe('running');
    const record = await readRecord(w.store.dirs('rvefi').runtimeDir);
    const args = record!.plan.args;
    expect(args).not.toContain('-kernel'); // OpenSBI starts EDK2 from flash, not U-Boot
    expect(args.some((a) => a.startsWith('if=pflash,unit=0,') && a.endsWith(`file=${edk2.executable}`))).toBe(true);
    // EDK2 found \EFI\BOOT\BOOTRISCV64.EFI on the disk and started it: the kernel's EFI stub says so
    // on the serial console (no initramfs on that path: the kernel goes no further than its root).
    await expect.poll(() => w.serial('rvefi'), { timeout: 20 * 60_000, interval: 1000 }).toMatch(/EFI stub: Booting Linux Kernel/);

    const pid = record!.qemuPid;
    expect((await sup.stop('rvefi', { force: true })).state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  }, 25 * 60_000);
});
