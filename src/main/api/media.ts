// What an installer disc is, from its ISO 9660 volume label (and the file name, which is all
// that tells Windows 10 from 11: both are labelled CCCOMA_X64FRE_…).
import { open } from 'node:fs/promises';
import { basename } from 'node:path';

/** The primary volume descriptor sits at sector 16 (2048-byte sectors); its label at byte 40. */
export async function isoLabel(path: string): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(72);
    const { bytesRead } = await fh.read(buf, 0, 72, 16 * 2048);
    if (bytesRead < 72 || buf[0] !== 1 || buf.toString('latin1', 1, 6) !== 'CD001') return null;
    return buf.toString('latin1', 40, 72).trim() || null;
  } finally {
    await fh.close();
  }
}

const LINUX = /debian|ubuntu|fedora|^arch|manjaro|opensuse|suse|mint|endeavour|pop_os|kali|alpine|centos|rocky|alma/i;

export function suggestPreset(label: string | null, fileName: string): { preset: string | null; title: string | null } {
  const both = `${label ?? ''} ${fileName}`;
  if (/^(CCCOMA|CPBA|CCSA|CENA|J_CCSA|GRMC)/i.test(label ?? '') || /win(dows)?[ _-]?1[01]/i.test(fileName)) {
    if (/win(dows)?[ _-]?11/i.test(fileName)) return { preset: 'windows-11', title: 'Windows 11' };
    if (/win(dows)?[ _-]?10/i.test(fileName)) return { preset: 'windows-10', title: 'Windows 10' };
    return { preset: 'windows-11', title: 'Windows (10 or 11: the disc does not say which)' };
  }
  const m = LINUX.exec(both);
  if (m) return { preset: 'linux', title: `${m[0][0]!.toUpperCase()}${m[0].slice(1).toLowerCase()} (Linux)` };
  return { preset: null, title: null };
}

export async function identifyMedia(path: string) {
  const label = await isoLabel(path).catch(() => null);
  return { label, ...suggestPreset(label, basename(path)) };
}
