import { VM_CONFIG_VERSION } from '../vm-config';
import { parseVmConfig } from '../migrations';
import { osTraits } from '../os/os-table';
import { defaultCores, defaultMemory, sharesFrom } from './common';
import type { PresetOptions, PresetResult } from './types';

export function linuxPreset(o: PresetOptions): PresetResult {
  const os = osTraits('linux', 'generic');
  const dev = os.builtIn;
  const kernelBoot = o.kernel ? { kernel: o.kernel, initrd: o.initrd, append: o.append } : undefined;
  const config = parseVmConfig({
    schemaVersion: VM_CONFIG_VERSION,
    name: o.name,
    title: o.title ?? 'Linux',
    os: { family: 'linux', version: 'generic' },
    preset: 'linux',
    machine: 'q35',
    firmware: kernelBoot ? 'bios' : 'uefi',
    cpu: { cores: defaultCores(o, 4), model: 'auto' },
    memoryMiB: defaultMemory(o, 4096, 1024),
    disks: [{ id: 'system', path: 'disk.qcow2', format: 'qcow2', size: o.diskSize ?? '32G', bus: dev.diskBus }],
    media: o.iso ? [{ id: 'install0', role: 'install', path: o.iso, format: 'raw', as: 'cdrom', bus: 'sata' }] : [],
    network: { mode: 'user', nic: dev.nic, portForwards: [] },
    display: { device: os.display, viewer: 'guestbay', window: 'gtk', gl: false },
    sharedFolders: sharesFrom(o.shares, dev.shareMethod),
    usb: { controller: 'xhci', hostDevices: [] },
    input: { keyboard: 'usb', pointer: 'usb-tablet' },
    audio: { device: 'auto', backend: 'auto' },
    tpm: { enabled: false },
    kernelBoot,
  });
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
