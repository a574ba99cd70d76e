// One table answers every "does this guest OS support X?" question, so device code never
// branches on OS names (virt-manager's osdict habit). macOS details per release live in
// macos-releases.ts; this file reduces them to the same questions.
import type { NicModel, OsFamily } from '../vm-config';
import { macosRelease } from './macos-releases';

export interface OsTraits {
  /** How messages name the system: "Windows 11", "macOS Sonoma", "Linux". */
  name: string;
  /** Below these the system does not install or boot (the vendor's own minimums). */
  minCores: number;
  minMemoryMiB: number;
  /** Drivers for virtio-blk/-net/-gpu without an extra disc during install. */
  virtioBuiltIn: boolean;
  /** Installs only with this disk bus when no driver disc is given. */
  fallbackDiskBus: 'sata' | 'virtio';
  fallbackNic: NicModel;
  display: 'virtio-vga' | 'std' | 'vmware-svga';
  /** virtio-sound has a guest driver (Linux 5.13+; Windows only through virtio-win; macOS none). */
  virtioSound: boolean;
  /** Hyper-V enlightenments help (Windows on KVM). */
  hyperV: boolean;
  /** Needs Apple's SMC device and an Intel-looking CPU. */
  apple: boolean;
  /** Shared-folder methods the guest can mount, best first. */
  shareMethods: ('virtiofs' | '9p' | 'smb')[];
  /** The guest wants the RTC in local time (Windows' default). */
  localtimeRtc: boolean;
  /** spice-vdagent exists for it (clipboard sharing, monitor configuration); macOS has none. */
  spiceAgent: boolean;
}

const LINUX: OsTraits = {
  name: 'Linux',
  minCores: 1,
  // Distributions differ (an installer wants 1 GiB or more); a kernel with a small initrd
  // boots in 64 MiB, and Guestbay does not know which one it is.
  minMemoryMiB: 64,
  virtioBuiltIn: true,
  fallbackDiskBus: 'virtio',
  fallbackNic: 'virtio-net',
  display: 'virtio-vga',
  virtioSound: true,
  hyperV: false,
  apple: false,
  shareMethods: ['virtiofs', '9p', 'smb'],
  localtimeRtc: false,
  spiceAgent: true,
};

const WINDOWS: Omit<OsTraits, 'name' | 'minCores' | 'minMemoryMiB'> = {
  virtioBuiltIn: false,
  fallbackDiskBus: 'sata',
  fallbackNic: 'e1000e',
  // Windows' basic display driver drives std VGA out of the box; virtio-gpu needs virtio-win.
  display: 'std',
  virtioSound: false,
  hyperV: true,
  apple: false,
  // virtiofs needs virtio-win's viofs + WinFsp; SMB works with nothing installed in the guest.
  shareMethods: ['virtiofs', 'smb'],
  localtimeRtc: true,
  spiceAgent: true,
};

export function osTraits(family: OsFamily, version: string): OsTraits {
  switch (family) {
    case 'linux':
      return LINUX;
    case 'other':
      return { ...LINUX, name: 'This system' };
    case 'windows':
      // Microsoft's minimums: Windows 11 needs 2 cores and 4 GiB, Windows 10 (64-bit) 2 GiB.
      return version === '11'
        ? { ...WINDOWS, name: 'Windows 11', minCores: 2, minMemoryMiB: 4096 }
        : { ...WINDOWS, name: `Windows ${version}`, minCores: 1, minMemoryMiB: 2048 };
    case 'macos': {
      const r = macosRelease(version);
      return {
        name: r?.name ?? 'macOS',
        minCores: 1,
        minMemoryMiB: r?.minMemoryMiB ?? 4096,
        virtioBuiltIn: r ? r.diskBus === 'virtio' : false,
        fallbackDiskBus: r?.diskBus ?? 'sata',
        fallbackNic: r?.nic ?? 'vmxnet3',
        display: r?.display === 'virtio-vga' ? 'virtio-vga' : 'vmware-svga',
        virtioSound: false,
        hyperV: false,
        apple: true,
        // macOS has no virtiofs driver usable under QEMU; mount_9p works from 10.15.6.
        shareMethods: ['9p', 'smb'],
        localtimeRtc: false,
        spiceAgent: false,
      };
    }
  }
}
