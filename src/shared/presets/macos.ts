import { VM_CONFIG_VERSION } from '../vm-config';
import { parseVmConfig } from '../migrations';
import { macosRelease, type MacosRelease } from '../os/macos-releases';
import { osTraits } from '../os/os-table';
import { sharesFrom } from './common';
import type { PresetOptions, PresetResult } from './types';

/** OpenCore and the recovery image live in the guest's folder (`guestbay macos prepare`). */
export const MACOS_BOOTLOADER = 'OpenCore.qcow2';
// Recovery.img: Apple's recovery DMG + chunklist on a FAT disk (src/main/macos/recovery-disk.ts).
export const MACOS_RECOVERY = 'Recovery.img';
/** The screen a macOS guest gets unless the user picks another (OpenCore and macOS start at it). */
export const MACOS_DEFAULT_RESOLUTION = { width: 1920, height: 1080 };

export function macosPreset(key: string, o: PresetOptions): PresetResult {
  const r: MacosRelease | undefined = macosRelease(key);
  if (!r) throw new Error(`unknown macOS release "${key}"`);
  const os = osTraits('macos', r.key);
  const dev = os.builtIn;
  const threads = o.host?.threads ?? 4;
  // A power of two, at most half the host: macOS is picky about core counts under QEMU.
  const cores = Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, Math.min(8, Math.floor(threads / 2))))));
  const memoryMiB = Math.max(r.minMemoryMiB, Math.min(r.recommendedMemoryMiB, o.host ? Math.floor(o.host.memoryMiB / 2 / 1024) * 1024 : r.recommendedMemoryMiB));
  const config = parseVmConfig({
    schemaVersion: VM_CONFIG_VERSION,
    name: o.name,
    title: o.title ?? `${r.name}`,
    os: { family: 'macos', version: r.key },
    preset: `macos-${r.key}`,
    machine: 'q35',
    // OpenCore provides Apple's boot services; OVMF's Secure Boot would only get in its way.
    firmware: 'uefi',
    cpu: { cores, model: 'auto' },
    memoryMiB,
    disks: [{ id: 'system', path: 'disk.qcow2', format: 'qcow2', size: o.diskSize ?? `${r.recommendedDiskGiB}G`, bus: dev.diskBus }],
    media: [
      { id: 'boot0', role: 'bootloader', path: MACOS_BOOTLOADER, format: 'qcow2', as: 'disk', bus: 'sata' },
      { id: 'recovery0', role: 'recovery', path: MACOS_RECOVERY, format: 'raw', as: 'disk', bus: 'sata' },
    ],
    network: { mode: 'user', nic: dev.nic, portForwards: [] },
    display: { device: os.display, viewer: 'guestbay', window: 'gtk', gl: false },
    sharedFolders: sharesFrom(o.shares, dev.shareMethod),
    usb: { controller: 'xhci', hostDevices: [] },
    input: { keyboard: 'usb', pointer: 'usb-tablet' },
    audio: { device: 'auto', backend: 'auto' },
    tpm: { enabled: false },
  });
  return {
    config,
    reasons: {
      ...Object.fromEntries(Object.entries(r.reasons).map(([k, v]) => [`macos.${k}`, v])),
      firmware: 'UEFI without Secure Boot: OpenCore boots macOS and does its own verification',
      'cpu.model': 'auto: a named Intel model macOS knows (Skylake-Client-v4 or Haswell-noTSX, per release), with vendor=GenuineIntel on AMD hosts because macOS runs only on Intel CPUs',
      'cpu.cores': 'a power of two: macOS hangs at boot with some other core counts under QEMU',
      memoryMiB: `${memoryMiB / 1024} GiB: installs on AMD hosts have frozen with more than 8 GiB`,
      'disks.0.bus': r.reasons.diskBus ?? `${r.diskBus}`,
      'network.nic': r.reasons.nic ?? `${r.nic}`,
      'display.device': 'VMware SVGA: macOS drives it without extra kexts (no 3D acceleration)',
      media: 'OpenCore on the first SATA port boots first; the recovery disk (Apple’s signed recovery image on FAT, which OpenCore checks and boots) starts the installer, and is detached once macOS is installed',
      sharedFolders: '9p: macOS 10.15.6 and later mount it with mount_9p; virtiofs has no macOS driver',
      'input.pointer': 'USB tablet on xHCI: the pointer follows the host cursor; EHCI input broke after a Sonoma update',
      'audio.device': 'auto: Intel HDA, which macOS drives (it has no virtio-sound driver); works with QEMU 7.2 and later',
    },
  };
}
