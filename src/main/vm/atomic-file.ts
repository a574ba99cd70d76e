// Writes that never leave a half-written file: temp file in the same directory, fsync, rename
// over the target, fsync the directory so the rename itself survives a power cut.
//
// Files in a guest's runtime folder (XDG_RUNTIME_DIR: a tmpfs on a desktop, emptied at logout)
// describe processes a power cut ends too, so they are written `durable: false`: temp file and
// rename, whole whatever happens to this process, without the two syncs (a few ms each on a
// disk, on the path of every start).
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readBoundedText } from '../host/bounded-read';

export interface AtomicWriteOptions {
  /** false: no fsync of the file or its folder (runtime files, above). Default true. */
  durable?: boolean;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, o: AtomicWriteOptions = {}): Promise<void> {
  const durable = o.durable !== false;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  if (!durable) return;
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** A small JSON state file (records, saved-state descriptions), written atomically. */
export async function writeJsonAtomic(path: string, value: unknown, o: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2), 0o600, o);
}

/**
 * Reads a JSON state file of at most `maxBytes`; a missing, unreadable, oversized or
 * non-regular one is `null` (there is no such state).
 */
export async function readJsonOrNull<T>(path: string, maxBytes = 4 * 2 ** 20): Promise<T | null> {
  try {
    return JSON.parse(await readBoundedText(path, maxBytes)) as T;
  } catch {
    return null;
  }
}
