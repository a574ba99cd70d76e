// Which file system a partition (or a whole disk) holds, from its signature, and whether a tool
// that reads it without root is known: debugfs (e2fsprogs) for ext2/3/4, mtools for FAT, ntfs-3g's
// ntfscat for NTFS files. The rest needs the kernel (a privileged mount).
import type { ReadAt } from './partitions';

export type FsKind = 'ext' | 'fat' | 'ntfs' | 'exfat' | 'btrfs' | 'xfs' | 'lvm' | 'luks' | 'swap' | 'iso9660' | 'unknown';

export const FS_LABELS: Record<FsKind, string> = {
  ext: 'ext2/3/4', fat: 'FAT', ntfs: 'NTFS', exfat: 'exFAT', btrfs: 'btrfs', xfs: 'XFS', lvm: 'LVM physical volume',
  luks: 'LUKS (encrypted)', swap: 'swap', iso9660: 'ISO 9660', unknown: 'unknown',
};

/** How files are copied out without root, where some tool can. */
export const READERS: Partial<Record<FsKind, 'debugfs' | 'mtools' | 'ntfs-3g'>> = { ext: 'debugfs', fat: 'mtools', ntfs: 'ntfs-3g' };

export async function detectFilesystem(read: ReadAt, size: number): Promise<FsKind> {
  const head = await read(0, Math.min(size, 0x10100));
  const s = (o: number, n: number) => (head.length >= o + n ? head.toString('latin1', o, o + n) : '');
  if (head.length > 0x43a && head.readUInt16LE(0x438) === 0xef53) return 'ext';
  if (s(3, 8) === 'NTFS    ') return 'ntfs';
  if (s(3, 8) === 'EXFAT   ') return 'exfat';
  if (s(0x52, 5) === 'FAT32' || s(0x36, 3) === 'FAT') return 'fat';
  if (s(0x10040, 8) === '_BHRfS_M') return 'btrfs';
  if (s(0, 4) === 'XFSB') return 'xfs';
  if (s(0x218, 8) === 'LVM2 001' || s(0x200, 8) === 'LABELONE') return 'lvm';
  if (s(0, 6) === 'LUKS\xba\xbe') return 'luks';
  if (s(0xff6, 10) === 'SWAPSPACE2' || s(0xff6, 10) === 'SWAP-SPACE') return 'swap';
  if (s(0x8001, 5) === 'CD001') return 'iso9660';
  return 'unknown';
}
