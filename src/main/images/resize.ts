// Growing an image, or shrinking it once the caller has confirmed what is cut off.
import { basename } from 'node:path';
import { formatSize } from '../../shared/size';
import { resizeArgs, type GuestFormat } from '../qemu/qemu-img';
import { imageInfo } from './info';
import { ImageError, runQemuImg } from './run';

/** A shrink asked for without the confirmation: the message says what would be lost. */
export class ShrinkNotConfirmedError extends Error {
  override name = 'ShrinkNotConfirmedError';
}

export function shrinkWarning(file: string, from: number, to: number): string {
  return (
    `Shrinking ${file} from ${formatSize(from)} to ${formatSize(to)} cuts off its last ${formatSize(from - to)}: ` +
    'every partition and file stored there is lost for good, and a partition that runs past the new end is damaged. ' +
    'Shrink the partitions inside the guest first (its disk tool), then confirm the shrink.'
  );
}

export async function resizeImage(path: string, format: GuestFormat, sizeBytes: number, o: { confirmShrink?: boolean; qemuImg?: string } = {}): Promise<{ from: number; to: number }> {
  const info = await imageInfo(path, { format, qemuImg: o.qemuImg });
  const from = info.virtualSize;
  if (sizeBytes === from) return { from, to: sizeBytes };
  const shrink = sizeBytes < from;
  if (shrink && !o.confirmShrink) throw new ShrinkNotConfirmedError(shrinkWarning(basename(path), from, sizeBytes));
  // Growing (or shrinking) an image with snapshots works for qcow2 in QEMU 7.2 and 10, but the
  // snapshots keep their own sizes: reverting to one brings the old size back.
  if (shrink && info.snapshots.length) throw new ImageError(`${basename(path)} has snapshots (${info.snapshots.map((s) => s.name).join(', ')}): delete them before shrinking it`);
  await runQemuImg(resizeArgs(path, format, sizeBytes, shrink), { qemuImg: o.qemuImg, what: `resizing ${basename(path)}` });
  return { from, to: sizeBytes };
}
