// New images: qcow2 laid out as docs/decisions.md says ("Disk images"), NOCOW on btrfs, never
// over an existing file, and whole or not at all (made under a temporary name, then renamed).
import { randomBytes } from 'node:crypto';
import { access, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createArgs, defaultLayout, type GuestFormat } from '../qemu/qemu-img';
import { isBtrfs } from './nocow';
import { ImageError, runQemuImg } from './run';

export interface CreateImageOptions {
  format: GuestFormat;
  /** Bytes; an overlay without one takes its base's size. */
  size?: number;
  /** Copy-on-write over `file`, written into the overlay as given (relative to its folder, or absolute). */
  backing?: { file: string; format: GuestFormat };
  qemuImg?: string;
}

export interface CreatedImage {
  path: string;
  /** NOCOW was set (the folder is on btrfs). */
  nocow: boolean;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** A name beside `path` for work in progress: same folder (a rename is atomic), hidden, unique. */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(3).toString('hex')}.partial`);
}

export async function createImage(path: string, o: CreateImageOptions): Promise<CreatedImage> {
  if (await exists(path)) throw new ImageError(`${path} already exists: Guestbay never writes a new image over one`);
  const nocow = await isBtrfs(dirname(path));
  const tmp = partialPath(path);
  try {
    await runQemuImg(createArgs({ path: tmp, format: o.format, size: o.size, backing: o.backing, layout: o.format === 'qcow2' || nocow ? defaultLayout({ overlay: Boolean(o.backing), nocow }) : undefined }), {
      qemuImg: o.qemuImg,
      what: `creating ${basename(path)}`,
    });
    if (await exists(path)) throw new ImageError(`${path} appeared while it was being created: left as it was`);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return { path, nocow };
}
