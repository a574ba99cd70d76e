// Converting images (import from raw, vdi, vmdk, vhdx, vpc or qcow2; export to raw or qcow2)
// and compacting them, with qemu-img's progress. The result appears whole or not at all: it is
// written under a temporary name beside the target and renamed once complete; a failure, a
// cancel or a full disk leaves nothing behind. Files handed in from elsewhere are read only as
// what they claim to be, and only from their own folder.
import { access, rename, rm, statfs } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { formatSize } from '../../shared/size';
import { convertArgs, defaultLayout, measureArgs, readMeasure, SOURCE_FORMATS, type GuestFormat, type ImageInfo } from '../qemu/qemu-img';
import { imageInfo } from './info';
import { partialPath } from './create';
import { isBtrfs } from './nocow';
import { ImageError, runQemuImg } from './run';

export interface ConvertOptions {
  /** The source's format; absent: probed (only for a file a person hands in, checked below). */
  fromFormat?: string;
  toFormat: GuestFormat;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Read through the source's backing file (flattening a guest's own overlay). */
  allowBacking?: boolean;
  qemuImg?: string;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/**
 * Why a file someone hands in must not be read as it is, or null. A qcow2 or vmdk names other
 * files it reads from (a backing file, vmdk extents): a crafted image could name ~/.ssh/id_rsa
 * and hand its bytes to the guest. So: no backing file, and extents only beside the descriptor.
 */
export function foreignImageProblem(path: string, info: ImageInfo, allowBacking = false): string | null {
  if (!(SOURCE_FORMATS as readonly string[]).includes(info.format)) {
    return `${basename(path)} is a ${info.format} image; Guestbay imports ${SOURCE_FORMATS.join(', ')}`;
  }
  if (info.backingFile && !allowBacking) {
    return `${basename(path)} is an overlay of another image (${info.backingFile}): convert the chain where it was made (qemu-img convert of the top image gives a standalone one), or import the base image`;
  }
  const dir = dirname(resolve(path));
  for (const e of info.extents ?? []) {
    const full = isAbsolute(e) ? e : resolve(dir, e);
    const rel = relative(dir, full);
    if (rel.startsWith('..') || isAbsolute(rel)) return `${basename(path)} reads its data from ${e}, outside its own folder: refused (copy the VMDK and its extent files into one folder)`;
  }
  return null;
}

/** Free space check before writing `bytes` into `dir`, with a margin for the filesystem. */
export async function ensureSpace(dir: string, bytes: number, what: string): Promise<void> {
  const s = await statfs(dir).catch(() => null);
  if (!s) return;
  const free = s.bavail * s.bsize;
  const need = Math.ceil(bytes * 1.02) + 16 * 2 ** 20;
  if (need > free) throw new ImageError(`${what} needs about ${formatSize(need)} in ${dir}, which has ${formatSize(free)} free: make room first (nothing was written)`);
}

export async function convertImage(from: string, to: string, o: ConvertOptions): Promise<{ path: string; from: ImageInfo }> {
  if (await exists(to)) throw new ImageError(`${to} already exists: Guestbay never writes over an image`);
  // Each qemu-img run costs tens of milliseconds: for Guestbay's own formats (known, and unable to
  // name other files' data) the measurement runs alongside the info instead of after it.
  const measure = (format: string) => runQemuImg(measureArgs(from, format, o.toFormat), { qemuImg: o.qemuImg, what: `measuring ${basename(from)}` });
  const early = o.fromFormat === 'raw' || o.fromFormat === 'qcow2' ? measure(o.fromFormat) : null;
  early?.catch(() => {});
  const nocowP = isBtrfs(dirname(to));
  const info = await imageInfo(from, { format: o.fromFormat, qemuImg: o.qemuImg });
  const problem = foreignImageProblem(from, info, o.allowBacking);
  if (problem) throw new ImageError(problem);
  const what = `converting ${basename(from)} to ${o.toFormat}`;
  const { stdout } = await (early ?? measure(info.format));
  await ensureSpace(dirname(to), readMeasure(stdout).required, what);
  const nocow = await nocowP;
  const tmp = partialPath(to);
  try {
    await runQemuImg(
      convertArgs({ from, fromFormat: info.format, to: tmp, toFormat: o.toFormat, progress: Boolean(o.onProgress), layout: o.toFormat === 'qcow2' || nocow ? defaultLayout({ overlay: false, nocow }) : undefined }),
      { qemuImg: o.qemuImg, onProgress: o.onProgress, signal: o.signal, what },
    );
    if (await exists(to)) throw new ImageError(`${to} appeared while converting: left as it was`);
    await rename(tmp, to);
  } finally {
    await rm(tmp, { force: true });
  }
  o.onProgress?.(1);
  return { path: to, from: info };
}

/**
 * Rewrites a guest's qcow2 or raw image without the space the guest freed (zeroed or trimmed
 * clusters) and with its clusters in order, then puts it in place of the old one. Internal
 * snapshots do not survive a conversion: the caller refuses images that have some.
 */
export async function compactImage(path: string, format: GuestFormat, o: Omit<ConvertOptions, 'fromFormat' | 'toFormat'> = {}): Promise<{ before: number; after: number }> {
  const info = await imageInfo(path, { format, qemuImg: o.qemuImg });
  if (info.backingFile) throw new ImageError(`${basename(path)} is a linked clone's overlay: flatten it first, or commit it into its base`);
  if (info.snapshots.length) throw new ImageError(`${basename(path)} has snapshots (${info.snapshots.map((s) => s.name).join(', ')}), which compacting would lose: delete them first`);
  const tmp = partialPath(path);
  try {
    await convertImage(path, tmp, { ...o, fromFormat: format, toFormat: format });
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  const after = await imageInfo(path, { format, qemuImg: o.qemuImg });
  return { before: info.actualSize, after: after.actualSize };
}
