// The recovery disk: Apple's recovery image and its chunklist, unconverted, in
// `com.apple.recovery.boot/` on a FAT32 partition. OpenCore (DmgLoading=Signed) finds them
// there, checks the chunklist's Apple signature and every chunk, and boots the image itself.
// Why this way and not qemu-img's dmg driver, dmg2img or a dmg attached as a drive:
// docs/decisions.md, "The macOS recovery disk".
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { buildFatDisk, FatDiskError } from './disk/fat-disk';
import { BASIC_DATA_TYPE_GUID } from './disk/gpt';

export class RecoveryDiskError extends Error {
  override name = 'RecoveryDiskError';
}

/** The folder OpenCore (and a Mac's own firmware) looks in for a bootable recovery DMG. */
export const RECOVERY_FOLDER = 'com.apple.recovery.boot';

export interface BuildRecoveryDiskOptions {
  /** The downloaded image (BaseSystem.dmg or RecoveryImage.dmg). */
  image: string;
  /** Its chunklist; OpenCore pairs them by name. */
  chunklist: string;
  /** The disk to write: raw, as it is never written (QEMU attaches it with snapshot=on, as SATA cannot be read-only). */
  out: string;
  signal?: AbortSignal;
  qemuImg?: string;
  mtoolsDir?: string;
}

const MiB = 2 ** 20;

/** Room for the files plus FAT32's tables and cluster slack, never below FAT32's minimum. */
export function recoveryDiskMiB(payloadBytes: number): number {
  return Math.max(64, Math.ceil((payloadBytes * 1.02) / MiB) + 32);
}

export async function buildRecoveryDisk(o: BuildRecoveryDiskOptions): Promise<{ out: string; files: string[]; sizeMiB: number }> {
  const stem = (p: string) => basename(p, extname(p));
  if (extname(o.image).toLowerCase() !== '.dmg' || extname(o.chunklist).toLowerCase() !== '.chunklist' || stem(o.image) !== stem(o.chunklist)) {
    // OpenCore looks for NAME.dmg next to NAME.chunklist; other names would never boot.
    throw new RecoveryDiskError(`the recovery image and chunklist must be NAME.dmg and NAME.chunklist, not ${basename(o.image)} and ${basename(o.chunklist)}`);
  }
  const sizes = await Promise.all([o.image, o.chunklist].map((p) => stat(p).then((s) => s.size, () => { throw new RecoveryDiskError(`${p} is missing: download the recovery image first`); })));
  const sizeMiB = recoveryDiskMiB(sizes[0]! + sizes[1]!);
  try {
    const files = await buildFatDisk({
      files: [o.image, o.chunklist].map((src) => ({ src, to: `${RECOVERY_FOLDER}/${basename(src)}` })),
      out: o.out,
      format: 'raw',
      sizeMiB,
      label: 'RECOVERY',
      typeGuid: BASIC_DATA_TYPE_GUID,
      partitionName: 'macOS Recovery',
      what: 'the recovery disk',
      qemuImg: o.qemuImg,
      mtoolsDir: o.mtoolsDir,
      signal: o.signal,
    });
    return { out: o.out, files, sizeMiB };
  } catch (err) {
    if (err instanceof FatDiskError) throw new RecoveryDiskError(err.message);
    throw err;
  }
}
