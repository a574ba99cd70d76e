// The probe's checklist for the other architectures (issue 21): a host without the aarch64
// emulator, or without its UEFI, is told the package to install on its distribution.
import { describe, expect, it } from 'vitest';
import { buildFindings } from '../../../src/main/host/findings';
import { hasMaxCpu } from '../../../src/main/qemu/probe/help';
import { parseFirmwareDescriptor } from '../../../src/main/host/firmware';
import type { HostCaps } from '../../../src/shared/host-caps';
import { hostFixture } from '../../fixtures/caps/hosts';

const withDistro = (caps: HostCaps, family: HostCaps['distro']['family']): HostCaps => ({ ...caps, distro: { id: family, name: family, family } });
const find = (caps: HostCaps, id: string) => buildFindings(caps).find((f) => f.id === id);

describe('findings for other architectures', () => {
  const full = hostFixture('qemu-7.2', 'amd-tcg');

  it('name the package that adds a missing aarch64 emulator, per distribution', () => {
    const none = { ...full, qemuByArch: {} };
    const expected = { debian: 'sudo apt install qemu-system-arm', arch: 'sudo pacman -S --needed qemu-system-aarch64', fedora: 'sudo dnf install qemu-system-aarch64' } as const;
    for (const [family, command] of Object.entries(expected)) {
      const f = find(withDistro(none, family as HostCaps['distro']['family']), 'qemu-aarch64');
      expect(f?.status).toBe('warning');
      expect(f?.detail).toMatch(/qemu-system-aarch64 was not found on PATH/);
      expect(f?.fix?.command).toBe(command);
    }
    expect(find(withDistro(none, 'debian'), 'qemu-riscv64')?.fix?.command).toBe('sudo apt install qemu-system-misc');
    // No UEFI finding before the emulator itself is there.
    expect(find(none, 'uefi-aarch64')).toBeUndefined();
  });

  it('are fine where the emulators and the AArch64 UEFI are installed', () => {
    expect(find(full, 'qemu-aarch64')).toMatchObject({ status: 'ok', title: expect.stringMatching(/^QEMU 7\.2.* for ARM \(aarch64\) guests$/) });
    expect(find(full, 'qemu-riscv64')?.status).toBe('ok');
    expect(find(full, 'uefi-aarch64')?.status).toBe('ok');
  });

  it('say RISC-V guests boot from a disk where U-Boot is installed, and name the package per distribution where nothing is', () => {
    expect(find(full, 'boot-riscv64')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/U-Boot \(\/usr\/lib\/u-boot\/qemu-riscv64_smode\/u-boot\.bin\)/) });
    const none = { ...full, uboot: {} };
    const expected = { debian: 'sudo apt install u-boot-qemu', arch: 'sudo pacman -S --needed edk2-riscv64', fedora: 'sudo dnf install edk2-riscv64' } as const;
    for (const [family, command] of Object.entries(expected)) {
      const f = find(withDistro(none, family as HostCaps['distro']['family']), 'boot-riscv64');
      expect(f).toMatchObject({ status: 'warning', title: 'RISC-V guests cannot boot from a disk', fix: { command } });
    }
    // EDK2 through a riscv64 descriptor is enough on its own.
    const edk2 = { ...full.firmware.find((f) => f.architecture === 'aarch64')!, architecture: 'riscv64', machines: ['virt*'], secureBoot: false, executable: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_CODE.fd' };
    expect(find({ ...none, firmware: [...full.firmware, edk2] }, 'boot-riscv64')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/EDK2 UEFI/) });
    // Nothing to say before the emulator itself is there.
    expect(find({ ...none, qemuByArch: {} }, 'boot-riscv64')).toBeUndefined();
  });

  it('name the AArch64 UEFI package when the emulator is there and its firmware is not', () => {
    const noFw = withDistro({ ...full, firmware: full.firmware.filter((f) => f.architecture !== 'aarch64') }, 'debian');
    expect(find(noFw, 'uefi-aarch64')).toMatchObject({ status: 'warning', fix: { command: 'sudo apt install qemu-efi-aarch64' } });
  });
});

describe('probing other architectures', () => {
  it('reads an AArch64 firmware descriptor with its architecture', () => {
    const e = parseFirmwareDescriptor({
      path: '/usr/share/qemu/firmware/60-edk2-aarch64.json',
      json: {
        'interface-types': ['uefi'],
        mapping: { device: 'flash', executable: { filename: '/usr/share/AAVMF/AAVMF_CODE.fd', format: 'raw' }, 'nvram-template': { filename: '/usr/share/AAVMF/AAVMF_VARS.fd', format: 'raw' } },
        targets: [{ architecture: 'aarch64', machines: ['virt-*'] }],
        features: ['verbose-static'],
      },
    });
    expect(e).toMatchObject({ architecture: 'aarch64', machines: ['virt-*'], executable: '/usr/share/AAVMF/AAVMF_CODE.fd' });
    // An architecture Guestbay has no guests for is not firmware it can use.
    expect(parseFirmwareDescriptor({ path: 'x', json: { 'interface-types': ['uefi'], mapping: { device: 'flash', executable: { filename: '/a' }, 'nvram-template': { filename: '/b' } }, targets: [{ architecture: 'loongarch64', machines: ['virt'] }] } })).toBeNull();
  });

  it('reads Debian trixie\'s riscv64 EDK2 descriptor (qemu-efi-riscv64, as shipped)', () => {
    const e = parseFirmwareDescriptor({
      path: '/usr/share/qemu/firmware/60-edk2-riscv64.json',
      json: {
        description: 'UEFI firmware for riscv64',
        'interface-types': ['uefi'],
        mapping: {
          device: 'flash',
          executable: { filename: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_CODE.fd', format: 'raw' },
          'nvram-template': { filename: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_VARS.fd', format: 'raw' },
        },
        targets: [{ architecture: 'riscv64', machines: ['virt*'] }],
        features: [],
        tags: [],
      },
    });
    expect(e).toMatchObject({ type: 'uefi', architecture: 'riscv64', machines: ['virt*'], executable: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_CODE.fd', varsTemplate: '/usr/share/qemu-efi-riscv64/RISCV_VIRT_VARS.fd', secureBoot: false });
  });

  it('tells a `max` CPU in each target\'s `-cpu help` layout', () => {
    expect(hasMaxCpu('Available CPUs:\nx86 486\nx86 max                   Enables all features supported by the accelerator in the current host\n')).toBe(true);
    expect(hasMaxCpu('Available CPUs:\n  a64fx\n  cortex-a72\n  max\n')).toBe(true);
    expect(hasMaxCpu('any\nrv64\nshakti-c\nsifive-e51\nsifive-u54\nx-rv128\n')).toBe(false);
  });
});
