import { VM_CONFIG_VERSION } from '../vm-config';
import { parseVmConfig } from '../migrations';
import { osTraits } from '../os/os-table';
import { archTraits } from '../os/arch-table';
import type { GuestArch } from '../vm-choices';
import { defaultCores, defaultMemory, sharesFrom } from './common';
import type { PresetOptions, PresetResult } from './types';

/**
 * Linux for a PC, or for ARM or RISC-V (emulated on a PC): the same all-virtio guest, on the
 * machine, firmware, display and CD bus the architecture has (os/arch-table.ts).
 */
export function linuxPreset(o: PresetOptions, archName: GuestArch = 'x86_64'): PresetResult {
  const os = osTraits('linux', 'generic');
  const arch = archTraits(archName);
  const dev = os.builtIn;
  // A PC: SeaBIOS for a kernel booted directly (no boot menu needed), else UEFI. Other
  // architectures: the one they boot with first (AArch64 UEFI; RISC-V's OpenSBI, QEMU's own, with
  // U-Boot after it for a disk).
  const firmware = archName !== 'x86_64' ? (arch.firmwares[0] ?? 'uefi') : o.kernel ? 'bios' : 'uefi';
  const display = arch.vga ? os.display : arch.display;
  const preset = archName === 'x86_64' ? 'linux' : `linux-${archName}`;
  const kernelBoot = o.kernel ? { kernel: o.kernel, initrd: o.initrd, append: o.append } : undefined;
  const config = parseVmConfig({
    schemaVersion: VM_CONFIG_VERSION,
    name: o.name,
    title: o.title ?? (archName === 'x86_64' ? 'Linux' : `Linux for ${arch.name}`),
    os: { family: 'linux', version: 'generic' },
    preset,
    arch: archName,
    machine: arch.machines[0],
    firmware,
    cpu: { cores: defaultCores(o, 4), model: 'auto' },
    memoryMiB: defaultMemory(o, 4096, 1024),
    disks: [{ id: 'system', path: 'disk.qcow2', format: 'qcow2', size: o.diskSize ?? '32G', bus: dev.diskBus }],
    media: o.iso ? [{ id: 'install0', role: 'install', path: o.iso, format: 'raw', as: 'cdrom', bus: arch.mediaBus }] : [],
    network: { mode: 'user', nic: dev.nic, portForwards: [] },
    display: { device: display, viewer: 'guestbay', window: 'gtk', gl: false },
    sharedFolders: sharesFrom(o.shares, dev.shareMethod),
    usb: { controller: 'xhci', hostDevices: [] },
    input: { keyboard: 'usb', pointer: 'usb-tablet' },
    audio: { device: 'auto', backend: 'auto' },
    tpm: { enabled: false },
    kernelBoot,
  });
  if (archName !== 'x86_64') return { config, reasons: otherArchReasons(archName, firmware) };
  return {
    config,
    reasons: {
      firmware: kernelBoot
        ? 'BIOS: a kernel booted directly needs no boot menu, and SeaBIOS starts in milliseconds'
        : 'UEFI (OVMF): what current distributions install for; Secure Boot is off so any kernel boots',
      'cpu.cores': 'half the host\'s threads (at most 4): the host stays responsive',
      'cpu.model': 'auto: the host CPU itself under KVM (every feature, fastest), "max" under software emulation',
      memoryMiB: '4 GiB (at most half the host\'s RAM): enough for a desktop session',
      'disks.0.bus': 'virtio-blk: the kernel has the driver built in; far faster than emulated SATA',
      'disks.0.format': 'qcow2: grows as the guest writes and supports snapshots',
      'network.nic': 'virtio-net: up to ~10× the throughput of the emulated rtl8139 (100 Mbit/s)',
      'display.device': 'virtio-vga: resizes with the window and has a driver in every kernel',
      sharedFolders: 'virtiofs: the fastest way to see a host folder, with the host\'s file semantics',
      'input.pointer': 'USB tablet: absolute pointer, so the cursor never drifts or gets captured',
      'audio.device': 'auto: virtio-sound where QEMU has it (8.2+; Linux drives it from 5.13), Intel HDA, which every kernel drives, with older QEMU',
    },
  };
}

function otherArchReasons(archName: GuestArch, firmware: string): Record<string, string> {
  const arch = archTraits(archName);
  return {
    arch: `${arch.name}: emulated on a PC (every instruction translated by QEMU's TCG), so it runs many times slower than a PC guest`,
    machine: `virt: QEMU's board for ${arch.name} guests, with every device on PCI`,
    firmware:
      firmware === 'bios'
        ? `${arch.firmwareNames.bios}: QEMU's own firmware starts the kernel directly`
        : `${arch.firmwareNames.uefi}: how ${arch.name} distributions boot, found through QEMU's firmware descriptors`,
    'cpu.cores': "half the host's threads (at most 4): one host thread per guest CPU (multi-threaded TCG)",
    'cpu.model': '"max": every feature QEMU can emulate (KVM\'s "host" only on a host of the same architecture)',
    memoryMiB: "4 GiB (at most half the host's RAM): enough for a desktop session",
    'disks.0.bus': 'virtio-blk on PCI: every kernel has the driver',
    'media.0.bus': 'virtio-scsi: the UEFI and every installer kernel read it; the virt board has no SATA',
    'network.nic': 'virtio-net on PCI',
    'display.device': `${arch.display}: the virt board has no VGA; the UEFI and the kernel both drive it`,
    sharedFolders: "virtiofs: the fastest way to see a host folder, with the host's file semantics",
    'input.pointer': 'USB tablet on xHCI: absolute pointer, so the cursor never drifts',
    'audio.device': 'auto: virtio-sound where QEMU has it, Intel HDA otherwise (both on PCI)',
  };
}
