// The closed sets a VmConfig chooses its firmware and devices from, each spelled once here with
// the words the app shows for every value. vm-config.ts's schema, the contract's create
// overrides, vm/create.ts and the wizard all derive from these enums; every label map is a
// `Record<Value, string>`, so a new value does not compile until it has its words. The other
// place the compiler then sends you is the launch plan's map from the value to QEMU's device
// (src/main/qemu/plan/: network.ts, drives.ts, display.ts), the only code that knows QEMU's names.
import { z } from 'zod';
import { ARCH_LABELS } from './arch-labels';

/** Label maps as [value, label] pairs, in the order the map lists them (the order the UI offers). */
export function choicesOf<K extends string>(labels: Record<K, string>): [K, string][] {
  return Object.entries(labels) as [K, string][];
}

export const firmware = z.enum(['bios', 'uefi', 'uefi-secure']);
export type Firmware = z.infer<typeof firmware>;

export const FIRMWARE_LABELS: Record<Firmware, string> = {
  bios: 'BIOS (SeaBIOS)',
  uefi: 'UEFI (OVMF)',
  'uefi-secure': 'UEFI + Secure Boot',
};

/** What each firmware means for the guest, in a sentence or two. */
export const FIRMWARE_MEANINGS: Record<Firmware, string> = {
  bios: 'The classic PC firmware. Starts in milliseconds; right for direct kernel boot and old systems. Disks over 2 TiB cannot boot.',
  uefi: 'What current systems install for. Any bootloader and kernel start, signed or not.',
  'uefi-secure':
    'UEFI that only starts signed bootloaders (Microsoft’s keys are enrolled). Windows 11 requires it; some Linux distributions boot with it, others do not.',
};

export const diskBus = z.enum(['virtio', 'sata', 'ide', 'nvme', 'scsi', 'usb']);
export type DiskBus = z.infer<typeof diskBus>;

export const DISK_BUS_LABELS: Record<DiskBus, string> = {
  virtio: 'virtio-blk (fastest, needs a driver)',
  nvme: 'NVMe (fast, no extra driver on current systems)',
  scsi: 'virtio-scsi (many disks, TRIM)',
  sata: 'SATA / AHCI (emulated, works everywhere)',
  ide: 'IDE (emulated, very old systems)',
  usb: 'USB storage (slow; for systems that boot only from a removable disk)',
};

export const nicModel = z.enum(['virtio-net', 'e1000e', 'e1000', 'rtl8139', 'vmxnet3']);
export type NicModel = z.infer<typeof nicModel>;

export const NIC_LABELS: Record<NicModel, string> = {
  'virtio-net': 'virtio-net (fastest, needs a driver)',
  e1000e: 'Intel e1000e (emulated, Windows has the driver)',
  e1000: 'Intel e1000 (emulated, older systems)',
  vmxnet3: 'VMware vmxnet3 (macOS)',
  rtl8139: 'Realtek 8139 (emulated, 100 Mbit/s)',
};

/** `auto`: the guest OS's own best (the OS table's `display`), chosen by the launch plan. */
export const displayDevice = z.enum(['auto', 'virtio-vga', 'virtio-gpu', 'std', 'qxl', 'vmware-svga', 'ramfb', 'none']);
export type DisplayDevice = z.infer<typeof displayDevice>;

export const DISPLAY_DEVICE_LABELS: Record<DisplayDevice, string> = {
  auto: 'Automatic (the best this system drives)',
  'virtio-vga': 'virtio-vga (resizes with the window)',
  'virtio-gpu': 'virtio-gpu (no VGA: for systems with a virtio-gpu driver from boot)',
  std: 'Standard VGA (every system)',
  qxl: 'QXL (SPICE)',
  'vmware-svga': 'VMware SVGA (macOS)',
  ramfb: 'ramfb (simple framebuffer)',
  none: 'None (serial console only)',
};

export const shareMethod = z.enum(['virtiofs', '9p', 'smb']);
export type ShareMethod = z.infer<typeof shareMethod>;

export const SHARE_METHOD_LABELS: Record<ShareMethod, string> = {
  virtiofs: 'virtiofs',
  '9p': '9p (virtio-9p)',
  smb: 'SMB (Samba)',
};

/** How each method works and how a guest mounts it. */
export const SHARE_METHOD_MEANINGS: Record<ShareMethod, string> = {
  virtiofs:
    'virtiofs: the fastest, with the host’s file semantics. Linux mounts it directly (mount -t virtiofs <tag> /mnt); Windows needs the VirtIO-FS service and WinFsp. Runs a virtiofsd helper next to QEMU.',
  '9p': '9p: built into QEMU, no helper. Slower; Linux mounts it with mount -t 9p -o trans=virtio <tag> /mnt, macOS 10.15.6+ with mount_9p.',
  smb: 'SMB: QEMU runs the host’s Samba for the guest; Windows opens \\\\10.0.2.4\\qemu with nothing to install, Linux mounts it with mount -t cifs //10.0.2.4/qemu /mnt. Needs smbd on the host.',
};

/*
 * The settings' other closed sets, spelled here once too: vm-config.ts's schema takes them with
 * their defaults, and `guestbay set` (settings-keys.ts) checks a value against the same list.
 */
export const diskFormat = z.enum(['qcow2', 'raw']);
export const diskCache = z.enum(['none', 'writeback', 'writethrough', 'directsync', 'unsafe']);
export const networkMode = z.enum(['user', 'bridge', 'none']);
// `virt`: the machine QEMU offers for aarch64 and riscv64 guests (os/arch-table.ts says which arch has which).
export const machineType = z.enum(['q35', 'pc', 'virt']);
export const accelChoice = z.enum(['auto', 'kvm', 'tcg']);
export const usbController = z.enum(['xhci', 'ehci', 'none']);
export const keyboardModel = z.enum(['usb', 'ps2', 'virtio']);
export const pointerModel = z.enum(['usb-tablet', 'virtio-tablet', 'ps2-mouse']);
export const soundDevice = z.enum(['auto', 'hda', 'virtio-sound', 'ac97', 'none']);
export const soundBackend = z.enum(['auto', 'pipewire', 'pa', 'alsa', 'none']);

/**
 * The guest's CPU architecture. x86_64 runs under KVM on a PC; the others are emulated there
 * (TCG), and the same goes for an x86_64 guest on an ARM host. os/arch-table.ts answers what
 * each needs (machine, firmware, devices) and how much slower emulation is.
 */
export const guestArch = z.enum(['x86_64', 'aarch64', 'riscv64']);
export type GuestArch = z.infer<typeof guestArch>;

/** Every architecture, and only those, has its label (arch-labels.ts, zod-free for the renderer). */
export const GUEST_ARCH_LABELS: Record<GuestArch, string> = ARCH_LABELS satisfies Record<GuestArch, string>;
