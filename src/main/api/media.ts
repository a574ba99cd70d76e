// What an installer disc is, from its ISO 9660 volume label and its file name. The file name
// matters: Windows 10 and 11 discs are both labelled CCCOMA_X64FRE_…; only Microsoft's file
// names (Win11_24H2_English_x64.iso, en-us_windows_10_…) tell them apart.
import { open, stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../shared/vm-config';
import type { ApiContext, Handlers } from './context';

const SECTOR = 2048;
/** The primary volume descriptor is the first descriptor, at sector 16. */
const PVD_OFFSET = 16 * SECTOR;

/** The volume label of an ISO 9660 image, or null when the file is not one. */
export async function isoLabel(path: string): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(72);
    const { bytesRead } = await fh.read(buf, 0, 72, PVD_OFFSET);
    // Type 1 = primary; "CD001" is the standard identifier of every ISO 9660 descriptor.
    if (bytesRead < 72 || buf[0] !== 1 || buf.toString('latin1', 1, 6) !== 'CD001') return null;
    // Volume identifier: bytes 40–71, d-characters padded with spaces.
    return buf.toString('latin1', 40, 72).replace(/[\s\0]+$/, '') || null;
  } finally {
    await fh.close();
  }
}

/** Microsoft's consumer, business and regional disc labels (CCCOMA_X64FRE_EN-US_DV9…). */
const WINDOWS_LABEL = /^(CCCOMA|CPBA|CCSA|CENA|J_CCSA|GRMC|CPRA|CCBA)_/i;
const WINDOWS_FILE = /(^|[^a-z])win(dows)?[ _-]?(10|11)([^0-9]|$)/i;

/** Distribution names as labels and file names spell them, with how to show them. */
const DISTROS: { label?: RegExp; file?: RegExp; title: string }[] = [
  { label: /^debian/i, file: /^debian-/i, title: 'Debian' },
  { label: /ubuntu/i, file: /^(k|x|l)?ubuntu-/i, title: 'Ubuntu' },
  { label: /^fedora/i, file: /^fedora-/i, title: 'Fedora' },
  // ARCH_202511 / archlinux-2025.11.01-x86_64.iso; not "archive.iso".
  { label: /^ARCH_\d{6}/i, file: /^archlinux-/i, title: 'Arch Linux' },
  { label: /^manjaro/i, file: /^manjaro-/i, title: 'Manjaro' },
  { label: /^opensuse/i, file: /^opensuse-/i, title: 'openSUSE' },
  { label: /^linux ?mint/i, file: /^linuxmint-/i, title: 'Linux Mint' },
  { label: /^endeavouros/i, file: /^endeavouros/i, title: 'EndeavourOS' },
];

export function suggestPreset(label: string | null, fileName: string): { preset: string | null; title: string | null } {
  const win = WINDOWS_FILE.exec(fileName);
  if ((label && WINDOWS_LABEL.test(label)) || win) {
    if (win?.[3] === '11') return { preset: 'windows-11', title: 'Windows 11' };
    if (win?.[3] === '10') return { preset: 'windows-10', title: 'Windows 10' };
    // The label alone cannot say: the Windows 11 preset also suits a Windows 10 install.
    return { preset: 'windows-11', title: 'Windows 10 or 11' };
  }
  const d = DISTROS.find((x) => (label && x.label?.test(label)) || x.file?.test(fileName));
  return d ? { preset: 'linux', title: d.title } : { preset: null, title: null };
}

export async function identifyMedia(path: string) {
  const s = await stat(path).catch(() => null);
  if (!s) throw new ConfigError([{ field: 'path', message: `${path} does not exist` }]);
  if (!s.isFile()) throw new ConfigError([{ field: 'path', message: `${path} is not a file` }]);
  // Unreadable or too short: not an ISO we can name, still a file the user may boot.
  const label = await isoLabel(path).catch(() => null);
  return { label, ...suggestPreset(label, basename(path)) };
}

export function mediaHandlers({ home }: ApiContext): Handlers<'media.identify'> {
  return {
    'media.identify': (i) => identifyMedia(isAbsolute(i.path) ? i.path : resolve(home, i.path)),
  };
}
