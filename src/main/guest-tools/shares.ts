// The shares a guest tools disk and the guest page speak about: each with where it is mounted
// in the guest and the one command that mounts it there, per OS and method. Tags come from the
// schema (letters, digits, "_" and "-"), so nothing here needs quoting beyond what is shown.
import type { OsFamily, ShareMethod } from '../../shared/vm-config';
import { GUESTBAY_FOLDER_TAG } from '../qemu/plan/guestbay-folder';

export interface ToolsShare {
  tag: string;
  method: ShareMethod;
}

/** QEMU's user-mode SMB server, as the guest reaches it. */
export const SMB_SOURCE = '//10.0.2.4/qemu';

/** Where a Linux guest mounts a share: /mnt/guestbay, /mnt/<tag>. */
export function linuxMountPoint(tag: string): string {
  return `/mnt/${tag}`;
}

/** Where a macOS guest mounts a share, under the user's home: ~/Guestbay for the Guestbay folder. */
export function macosFolderName(tag: string): string {
  return tag === GUESTBAY_FOLDER_TAG ? 'Guestbay' : tag;
}

/** The mount(8) arguments a Linux guest uses (the mount unit says the same in its own words). */
export function linuxMountArgs(s: ToolsShare, mountPoint = linuxMountPoint(s.tag)): string[] {
  switch (s.method) {
    case 'virtiofs':
      return ['-t', 'virtiofs', s.tag, mountPoint];
    case '9p':
      // 9p2000.L: Linux's own dialect (owners, modes, symlinks); msize: bigger reads than the default 8 KiB.
      return ['-t', '9p', '-o', 'trans=virtio,version=9p2000.L,msize=512000', s.tag, mountPoint];
    case 'smb':
      return ['-t', 'cifs', '-o', 'guest,vers=3.0', SMB_SOURCE, mountPoint];
  }
}

/** The mount unit's Type= and Options= for a method. */
export function linuxMountUnitFields(s: ToolsShare): { what: string; type: string; options: string } {
  switch (s.method) {
    case 'virtiofs':
      return { what: s.tag, type: 'virtiofs', options: 'nofail' };
    case '9p':
      return { what: s.tag, type: '9p', options: 'trans=virtio,version=9p2000.L,msize=512000,nofail' };
    case 'smb':
      return { what: SMB_SOURCE, type: 'cifs', options: 'guest,vers=3.0,nofail,_netdev' };
  }
}

/**
 * The one line a user types in the guest to mount a share now, for the guest page's copy
 * button. Linux: mkdir and mount as root; macOS: mount_9p at a folder in the home; Windows:
 * the VirtIO-FS service (virtio-win's virtiofs.exe over WinFsp) or the SMB share as a drive.
 */
export function mountCommand(family: OsFamily, s: ToolsShare): string {
  if (family === 'windows') {
    if (s.method === 'smb') return 'net use G: \\\\10.0.2.4\\qemu';
    return 'Set-Service VirtioFsSvc -StartupType Automatic; Start-Service VirtioFsSvc';
  }
  if (family === 'macos') {
    const dir = `"$HOME/${macosFolderName(s.tag)}"`;
    if (s.method === 'smb') return `mkdir -p ${dir} && mount_smbfs //guest@10.0.2.4/qemu ${dir}`;
    return `mkdir -p ${dir} && mount_9p ${s.tag} ${dir}`;
  }
  const mp = linuxMountPoint(s.tag);
  return `sudo mkdir -p ${mp} && sudo mount ${linuxMountArgs(s, mp).join(' ')}`;
}

/**
 * `systemd-escape --path`: the name systemd requires of a mount unit for `path` (/mnt/guestbay
 * → mnt-guestbay; "-" inside a name → \x2d). Slashes collapse, leading and trailing ones go;
 * "/" becomes "-"; a leading "." and everything but letters, digits, ":", "_" and "." is \xNN.
 */
export function systemdEscapePath(path: string): string {
  const trimmed = path.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
  if (trimmed === '') return '-';
  const hex = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`;
  let out = '';
  [...Buffer.from(trimmed, 'utf8')].forEach((b, i) => {
    const c = String.fromCharCode(b);
    if (c === '/') out += '-';
    else if (c === '.' && i === 0) out += hex(b);
    else out += /[A-Za-z0-9:_.]/.test(c) ? c : hex(b);
  });
  return out;
}

export function mountUnitName(tag: string): string {
  return `${systemdEscapePath(linuxMountPoint(tag))}.mount`;
}
