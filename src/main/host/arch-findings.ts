// The other architectures in the probe's checklist: which emulators are installed (an ARM or
// RISC-V guest needs its own qemu-system-*), the AArch64 UEFI, what boots a RISC-V disk, and the package that adds each
// missing one. Optional: a PC guest needs none of them, so a missing one is a warning.
import type { Finding, HostCaps } from '../../shared/host-caps';
import { pickFirmware } from '../../shared/firmware-pick';
import { archTraits, qemuFor, runsNatively } from '../../shared/os/arch-table';

/** What findings.ts builds its checklist from (its own type, spelled here so neither imports the other). */
type CapsWithoutFindings = Omit<HostCaps, 'findings'>;
import { installCommand, type ArchComponent } from './packages';

function fix(caps: CapsWithoutFindings, component: ArchComponent, what: string): Finding['fix'] {
  const command = installCommand(caps.distro.family, component);
  return command ? { text: `Install ${what}.`, command, needsRoot: true } : { text: `Install ${what} with your distribution's package manager.`, needsRoot: true };
}

function emulatorFinding(caps: CapsWithoutFindings, arch: 'aarch64' | 'riscv64'): Finding {
  const t = archTraits(arch);
  const qemu = qemuFor(caps, arch);
  const id = `qemu-${arch}`;
  const how = runsNatively(arch, caps.hostArch) ? 'under KVM' : 'emulated (TCG)';
  if (qemu) return { id, status: 'ok', title: `QEMU ${qemu.version} for ${t.name} guests`, detail: `${qemu.binary} runs ${t.name} guests ${how}.` };
  return {
    id,
    status: 'warning',
    title: `No ${t.name} guests`,
    detail: `${t.binary} was not found on PATH: only guests of the other architectures can start.`,
    fix: fix(caps, id as ArchComponent, `QEMU's ${t.name} emulator`),
  };
}

function aarch64UefiFinding(caps: CapsWithoutFindings): Finding | null {
  const qemu = qemuFor(caps, 'aarch64');
  if (!qemu) return null; // the emulator's own finding says what to install first
  const t = archTraits('aarch64');
  const machine = qemu.machineAliases.virt ?? 'virt';
  const fw = pickFirmware(caps.firmware, { type: 'uefi', secureBoot: false, machine, architecture: t.descriptorArch });
  const id = 'uefi-aarch64';
  if (fw) return { id, status: 'ok', title: 'UEFI firmware for ARM (AAVMF)', detail: `${fw.executable}, found through ${fw.descriptor}.` };
  return {
    id,
    status: 'warning',
    title: 'No UEFI firmware for ARM guests',
    detail: "No AArch64 UEFI build was found through QEMU's firmware descriptors: an ARM guest cannot start from an installer or its disk.",
    fix: fix(caps, id, 'the AArch64 UEFI firmware'),
  };
}

/** What boots a RISC-V guest's disk after OpenSBI: EDK2 through a descriptor, or U-Boot. */
function riscv64BootFinding(caps: CapsWithoutFindings): Finding | null {
  const qemu = qemuFor(caps, 'riscv64');
  if (!qemu) return null;
  const t = archTraits('riscv64');
  const machine = qemu.machineAliases.virt ?? 'virt';
  const fw = pickFirmware(caps.firmware, { type: 'uefi', secureBoot: false, machine, architecture: t.descriptorArch });
  const uboot = caps.uboot.riscv64;
  const id = 'boot-riscv64';
  if (fw || uboot) {
    const what = [fw ? `EDK2 UEFI (${fw.executable})` : null, uboot ? `U-Boot (${uboot})` : null].filter(Boolean).join(' and ');
    return { id, status: 'ok', title: 'RISC-V guests boot from their disk', detail: `${what} after QEMU's own OpenSBI.` };
  }
  return {
    id,
    status: 'warning',
    title: 'RISC-V guests cannot boot from a disk',
    detail: "Neither U-Boot's S-mode build for QEMU nor an EDK2 UEFI for riscv64 (through QEMU's firmware descriptors) was found: QEMU's own OpenSBI starts only a kernel given to the guest.",
    fix: fix(caps, id, 'the firmware that boots RISC-V disks'),
  };
}

export function archFindings(caps: CapsWithoutFindings): Finding[] {
  const uefi = aarch64UefiFinding(caps);
  const riscvBoot = riscv64BootFinding(caps);
  return [emulatorFinding(caps, 'aarch64'), ...(uefi ? [uefi] : []), emulatorFinding(caps, 'riscv64'), ...(riscvBoot ? [riscvBoot] : [])];
}
