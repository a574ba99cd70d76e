// One table answers every "what does this CPU architecture need or allow?" question, as the OS
// table does for guest systems: the schema, the presets, the wizard, the probe and the launch
// plan's device families ask archTraits() instead of branching on an architecture's name.
// QEMU's own spelling of each answer (device names, `-accel` options) stays in
// src/main/qemu/plan/; what is here is facts: which machines, firmware and device kinds exist
// for the architecture, and how much slower it runs when emulated.
import type { HostCaps } from '../host-caps';
import type { DiskBus, DisplayDevice, Firmware, GuestArch } from '../vm-choices';

type Machine = 'q35' | 'pc' | 'virt';

export interface ArchTraits {
  arch: GuestArch;
  /** How messages name it: "ARM (aarch64)". */
  name: string;
  /** The emulator QEMU builds for it (what the probe looks for on PATH). */
  binary: string;
  /** The architecture's name in QEMU's firmware descriptors (`targets[].architecture`). */
  descriptorArch: string;
  /** Machines QEMU offers for it that Guestbay drives; the first is the default. */
  machines: readonly Machine[];
  /** Firmware choices that exist for it; the first is what a new guest gets. */
  firmwares: readonly Firmware[];
  /** What each firmware choice is on this architecture (`bios` is SeaBIOS on a PC, OpenSBI on RISC-V). */
  firmwareNames: Partial<Record<Firmware, string>>;
  /**
   * What boots a disk when the `bios` firmware only starts a payload (RISC-V's OpenSBI starts
   * what QEMU loads as the kernel): U-Boot, loaded in the kernel's place. null where the `bios`
   * firmware boots disks itself (SeaBIOS) or there is no `bios`.
   */
  diskBootloader: 'u-boot' | null;
  /** The machine has VGA (legacy PC graphics): virtio-vga, std, qxl and vmware-svga need it. */
  vga: boolean;
  /** The display `auto` means where the OS's own choice needs VGA and the machine has none. */
  display: Exclude<DisplayDevice, 'auto' | 'none'>;
  /** The machine has a PS/2 controller (i8042) for a PS/2 keyboard and mouse. */
  ps2: boolean;
  /** Where a new guest's CD/DVD drive sits: a bus the machine and its UEFI both read. */
  mediaBus: DiskBus;
  /** A TPM Guestbay can attach (the PC's ISA TPM; the others' would be a different device). */
  tpm: boolean;
  /** The CPU model under TCG where this QEMU has no `max` (QEMU 7.2's riscv64: `rv64`). */
  tcgCpuWithoutMax: string;
  /** macOS runs only on x86_64 here. */
  macos: boolean;
  /**
   * How many times slower it boots when emulated (TCG) than an x86_64 guest under the same TCG,
   * as `bench/arches.bench.ts` measured it on the development machine (Debian's installer to its
   * first question); null where no benchmark ran. The wizard quotes it.
   */
  emulationSlowdown: number | null;
}

const X86_64: ArchTraits = {
  arch: 'x86_64',
  name: 'x86_64 (PC)',
  binary: 'qemu-system-x86_64',
  descriptorArch: 'x86_64',
  machines: ['q35', 'pc'],
  firmwares: ['uefi', 'bios', 'uefi-secure'],
  firmwareNames: { bios: 'BIOS (SeaBIOS)', uefi: 'UEFI (OVMF)', 'uefi-secure': 'UEFI + Secure Boot' },
  diskBootloader: null,
  vga: true,
  display: 'virtio-vga',
  ps2: true,
  mediaBus: 'sata',
  tpm: true,
  tcgCpuWithoutMax: 'qemu64',
  macos: true,
  emulationSlowdown: 1,
};

const ARCHES: Record<GuestArch, ArchTraits> = {
  x86_64: X86_64,
  aarch64: {
    arch: 'aarch64',
    name: 'ARM (aarch64)',
    binary: 'qemu-system-aarch64',
    descriptorArch: 'aarch64',
    machines: ['virt'],
    // UEFI (AAVMF/edk2) is how ARM distributions boot; Secure Boot is not offered yet.
    firmwares: ['uefi'],
    firmwareNames: { uefi: 'UEFI (AAVMF)' },
    diskBootloader: null,
    vga: false,
    // virtio-gpu: the UEFI has a driver for it (a boot menu on screen) and so has every kernel.
    display: 'virtio-gpu',
    ps2: false,
    // virtio-scsi: the AArch64 UEFI and every installer kernel read it; the machine has no AHCI.
    mediaBus: 'scsi',
    tpm: false,
    tcgCpuWithoutMax: 'cortex-a72',
    macos: false,
    // bench/arches.bench.ts, 2026-12-02, QEMU 7.2 on the 2-core development machine (busy with
    // other work at the time; one run): x86_64 175.2 s, aarch64 253.4 s to the installer's question.
    emulationSlowdown: 1.45,
  },
  riscv64: {
    arch: 'riscv64',
    name: 'RISC-V (riscv64)',
    binary: 'qemu-system-riscv64',
    descriptorArch: 'riscv64',
    machines: ['virt'],
    // QEMU's own OpenSBI (its default firmware) starts the guest's own kernel, or U-Boot, which
    // boots the disk; UEFI is EDK2 where a descriptor for riscv64 is installed (U-Boot's own UEFI
    // otherwise). docs/decisions.md says why.
    firmwares: ['bios', 'uefi'],
    firmwareNames: { bios: 'OpenSBI + U-Boot', uefi: 'UEFI (EDK2 for RISC-V)' },
    diskBootloader: 'u-boot',
    vga: false,
    display: 'virtio-gpu',
    ps2: false,
    mediaBus: 'scsi',
    tpm: false,
    tcgCpuWithoutMax: 'rv64',
    macos: false,
    // bench/arches.bench.ts's riscv64 test (Debian trixie's kernel for each architecture with the
    // same marker initramfs, QEMU 10, TCG), quiet machine 2026-12-02 09:40 UTC: x86_64 7.9 s,
    // riscv64 5.4 s to the marker — 0.68× (at load 17–22 it was 0.65×). Not slower than an emulated
    // PC, so the wizard adds no "slower again" to its sentence.
    emulationSlowdown: 0.68,
  },
};

export function archTraits(arch: GuestArch): ArchTraits {
  return ARCHES[arch];
}

export const ALL_ARCHES: readonly GuestArch[] = Object.keys(ARCHES) as GuestArch[];

/** Node's `process.arch` (or `uname -m`) as a guest architecture; null for one Guestbay has no guests for. */
export function archOfHost(name: string): GuestArch | null {
  switch (name) {
    case 'x64':
    case 'x86_64':
    case 'amd64':
      return 'x86_64';
    case 'arm64':
    case 'aarch64':
      return 'aarch64';
    case 'riscv64':
      return 'riscv64';
    default:
      return null;
  }
}

/** KVM runs a guest only on a host of the same architecture; any other is emulated (TCG). */
export function runsNatively(guest: GuestArch, host: GuestArch | null): boolean {
  return guest === host;
}

/** The probed emulator for the guest's architecture, or null when it is not installed. */
export function qemuFor(caps: Pick<HostCaps, 'qemu' | 'qemuByArch'>, arch: GuestArch): HostCaps['qemu'] {
  // The PC's emulator is `qemu` (what every caller before other architectures read); the others
  // are in `qemuByArch`.
  return arch === X86_64.arch ? caps.qemu : (caps.qemuByArch[arch] ?? null);
}

/** Display devices that need the PC's VGA. */
const VGA_DISPLAYS: ReadonlySet<DisplayDevice> = new Set(['virtio-vga', 'std', 'qxl', 'vmware-svga']);

/** Whether `device` exists on the architecture's machine. */
export function displayFits(arch: GuestArch, device: DisplayDevice): boolean {
  return ARCHES[arch].vga || !VGA_DISPLAYS.has(device);
}

/** The display `auto` means: the OS's own choice, or the architecture's where that needs VGA. */
export function autoDisplay(arch: GuestArch, osChoice: Exclude<DisplayDevice, 'auto'>): Exclude<DisplayDevice, 'auto'> {
  return displayFits(arch, osChoice) ? osChoice : ARCHES[arch].display;
}

/**
 * Why a guest of `arch` is slow (or not) on this host, in a sentence for the wizard: emulated
 * when the host is another architecture, with the measured ratio where there is one.
 */
export function archWhy(arch: GuestArch, host: GuestArch | null): string {
  const t = ARCHES[arch];
  if (runsNatively(arch, host)) return `${t.name} is this computer’s own architecture: where KVM works it runs under KVM, at nearly native speed.`;
  const hostName = host ? ARCHES[host].name : 'another architecture';
  const ratio = host === 'x86_64' && t.emulationSlowdown && t.emulationSlowdown > 1 ? ` — and about ${t.emulationSlowdown.toFixed(2)}× slower again than an emulated PC, as measured booting Debian’s installer` : '';
  return `${t.name} is not this computer’s architecture (${hostName}): QEMU emulates every instruction (TCG), so it runs many times slower than a guest of the host’s own kind${ratio}. Fine for trying a system; slow for daily work.`;
}
