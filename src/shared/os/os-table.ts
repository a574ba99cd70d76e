// One table answers every "does this guest OS support X?" question, so neither the presets, the
// wizard nor the launch plan branch on OS names (virt-manager's osdict habit): they ask
// osTraits(). macOS details per release live in macos-releases.ts; this file reduces them to the
// same questions.
import type { CpuChoice } from './macos-releases';
import { macosRelease } from './macos-releases';
import type { DiskBus, DisplayDevice, Firmware, NicModel, OsFamily, ShareMethod } from '../vm-config';

/** The devices a preset gives a new guest. */
export interface OsDevices {
  diskBus: DiskBus;
  nic: NicModel;
  /** How its shared folders are mounted. */
  shareMethod: ShareMethod;
}

export interface OsTraits {
  /** How messages name the system: "Windows 11", "macOS Sonoma", "Linux". */
  name: string;
  /** Below these the system does not install or boot (the vendor's own minimums). */
  minCores: number;
  minMemoryMiB: number;
  /** The system disk's minimum, in GiB (0: none known): a smaller disk cannot hold the install. */
  minSystemDiskGiB: number;
  /** What the installer drives with nothing added: a new guest's devices without a driver disc. */
  builtIn: OsDevices;
  /**
   * The devices a driver disc (virtio-win) makes usable during the install; absent for systems
   * that have no such disc, or need none.
   */
  withDriverDisc?: OsDevices;
  /** The display device `auto` means for this guest. */
  display: Exclude<DisplayDevice, 'auto'>;
  /** virtio-sound has a guest driver (Linux 5.13+; Windows only through virtio-win; macOS none). */
  virtioSound: boolean;
  /** Hyper-V enlightenments help (Windows on KVM). */
  hyperV: boolean;
  /** Needs Apple's SMC device and an Intel-looking CPU. */
  apple: boolean;
  /** Shared-folder methods the guest can mount, best first. */
  shareMethods: ShareMethod[];
  /** The guest wants the RTC in local time (Windows' default). */
  localtimeRtc: boolean;
  /** A kernel booted directly (`-kernel`, no bootloader on the disk) is a way to start it. */
  kernelBoot: boolean;
  /** What its installer refuses to go on without. */
  requires: { firmware?: Firmware; tpm?: boolean };
  /** Boots reliably only with a power-of-two core count. */
  powerOfTwoCores: boolean;
  /** A named guest CPU per host vendor instead of the host's own (macOS); absent: the host's. */
  namedCpu?: { intelHost: CpuChoice; amdHost: CpuChoice };
  /** spice-vdagent exists for it (clipboard sharing, monitor configuration); macOS has none. */
  spiceAgent: boolean;
}

const LINUX: OsTraits = {
  name: 'Linux',
  minCores: 1,
  // Distributions differ (an installer wants 1 GiB or more); a kernel with a small initrd
  // boots in 64 MiB, and Guestbay does not know which one it is.
  minMemoryMiB: 64,
  minSystemDiskGiB: 0,
  builtIn: { diskBus: 'virtio', nic: 'virtio-net', shareMethod: 'virtiofs' },
  display: 'virtio-vga',
  virtioSound: true,
  hyperV: false,
  apple: false,
  // SMB through QEMU's user network: cifs in the kernel (mount -t cifs //10.0.2.4/qemu).
  shareMethods: ['virtiofs', '9p', 'smb'],
  localtimeRtc: false,
  kernelBoot: true,
  requires: {},
  powerOfTwoCores: false,
  spiceAgent: true,
};

// Windows setup has no virtio drivers: with the virtio-win disc it can load them (and the guest
// gets the fast devices); without it, only emulated SATA and e1000e are visible, and SMB shares
// need nothing installed in the guest.
const WINDOWS: Omit<OsTraits, 'name' | 'minCores' | 'minMemoryMiB' | 'minSystemDiskGiB'> = {
  builtIn: { diskBus: 'sata', nic: 'e1000e', shareMethod: 'smb' },
  withDriverDisc: { diskBus: 'virtio', nic: 'virtio-net', shareMethod: 'virtiofs' },
  // Windows' basic display driver drives std VGA out of the box; virtio-gpu needs virtio-win.
  display: 'std',
  virtioSound: false,
  hyperV: true,
  apple: false,
  // virtiofs needs virtio-win's viofs + WinFsp; SMB works with nothing installed in the guest.
  shareMethods: ['virtiofs', 'smb'],
  localtimeRtc: true,
  kernelBoot: false,
  requires: {},
  powerOfTwoCores: false,
  spiceAgent: true,
};

// Windows 11's setup checks for Secure Boot and a TPM 2.0 and stops without them.
const WINDOWS_11: Omit<OsTraits, 'name' | 'minCores' | 'minMemoryMiB' | 'minSystemDiskGiB'> = { ...WINDOWS, requires: { firmware: 'uefi-secure', tpm: true } };

export function osTraits(family: OsFamily, version: string): OsTraits {
  switch (family) {
    case 'linux':
      return LINUX;
    case 'other':
      return { ...LINUX, name: 'This system' };
    case 'windows':
      // Microsoft's minimums: Windows 11 needs 2 cores, 4 GiB and a 64 GB disk, Windows 10
      // (64-bit) 2 GiB and 32 GB.
      return version === '11'
        ? { ...WINDOWS_11, name: 'Windows 11', minCores: 2, minMemoryMiB: 4096, minSystemDiskGiB: 64 }
        : { ...WINDOWS, name: `Windows ${version}`, minCores: 1, minMemoryMiB: 2048, minSystemDiskGiB: 32 };
    case 'macos': {
      const r = macosRelease(version);
      return {
        name: r?.name ?? 'macOS',
        minCores: 1,
        minMemoryMiB: r?.minMemoryMiB ?? 4096,
        // Apple states no disk minimum per release for a virtual machine; the presets give each its recommended size.
        minSystemDiskGiB: 0,
        // macOS has no virtiofs driver usable under QEMU; mount_9p works from 10.15.6.
        builtIn: { diskBus: r?.diskBus ?? 'sata', nic: r?.nic ?? 'vmxnet3', shareMethod: '9p' },
        display: r && r.display !== 'auto' ? r.display : 'vmware-svga',
        virtioSound: false,
        hyperV: false,
        apple: true,
        shareMethods: ['9p', 'smb'],
        localtimeRtc: false,
        kernelBoot: false,
        requires: {},
        powerOfTwoCores: r?.maxCoresPowerOfTwo ?? false,
        namedCpu: r?.cpu,
        spiceAgent: false,
      };
    }
  }
}
