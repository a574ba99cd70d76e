// Every choice a guest's settings offer, with its label and its one-line why. Records keyed by
// the schema's own enums, so a value added to the schema is a compile error here until it has
// words. (The wizard's steps use the same records.)
import type { Disk, DiskBus, Display, Firmware, Network, NicModel, ShareMethod, VmConfig } from '../../../shared/vm-config';

export type Choice = { label: string; why: string };

export const FIRMWARE_CHOICES: Record<Firmware, Choice> = {
  bios: { label: 'BIOS (SeaBIOS)', why: 'The classic PC firmware: direct kernel boot and older systems.' },
  uefi: { label: 'UEFI (OVMF)', why: 'What current systems install for; any boot loader starts.' },
  'uefi-secure': { label: 'UEFI with Secure Boot', why: 'Only signed boot loaders start; Windows 11 needs it.' },
};

export const NIC_CHOICES: Record<NicModel, Choice> = {
  'virtio-net': { label: 'virtio-net', why: 'The fastest; Linux has the driver, Windows needs the virtio-win disc, macOS from Big Sur.' },
  e1000e: { label: 'Intel e1000e', why: 'Emulated Intel 82574: Windows and most systems have the driver.' },
  e1000: { label: 'Intel e1000', why: 'Emulated Intel 82540, for older systems.' },
  rtl8139: { label: 'Realtek 8139', why: 'Very old systems only; 100 Mbit/s.' },
  vmxnet3: { label: 'VMware vmxnet3', why: 'macOS before Big Sur.' },
};

export const NET_MODE_CHOICES: Record<Network['mode'], Choice> = {
  user: { label: 'User-mode (NAT)', why: 'Works anywhere without root; the guest is invisible from outside except through port forwards.' },
  bridge: { label: 'Bridge', why: 'The guest joins your network as its own machine (needs a host bridge such as br0 and qemu-bridge-helper).' },
  none: { label: 'No network', why: 'No network card at all.' },
};

export const DISK_BUS_CHOICES: Record<DiskBus, Choice> = {
  virtio: { label: 'virtio-blk', why: 'Fastest; needs a driver (Linux has it, Windows from the virtio-win disc).' },
  nvme: { label: 'NVMe', why: 'Fast, and current systems have the driver built in.' },
  scsi: { label: 'virtio-scsi', why: 'Many disks and TRIM; needs the virtio driver.' },
  sata: { label: 'SATA (AHCI)', why: 'Emulated; every system reads it.' },
  ide: { label: 'IDE', why: 'Emulated; very old systems only.' },
  usb: { label: 'USB', why: 'A USB stick: can be plugged in while the guest runs.' },
};

export const CACHE_CHOICES: Record<Disk['cache'], Choice> = {
  writeback: { label: 'writeback', why: 'The default: works on every file system and honours the guest’s flushes.' },
  none: { label: 'none (O_DIRECT)', why: 'Bypasses the host’s page cache; fails on tmpfs and some ZFS set-ups.' },
  writethrough: { label: 'writethrough', why: 'Every write waits for the disk: safe and slow.' },
  directsync: { label: 'directsync', why: 'O_DIRECT and every write synced: safest, slowest.' },
  unsafe: { label: 'unsafe', why: 'Ignores the guest’s flushes: fast, and a host crash can corrupt the disk.' },
};

export const DISPLAY_DEVICE_CHOICES: Record<Display['device'], Choice> = {
  auto: { label: 'Automatic', why: 'The card this guest system drives best.' },
  'virtio-vga': { label: 'virtio-vga', why: 'Any resolution, follows the window; Linux has the driver.' },
  'virtio-gpu': { label: 'virtio-gpu', why: 'virtio without a VGA mode, for UEFI guests.' },
  std: { label: 'Standard VGA', why: 'Bochs VGA: every system drives it.' },
  qxl: { label: 'QXL', why: 'For SPICE.' },
  'vmware-svga': { label: 'VMware SVGA', why: 'What macOS drives.' },
  ramfb: { label: 'ramfb', why: 'A simple framebuffer.' },
  none: { label: 'None', why: 'No screen: a server, reached through the serial console.' },
};

export const VIEWER_CHOICES: Record<Display['viewer'], Choice> = {
  guestbay: { label: 'In Guestbay', why: 'Works in the browser and over SSH too; the resolution follows the window with virtio-vga.' },
  window: { label: 'Own window', why: 'QEMU’s own window: the fastest on this desktop, with 3D (virgl) when OpenGL is on; not in browser mode.' },
};

export const WINDOW_CHOICES: Record<Display['window'], Choice> = {
  gtk: { label: 'QEMU’s GTK window', why: 'Menus for the guest’s devices; OpenGL works.' },
  sdl: { label: 'QEMU’s SDL window', why: 'A bare window; OpenGL works.' },
  spice: { label: 'SPICE (remote-viewer)', why: 'USB redirection and OpenGL through remote-viewer.' },
};

export const SOUND_CHOICES: Record<VmConfig['audio']['device'], Choice> = {
  auto: { label: 'Automatic', why: 'virtio-sound where the guest has the driver and QEMU the device, Intel HDA otherwise.' },
  hda: { label: 'Intel HDA', why: 'Every system has the driver.' },
  'virtio-sound': { label: 'virtio-sound', why: 'Linux 5.13 and later; QEMU 8.2 and later.' },
  ac97: { label: 'AC97', why: 'Very old systems.' },
  none: { label: 'None', why: 'No sound card.' },
};

export const SOUND_BACKEND_CHOICES: Record<VmConfig['audio']['backend'], Choice> = {
  auto: { label: 'Automatic', why: 'The desktop’s sound server: PipeWire, else PulseAudio.' },
  pipewire: { label: 'PipeWire', why: 'QEMU 8.1 and later, with PipeWire running.' },
  pa: { label: 'PulseAudio', why: 'PulseAudio, or PipeWire’s PulseAudio service.' },
  alsa: { label: 'ALSA', why: 'Straight to the sound card, without a sound server.' },
  none: { label: 'Silent', why: 'The guest has a sound card, and nothing is played.' },
};

export const SHARE_METHOD_CHOICES: Record<ShareMethod, Choice> = {
  virtiofs: { label: 'virtiofs', why: 'Fastest: Linux mounts it with mount -t virtiofs TAG; Windows with virtio-win’s viofs and WinFsp.' },
  '9p': { label: '9p', why: 'macOS (mount_9p) and Linux kernels with 9p.' },
  smb: { label: 'SMB', why: 'Any system, no driver: \\\\10.0.2.4\\qemu (user-mode network only; needs smbd on the host).' },
};

export const USB_CONTROLLER_CHOICES: Record<VmConfig['usb']['controller'], Choice> = {
  xhci: { label: 'USB 3 (xHCI)', why: 'Every current system; the default.' },
  ehci: { label: 'USB 2 (EHCI)', why: 'For systems without an xHCI driver.' },
  none: { label: 'None', why: 'No USB controller: no tablet, no USB devices.' },
};

export const MACHINE_CHOICES: Record<VmConfig['machine'], Choice> = {
  q35: { label: 'q35', why: 'A modern PC with PCI Express and AHCI.' },
  pc: { label: 'pc (i440FX)', why: 'The old PC, for very old systems.' },
  virt: { label: 'virt', why: 'QEMU’s board for ARM and RISC-V guests: every device on PCI.' },
};

export const ACCEL_CHOICES: Record<VmConfig['accel'], Choice> = {
  auto: { label: 'Automatic', why: 'KVM where it works, software emulation otherwise.' },
  kvm: { label: 'KVM', why: 'Near the host’s speed; refuses to start without working KVM.' },
  tcg: { label: 'Emulation (TCG)', why: 'Works everywhere, many times slower.' },
};

/** Options for a <select> from a record, in the record's order. */
export function optionsOf<T extends string>(r: Record<T, Choice>): { value: T; label: string; why: string }[] {
  return (Object.keys(r) as T[]).map((value) => ({ value, ...r[value] }));
}
