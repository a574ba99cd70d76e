// Every file Guestbay reads from a guest's folders is read with a bound: a config, a record or
// a log can be anything by the time it is read (200 MB, a FIFO that never answers, a device).
// The file is opened without blocking (a FIFO opens at once instead of waiting for a writer),
// the opened descriptor is checked (a regular file, no larger than the limit: what is checked is
// what is read), and no more than the limit is read even if it grows meanwhile. Logs are read
// from the end, backwards in blocks, so the last lines of a huge log cost a few blocks.
import { constants } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export class UnreadableFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: 'not-regular' | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function human(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(bytes >= 10 * 2 ** 20 ? 0 : 1)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/** Opens a regular file for reading, refusing anything else; the caller closes it. */
async function openRegular(path: string): Promise<{ fh: FileHandle; size: number; stat: BigIntStats }> {
  const fh = await open(path, FLAGS);
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) throw new UnreadableFileError(path, 'not-regular', `${path} is not a regular file`);
    return { fh, size: Number(st.size), stat: st };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** The whole file, if it is a regular file of at most `maxBytes`. */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  return (await readBoundedWithStat(path, maxBytes)).bytes;
}

/**
 * The whole file and the status of the very file read (taken on its descriptor before reading):
 * a caller that keeps what it made of the bytes can tell, from a later stat, that the file is
 * no longer that one (any write moves its mtime or ctime; an atomic replace, its inode).
 */
export async function readBoundedWithStat(path: string, maxBytes: number): Promise<{ bytes: Buffer; stat: BigIntStats }> {
  const { fh, size, stat } = await openRegular(path);
  try {
    if (size > maxBytes) throw new UnreadableFileError(path, 'too-large', `${path} is ${human(size)}, more than the ${human(maxBytes)} it may be`);
    // Sized from the file (plus room to notice it grew), not from the limit: a listing reads
    // hundreds of configs of a few KiB each, and a zero-filled MiB apiece was most of its time
    // (allocating and collecting 200 MiB per `guests.list`). Grown, up to the limit, if the
    // file grows while it is read.
    let buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, size + 4096));
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > maxBytes) throw new UnreadableFileError(path, 'too-large', `${path} grew past the ${human(maxBytes)} it may be while it was read`);
    }
    return { bytes: buf.subarray(0, got), stat };
  } finally {
    await fh.close();
  }
}

export async function readBoundedText(path: string, maxBytes: number): Promise<string> {
  return (await readBounded(path, maxBytes)).toString('utf8');
}

const BLOCK = 64 * 1024;

/**
 * The last `lines` lines of a log, read backwards from its end in blocks, never more than
 * `maxBytes` (a log without line breaks gives its last `maxBytes`). '' for a missing file;
 * refuses what is not a regular file.
 */
export async function tailLines(path: string, lines: number, { maxBytes = 4 * 2 ** 20 } = {}): Promise<string> {
  let opened;
  try {
    opened = await openRegular(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
  const { fh, size } = opened;
  try {
    const chunks: Buffer[] = [];
    let pos = size;
    let newlines = 0;
    let read = 0;
    // One more line break than lines wanted: the text after it is whole lines. A final line
    // break ends the last line and does not count.
    while (pos > 0 && read < maxBytes && newlines <= lines) {
      const len = Math.min(BLOCK, pos, maxBytes - read);
      pos -= len;
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      const part = buf.subarray(0, bytesRead);
      chunks.unshift(part);
      read += bytesRead;
      for (const b of part) if (b === 0x0a) newlines++;
    }
    const text = Buffer.concat(chunks).toString('utf8').trimEnd();
    if (lines <= 0) return '';
    const all = text.split('\n');
    return all.slice(-lines).join('\n');
  } finally {
    await fh.close();
  }
}
