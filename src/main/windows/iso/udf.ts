// Where a file lies in a UDF image, read from the image without root and without extracting
// anything: Microsoft's newer Windows ISOs keep sources/install.wim (or .esd) in UDF only (their
// ISO 9660 tree, made by oscdimg -u2, holds just a README), so xorriso cannot point at it. This
// walks ECMA-167 as UDF 1.02–2.01 lays it out (what oscdimg and genisoimage write): the anchor at
// sector 256, the volume descriptors, the partition, the file set, then the directories down the
// path, and returns the file's extents as absolute byte ranges of the image. Not handled (said,
// not guessed): UDF 2.50's metadata partition and virtual/sparable partitions.
import type { FileHandle } from 'node:fs/promises';

const SECTOR = 2048;

export class UdfError extends Error {
  override name = 'UdfError';
}

export interface UdfExtent {
  /** Sector of the image where this piece starts (2048-byte sectors). */
  lba: number;
  bytes: number;
}

interface Volume {
  partitionStart: number;
  blockSize: number;
  label: string;
  rootIcb: number;
}

async function sector(fh: FileHandle, n: number, count = 1): Promise<Buffer> {
  const b = Buffer.alloc(SECTOR * count);
  const { bytesRead } = await fh.read(b, 0, b.length, n * SECTOR);
  if (bytesRead < b.length) throw new UdfError(`the image ends at sector ${n} (a partial download?)`);
  return b;
}

const tagId = (b: Buffer, at = 0) => b.readUInt16LE(at);

/** An OSTA compressed unicode d-string / file identifier: 8 = one byte per character, 16 = UTF-16BE. */
export function dchars(b: Buffer): string {
  if (!b.length) return '';
  const id = b[0];
  if (id === 8) return b.subarray(1).toString('latin1');
  if (id === 16) {
    const s = b.subarray(1);
    let out = '';
    for (let i = 0; i + 1 < s.length; i += 2) out += String.fromCharCode(s.readUInt16BE(i));
    return out;
  }
  return '';
}

async function readVolume(fh: FileHandle): Promise<Volume> {
  const avdp = await sector(fh, 256);
  if (tagId(avdp) !== 2) throw new UdfError('no UDF anchor at sector 256 (not a UDF image)');
  const vdsLength = avdp.readUInt32LE(16);
  const vdsAt = avdp.readUInt32LE(20);
  const count = Math.min(64, Math.ceil(vdsLength / SECTOR));
  let partition: { number: number; start: number } | undefined;
  let lvd: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const d = await sector(fh, vdsAt + i);
    const id = tagId(d);
    if (id === 5) partition = { number: d.readUInt16LE(22), start: d.readUInt32LE(188) };
    else if (id === 6) lvd = d;
    else if (id === 8) break;
  }
  if (!partition || !lvd) throw new UdfError('the UDF volume has no partition or logical volume descriptor');
  const blockSize = lvd.readUInt32LE(212);
  if (blockSize !== SECTOR) throw new UdfError(`a UDF block size of ${blockSize} bytes (only 2048, as on DVDs, is read)`);
  const maps = lvd.readUInt32LE(268);
  const map = lvd.subarray(440);
  if (maps !== 1 || map[0] !== 1) throw new UdfError('a UDF volume with a metadata, virtual or sparable partition (UDF 2.50 and later is not read)');
  const fsdBlock = lvd.readUInt32LE(252);
  const fsd = await sector(fh, partition.start + fsdBlock);
  if (tagId(fsd) !== 256) throw new UdfError('the UDF file set descriptor is not where the volume says');
  // dstring[128]: the last byte says how many of the others are used.
  const used = lvd[84 + 127]!;
  const label = used ? dchars(lvd.subarray(84, 84 + Math.min(127, used))).replace(/\0+$/, '') : '';
  return { partitionStart: partition.start, blockSize, label, rootIcb: fsd.readUInt32LE(404) };
}

interface Entry {
  isDir: boolean;
  length: number;
  extents: UdfExtent[];
  /** Data kept inside the entry itself (allocation type 3). */
  embedded?: Buffer;
}

async function readEntry(fh: FileHandle, v: Volume, block: number): Promise<Entry> {
  const fe = await sector(fh, v.partitionStart + block);
  const id = tagId(fe);
  if (id !== 261 && id !== 266) throw new UdfError(`no UDF file entry at block ${block}`);
  const fileType = fe[27]!;
  const adType = fe.readUInt16LE(34) & 7;
  const length = Number(fe.readBigUInt64LE(56));
  const [lEa, lAd, base] = id === 261 ? [fe.readUInt32LE(168), fe.readUInt32LE(172), 176] : [fe.readUInt32LE(208), fe.readUInt32LE(212), 216];
  const ads = fe.subarray(base + lEa, base + lEa + lAd);
  if (adType === 3) return { isDir: fileType === 4, length, extents: [], embedded: Buffer.from(ads.subarray(0, length)) };
  const size = adType === 0 ? 8 : adType === 1 ? 16 : 0;
  if (!size) throw new UdfError('extended allocation descriptors are not read');
  const extents: UdfExtent[] = [];
  for (let at = 0; at + size <= ads.length; at += size) {
    const raw = ads.readUInt32LE(at);
    const bytes = raw & 0x3fffffff;
    if (!bytes) break;
    // Type 3: the rest continues in another descriptor area (very fragmented files): not read.
    if (raw >>> 30 === 3) throw new UdfError('a UDF file whose extents continue elsewhere is not read');
    extents.push({ lba: v.partitionStart + ads.readUInt32LE(at + 4), bytes });
  }
  return { isDir: fileType === 4, length, extents };
}

async function content(fh: FileHandle, e: Entry, max = 4 * 2 ** 20): Promise<Buffer> {
  if (e.embedded) return e.embedded;
  if (e.length > max) throw new UdfError('a UDF directory too large to read');
  const out = Buffer.alloc(e.length);
  let filled = 0;
  for (const x of e.extents) {
    const take = Math.min(x.bytes, e.length - filled);
    if (take <= 0) break;
    await fh.read(out, filled, take, x.lba * SECTOR);
    filled += take;
  }
  return out;
}

/** The names in a directory and their file entries' blocks (File Identifier Descriptors). */
function listDir(data: Buffer): { name: string; block: number; isDir: boolean }[] {
  const out: { name: string; block: number; isDir: boolean }[] = [];
  for (let at = 0; at + 38 <= data.length; ) {
    if (tagId(data, at) !== 257) break;
    const chars = data[at + 18]!;
    const lFi = data[at + 19]!;
    const block = data.readUInt32LE(at + 24);
    const lIu = data.readUInt16LE(at + 36);
    const name = dchars(data.subarray(at + 38 + lIu, at + 38 + lIu + lFi));
    // Skips the parent entry (bit 3) and deleted ones (bit 2).
    if (!(chars & 0x08) && !(chars & 0x04)) out.push({ name, block, isDir: (chars & 0x02) !== 0 });
    at += (38 + lIu + lFi + 3) & ~3;
  }
  return out;
}

export interface UdfFile {
  path: string;
  bytes: number;
  extents: UdfExtent[];
}

/** The volume's label and where each wanted path (case-insensitive, `/`-separated) lies; missing ones are left out. */
export async function locateInUdf(fh: FileHandle, paths: string[]): Promise<{ label: string; files: UdfFile[] }> {
  const v = await readVolume(fh);
  const files: UdfFile[] = [];
  for (const path of paths) {
    let entry = await readEntry(fh, v, v.rootIcb);
    let found = true;
    for (const part of path.split('/').filter(Boolean)) {
      if (!entry.isDir) {
        found = false;
        break;
      }
      const hit = listDir(await content(fh, entry)).find((x) => x.name.toLowerCase() === part.toLowerCase());
      if (!hit) {
        found = false;
        break;
      }
      entry = await readEntry(fh, v, hit.block);
    }
    if (found && !entry.isDir && !entry.embedded) files.push({ path, bytes: entry.length, extents: entry.extents });
  }
  return { label: v.label, files };
}
