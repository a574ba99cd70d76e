// The launch plan for other CPU architectures (issue 21): the emulator, machine, accelerator and
// CPU each family chooses from the architecture table, on a PC host and on an ARM host (a
// capability fixture: there is no ARM machine here).
import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../src/shared/presets';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildLaunchPlan, PlanError } from '../../../src/main/qemu/plan';
import type { HostCaps } from '../../../src/shared/host-caps';
import { hostFixture } from '../../fixtures/caps/hosts';

const ctx = { vmDir: '/vms/g', runtimeDir: '/run/gb/g', logDir: '/vms/g/logs' };
const host = { threads: 16, memoryMiB: 32768 };
const values = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
const preset = (id: string, o: Record<string, unknown> = {}) => buildPreset(id, { name: 'g', host, iso: '/i.iso', ...o }).config;
/** Where Debian's u-boot-qemu puts the S-mode build (the fixtures' probe found it there). */
const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin';
/** Debian trixie's qemu-efi-riscv64 as its descriptor describes it (EDK2 for QEMU's RISC-V virt board). */
const EDK2_RISCV64 = {
  descriptor: '/usr/share/qemu/firmware/60-edk2-riscv64.json',
  description: 'UEFI firmware for riscv64',
  type: 'uefi',
  architecture: 'riscv64',
  machines: ['virt*'],
  features: [],
  executable: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_CODE.fd',
  varsTemplate: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_VARS.fd',
  format: 'raw',
  secureBoot: false,
  enrolledKeys: false,
  requiresSmm: false,
} as const;

/**
 * An ARM host (Asahi, a Raspberry Pi) where KVM works: the same probed emulators, the host's own
 * architecture aarch64. Its x86 emulator is the fixture's, as a distribution's qemu-system-x86
 * for arm64 would list the same devices.
 */
function armHost(): HostCaps {
  const caps = hostFixture('qemu-10.0', 'amd-kvm');
  return { ...caps, hostArch: 'aarch64', cpu: { vendor: 'other', model: 'Apple M2', threads: 8, flags: [] } };
}

describe('launch plans for other architectures', () => {
  it('runs an ARM guest on a PC in qemu-system-aarch64 on the virt board, emulated with one thread per CPU', () => {
    for (const caps of [hostFixture('qemu-7.2', 'amd-kvm'), hostFixture('qemu-10.0', 'amd-tcg')]) {
      const plan = buildLaunchPlan(preset('linux-aarch64'), caps, ctx);
      expect(plan.binary).toMatch(/qemu-system-aarch64$/);
      expect(plan.accel).toBe('tcg'); // even where KVM works: it runs only the host's own architecture
      expect(values(plan.args, '-accel')).toEqual(['tcg,thread=multi']);
      expect(values(plan.args, '-machine')[0]).toMatch(/^virt(,|$)/);
      expect(plan.cpu).toBe('max');
      expect(values(plan.args, '-drive')[0]).toMatch(/^if=pflash,unit=0,.*\/AAVMF\/AAVMF_CODE[^/]*\.fd$/);
      expect(values(plan.args, '-device')).toEqual(expect.arrayContaining(['virtio-gpu-pci', 'qemu-xhci,id=usb0', 'usb-tablet,bus=usb0.0', 'virtio-scsi-pci,id=scsi0']));
      expect(plan.warnings.find((w) => w.id === 'tcg')?.message).toMatch(/ARM \(aarch64\) is not this computer's architecture/);
    }
  });

  it('keeps the PC guest\'s TCG as it was (QEMU\'s default threading)', () => {
    const plan = buildLaunchPlan(preset('linux'), hostFixture('qemu-7.2', 'amd-tcg'), ctx);
    expect(values(plan.args, '-accel')).toEqual(['tcg']);
  });

  it('runs a RISC-V guest with QEMU\'s own OpenSBI, and `rv64` where QEMU 7.2 has no `max` CPU', () => {
    const c = preset('linux-riscv64', { iso: undefined, kernel: '/k', initrd: '/i', append: 'console=ttyS0' });
    const p72 = buildLaunchPlan(c, hostFixture('qemu-7.2', 'amd-tcg'), ctx);
    expect(p72.binary).toMatch(/qemu-system-riscv64$/);
    expect(p72.cpu).toBe('rv64');
    expect(p72.args).not.toContain('-bios');
    expect(values(p72.args, '-drive').some((d) => d.startsWith('if=pflash'))).toBe(false);
    expect(values(p72.args, '-kernel')).toEqual(['/k']);
    expect(buildLaunchPlan(c, hostFixture('qemu-10.0', 'amd-tcg'), ctx).cpu).toBe('max');
  });

  it('boots a RISC-V guest without a kernel of its own from its disk: OpenSBI starts the U-Boot the probe found', () => {
    for (const caps of [hostFixture('qemu-7.2', 'amd-tcg'), hostFixture('qemu-10.0', 'amd-kvm')]) {
      const plan = buildLaunchPlan(preset('linux-riscv64'), caps, ctx);
      expect(values(plan.args, '-kernel')).toEqual([UBOOT]);
      expect(plan.args).not.toContain('-bios'); // QEMU's own OpenSBI
      expect(values(plan.args, '-drive').some((d) => d.startsWith('if=pflash'))).toBe(false);
      expect(plan.warnings.map((w) => w.id)).not.toContain('uefi-u-boot');
    }
    // Its own kernel: that is what OpenSBI starts, and U-Boot is not needed.
    const own = buildLaunchPlan(preset('linux-riscv64', { iso: undefined, kernel: '/k' }), { ...hostFixture('qemu-10.0', 'amd-tcg'), uboot: {} }, ctx);
    expect(values(own.args, '-kernel')).toEqual(['/k']);
  });

  it('refuses a RISC-V guest that would boot its disk where no U-Boot is installed, pointing to the probe', () => {
    const caps = { ...hostFixture('qemu-10.0', 'amd-tcg'), uboot: {} };
    expect(() => buildLaunchPlan(preset('linux-riscv64'), caps, ctx)).toThrow(/no U-Boot for RISC-V \(riscv64\) guests was found, so this guest cannot boot from its disk.*guestbay probe/);
  });

  it('gives a RISC-V UEFI guest EDK2 from a riscv64 descriptor, and U-Boot\'s own UEFI (said) where there is none', () => {
    // QEMU 10's fixture was probed with trixie's qemu-efi-riscv64; without it, only U-Boot is left.
    const probed = hostFixture('qemu-10.0', 'amd-tcg');
    expect(probed.firmware.filter((f) => f.architecture === 'riscv64')).toEqual([EDK2_RISCV64]);
    const caps = { ...probed, firmware: probed.firmware.filter((f) => f.architecture !== 'riscv64') };
    const c = parseVmConfig({ ...preset('linux-riscv64'), firmware: 'uefi' });
    const withEdk2 = buildLaunchPlan(c, probed, ctx);
    expect(values(withEdk2.args, '-drive')[0]).toBe(`if=pflash,unit=0,format=raw,readonly=on,file=${EDK2_RISCV64.executable}`);
    expect(values(withEdk2.args, '-drive')[1]).toMatch(/^if=pflash,unit=1,format=qcow2,file=\/vms\/g\/efivars-RISCV_VIRT_VARS\.qcow2$/);
    expect(withEdk2.args).not.toContain('-kernel'); // OpenSBI starts EDK2 from flash
    const uboot = buildLaunchPlan(c, caps, ctx);
    expect(values(uboot.args, '-kernel')).toEqual([UBOOT]);
    expect(uboot.warnings.find((w) => w.id === 'uefi-u-boot')?.message).toMatch(/No EDK2 UEFI for RISC-V \(riscv64\).*U-Boot boots the disk through its own UEFI/);
    expect(() => buildLaunchPlan(c, { ...caps, uboot: {} }, ctx)).toThrow(/no UEFI firmware for RISC-V \(riscv64\) guests was found through QEMU's firmware descriptors, nor U-Boot/);
    // Never the PC's or the ARM's UEFI for it.
    expect(values(uboot.args, '-drive').some((d) => d.startsWith('if=pflash'))).toBe(false);
  });

  it('refuses KVM for another architecture\'s guest, in words', () => {
    const c = parseVmConfig({ ...preset('linux-aarch64'), accel: 'kvm' });
    expect(() => buildLaunchPlan(c, hostFixture('qemu-10.0', 'amd-kvm'), ctx)).toThrow(/KVM runs only guests of this computer's own architecture, and this guest is ARM \(aarch64\)/);
  });

  it('refuses a guest whose emulator is not installed, pointing to the probe for the package', () => {
    const caps = { ...hostFixture('qemu-10.0', 'amd-tcg'), qemuByArch: {} };
    const err = (() => {
      try {
        buildLaunchPlan(preset('linux-aarch64'), caps, ctx);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).field).toBe('arch');
    expect((err as Error).message).toMatch(/qemu-system-aarch64 was not found.*guestbay probe/);
  });

  it('refuses an ARM guest without AArch64 UEFI firmware, and never takes the PC\'s OVMF for it', () => {
    const caps = hostFixture('qemu-10.0', 'amd-tcg');
    const noArmFw = { ...caps, firmware: caps.firmware.filter((f) => f.architecture === 'x86_64') };
    expect(() => buildLaunchPlan(preset('linux-aarch64'), noArmFw, ctx)).toThrow(/no UEFI firmware for ARM \(aarch64\) guests/);
  });

  describe('on an ARM host', () => {
    it('runs an ARM guest under KVM with the host CPU', () => {
      const plan = buildLaunchPlan(preset('linux-aarch64'), armHost(), ctx);
      expect(plan.accel).toBe('kvm');
      expect(values(plan.args, '-accel')).toEqual(['kvm']);
      expect(plan.cpu).toBe('host');
      expect(plan.warnings.map((w) => w.id)).not.toContain('tcg');
    });

    it('emulates a PC guest, the same way an ARM guest is emulated on a PC', () => {
      const plan = buildLaunchPlan(preset('linux'), armHost(), ctx);
      expect(plan.binary).toMatch(/qemu-system-x86_64$/);
      expect(plan.accel).toBe('tcg');
      expect(values(plan.args, '-accel')).toEqual(['tcg,thread=multi']);
      expect(plan.cpu).toBe('max');
      expect(plan.warnings.find((w) => w.id === 'tcg')?.message).toMatch(/x86_64 \(PC\) is not this computer's architecture/);
    });
  });
});
