// The architecture table and what the schema, the migration and the presets make of it (issue 21).
import { describe, expect, it } from 'vitest';
import { archOfHost, archTraits, archWhy, autoDisplay, qemuFor, runsNatively } from '../../../src/shared/os/arch-table';
import { migrate, parseVmConfig } from '../../../src/shared/migrations';
import { ConfigError, VM_CONFIG_VERSION } from '../../../src/shared/vm-config';
import { buildPreset } from '../../../src/shared/presets';
import { describePreset } from '../../../src/shared/presets/describe';
import { PRESETS } from '../../../src/shared/presets';
import { hostFixture } from '../../fixtures/caps/hosts';

const base = (o: Record<string, unknown> = {}) => ({
  schemaVersion: VM_CONFIG_VERSION,
  name: 'g',
  os: { family: 'linux', version: 'generic' },
  cpu: { cores: 1 },
  memoryMiB: 512,
  ...o,
});

function fieldErrors(doc: unknown): Record<string, string> {
  try {
    parseVmConfig(doc);
  } catch (e) {
    if (e instanceof ConfigError) return Object.fromEntries(e.errors.map((x) => [x.field, x.message]));
    throw e;
  }
  return {};
}

describe('the architecture table', () => {
  it('knows the host by Node\'s and uname\'s names', () => {
    expect(archOfHost('x64')).toBe('x86_64');
    expect(archOfHost('arm64')).toBe('aarch64');
    expect(archOfHost('aarch64')).toBe('aarch64');
    expect(archOfHost('riscv64')).toBe('riscv64');
    expect(archOfHost('ppc64')).toBeNull();
  });

  it('runs natively only on the same architecture', () => {
    expect(runsNatively('x86_64', 'x86_64')).toBe(true);
    expect(runsNatively('aarch64', 'x86_64')).toBe(false);
    expect(runsNatively('x86_64', 'aarch64')).toBe(false);
    expect(runsNatively('aarch64', 'aarch64')).toBe(true);
  });

  it('maps a VGA display to the architecture\'s own where the board has no VGA', () => {
    expect(autoDisplay('x86_64', 'virtio-vga')).toBe('virtio-vga');
    expect(autoDisplay('aarch64', 'virtio-vga')).toBe('virtio-gpu');
    expect(autoDisplay('riscv64', 'std')).toBe('virtio-gpu');
    expect(autoDisplay('aarch64', 'ramfb')).toBe('ramfb');
  });

  it('finds each architecture\'s emulator in the caps', () => {
    const caps = hostFixture('qemu-7.2', 'amd-tcg');
    expect(qemuFor(caps, 'x86_64')?.binary).toMatch(/qemu-system-x86_64$/);
    expect(qemuFor(caps, 'aarch64')?.binary).toMatch(/qemu-system-aarch64$/);
    expect(qemuFor({ ...caps, qemuByArch: {} }, 'riscv64')).toBeNull();
  });

  it('says why an emulated guest is slow, and an x86 guest on an ARM host the same way', () => {
    expect(archWhy('aarch64', 'x86_64')).toMatch(/not this computer’s architecture \(x86_64 \(PC\)\).*emulates every instruction/);
    // The ratio the benchmark measured, where there is one.
    expect(archWhy('aarch64', 'x86_64')).toMatch(/about 1\.45× slower again than an emulated PC/);
    expect(archWhy('riscv64', 'x86_64')).not.toMatch(/slower again/);
    expect(archWhy('x86_64', 'aarch64')).toMatch(/x86_64 \(PC\) is not this computer’s architecture \(ARM \(aarch64\)\)/);
    expect(archWhy('aarch64', 'aarch64')).toMatch(/own architecture: where KVM works it runs under KVM/);
    expect(archWhy('x86_64', 'x86_64')).toMatch(/own architecture: where KVM works it runs under KVM/);
  });
});

describe('a guest\'s architecture in its config', () => {
  it('is x86_64 unless said', () => {
    expect(parseVmConfig(base()).arch).toBe('x86_64');
  });

  it('comes to version 3 documents as x86_64 (every guest before was a PC)', () => {
    const v3 = { ...base(), schemaVersion: 3 };
    const doc = migrate(v3);
    expect(doc.arch).toBe('x86_64');
    expect(doc.schemaVersion).toBe(VM_CONFIG_VERSION);
    expect(VM_CONFIG_VERSION).toBe(4);
    expect(parseVmConfig(v3).arch).toBe('x86_64');
  });

  it('refuses machines, firmware and devices the architecture does not have, field by field', () => {
    const e = fieldErrors(
      base({
        arch: 'aarch64',
        machine: 'q35',
        firmware: 'bios',
        display: { device: 'virtio-vga' },
        input: { keyboard: 'ps2', pointer: 'ps2-mouse' },
        tpm: { enabled: true },
      }),
    );
    expect(e.machine).toMatch(/This ARM \(aarch64\) guest has the virt machine, not q35/);
    expect(e.firmware).toMatch(/UEFI \(AAVMF\).*"bios" does not exist for it/);
    expect(e['display.device']).toMatch(/needs a PC's VGA/);
    expect(e['input.keyboard']).toMatch(/no PS\/2 port/);
    expect(e['input.pointer']).toMatch(/no PS\/2 port/);
    expect(e['tpm.enabled']).toMatch(/cannot give this ARM \(aarch64\) guest a TPM/);
  });

  it('refuses the virt machine on a PC and macOS on ARM', () => {
    expect(fieldErrors(base({ machine: 'virt' })).machine).toMatch(/This x86_64 \(PC\) guest has the q35 or pc machine/);
    expect(fieldErrors(base({ arch: 'aarch64', machine: 'virt', os: { family: 'macos', version: 'sonoma' } })).arch).toMatch(/Only an x86_64 guest can run macOS/);
  });

  it('takes an unknown architecture as a field error', () => {
    expect(fieldErrors(base({ arch: 'mips' })).arch).toBeDefined();
  });
});

describe('the ARM and RISC-V presets', () => {
  it('give the virt board, UEFI (ARM) or OpenSBI (RISC-V), virtio-gpu and the CD on virtio-scsi', () => {
    const arm = buildPreset('linux-aarch64', { name: 'a', iso: '/i.iso' }).config;
    expect(arm).toMatchObject({ arch: 'aarch64', machine: 'virt', firmware: 'uefi', display: { device: 'virtio-gpu' }, preset: 'linux-aarch64' });
    expect(arm.media[0]?.bus).toBe('scsi');
    const rv = buildPreset('linux-riscv64', { name: 'r', kernel: '/k', initrd: '/i' }).config;
    expect(rv).toMatchObject({ arch: 'riscv64', machine: 'virt', firmware: 'bios', kernelBoot: { kernel: '/k' } });
  });

  it('are described with their architecture and why (emulated on a PC host; an x86 guest emulated on an ARM host)', () => {
    const info = PRESETS.find((p) => p.id === 'linux-aarch64')!;
    const onPc = describePreset(info, { threads: 8, memoryMiB: 16384 }, 'x86_64');
    expect(onPc.arch).toBe('aarch64');
    expect(onPc.archWhy).toMatch(/emulates every instruction/);
    const onArm = describePreset(info, { threads: 8, memoryMiB: 16384 }, 'aarch64');
    expect(onArm.archWhy).toMatch(/own architecture: where KVM works it runs under KVM/);
    const linux = describePreset(PRESETS.find((p) => p.id === 'linux')!, { threads: 8, memoryMiB: 16384 }, 'aarch64');
    expect(linux.arch).toBe('x86_64');
    expect(linux.archWhy).toMatch(/emulates every instruction/);
  });

  it('has the same architecture name everywhere', () => {
    expect(archTraits('aarch64').name).toBe('ARM (aarch64)');
    expect(PRESETS.find((p) => p.id === 'linux-aarch64')!.title).toBe('Linux for ARM (aarch64)');
    expect(PRESETS.find((p) => p.id === 'linux-riscv64')!.title).toBe('Linux for RISC-V (riscv64)');
  });
});
