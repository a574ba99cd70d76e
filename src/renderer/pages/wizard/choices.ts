// The wizard's fixed choices and their explanations, as the steps show them.
import type { FirmwareChoice, OsChoice } from './model';

export const OS_CHOICES: { id: OsChoice; title: string; family: string; blurb: string }[] = [
  { id: 'linux', title: 'Linux', family: 'linux', blurb: 'Any current distribution. Every device is virtio: fast, with drivers in the kernel.' },
  { id: 'windows-10', title: 'Windows 10', family: 'windows', blurb: 'UEFI with Hyper-V enlightenments. Add the virtio-win disc for fast disk and network.' },
  { id: 'windows-11', title: 'Windows 11', family: 'windows', blurb: 'Needs UEFI with Secure Boot and a TPM 2.0: both are set up for you.' },
  { id: 'macos', title: 'macOS', family: 'macos', blurb: 'Through OpenCore, downloaded from Apple’s recovery servers.' },
];

export const FIRMWARE: { id: FirmwareChoice; title: string; meaning: string }[] = [
  { id: 'bios', title: 'BIOS (SeaBIOS)', meaning: 'The classic PC firmware. Starts in milliseconds; right for direct kernel boot and old systems. Disks over 2 TiB cannot boot.' },
  { id: 'uefi', title: 'UEFI (OVMF)', meaning: 'What current systems install for. Any bootloader and kernel start, signed or not.' },
  { id: 'uefi-secure', title: 'UEFI + Secure Boot', meaning: 'UEFI that only starts signed bootloaders (Microsoft’s keys are enrolled). Windows 11 requires it; some Linux distributions boot with it, others do not.' },
];

export const SHARE_METHODS: Record<'virtiofs' | '9p' | 'smb', string> = {
  virtiofs: 'virtiofs: the fastest, with the host’s file semantics. Linux mounts it directly (mount -t virtiofs <tag> /mnt); Windows needs the VirtIO-FS service and WinFsp. Runs a virtiofsd helper next to QEMU.',
  '9p': '9p: built into QEMU, no helper. Slower; Linux mounts it with mount -t 9p -o trans=virtio <tag> /mnt, macOS 10.15.6+ with mount_9p.',
  smb: 'SMB: QEMU runs the host’s Samba for the guest; Windows opens \\\\10.0.2.4\\qemu with nothing to install. Needs smbd on the host.',
};

/** Which ways of sharing a folder each guest system can mount (the first is the default). */
export const SHARE_METHODS_FOR: Record<OsChoice, ('virtiofs' | '9p' | 'smb')[]> = {
  linux: ['virtiofs', '9p'],
  'windows-10': ['virtiofs', 'smb'],
  'windows-11': ['virtiofs', 'smb'],
  macos: ['9p', 'smb'],
};

/** A preset's one-line reason as a sentence of its own. */
export function sentence(s: string): string {
  const t = s.trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?)]$/.test(t) ? '' : '.');
}
