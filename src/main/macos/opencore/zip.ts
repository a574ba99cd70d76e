// Just enough of a ZIP reader to take files out of OpenCorePkg's release zip (PKWARE APPNOTE
// 6.3: end of central directory → central directory → local header → data). The release is
// made by Info-ZIP's `zip -r` (build_oc.tool), which writes stored and deflated entries, no
// encryption and, at ~10 MB, no ZIP64. Anything else is refused by name rather than guessed at.
// The whole file is read into memory: the release is small, and it keeps every bound check a
// plain comparison against one buffer.
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { crc32 } from '../../media/crc32';

export class ZipError extends Error {
  override name = 'ZipError';
}

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate; anything else is refused when read. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  isDirectory: boolean;
}

const EOCD_SIG = 0x06054b50;
const EOCD_LEN = 22;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CDIR_SIG = 0x02014b50;
const CDIR_LEN = 46;
const LOCAL_SIG = 0x04034b50;
const LOCAL_LEN = 30;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** Compression method 99 is WinZip AES: encrypted even when flag bit 0 looks clear. */
const METHOD_AES = 99;

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(
    private readonly buf: Buffer,
    readonly entries: readonly ZipEntry[],
    private readonly label: string,
  ) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  static async open(path: string): Promise<ZipArchive> {
    return ZipArchive.fromBuffer(await readFile(path), path);
  }

  static fromBuffer(buf: Buffer, label = 'the zip file'): ZipArchive {
    return new ZipArchive(buf, readCentralDirectory(buf, label), label);
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** The bytes of one file, CRC-checked. */
  read(nameOrEntry: string | ZipEntry): Buffer {
    const e = typeof nameOrEntry === 'string' ? this.byName.get(nameOrEntry) : nameOrEntry;
    if (!e) throw new ZipError(`${this.label} has no "${String(nameOrEntry)}"`);
    const where = `"${e.name}" in ${this.label}`;
    if (e.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) || e.method === METHOD_AES) {
      throw new ZipError(`${where} is encrypted; the OpenCore release never is, so this is not it`);
    }
    if (e.method !== METHOD_STORED && e.method !== METHOD_DEFLATE) {
      throw new ZipError(`${where} uses compression method ${e.method}; only stored (0) and deflate (8) are supported`);
    }
    const b = this.buf;
    const at = e.localHeaderOffset;
    if (at + LOCAL_LEN > b.length || b.readUInt32LE(at) !== LOCAL_SIG) {
      throw new ZipError(`${where}: no local file header at offset ${at}`);
    }
    // The local header's own name/extra lengths, not the central directory's: Info-ZIP writes
    // different extra fields in the two places.
    const dataStart = at + LOCAL_LEN + b.readUInt16LE(at + 26) + b.readUInt16LE(at + 28);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > b.length) throw new ZipError(`${where} runs past the end of the file (truncated download?)`);
    const raw = b.subarray(dataStart, dataEnd);
    let out: Buffer;
    if (e.method === METHOD_STORED) {
      if (e.compressedSize !== e.size) throw new ZipError(`${where}: stored entry with different sizes`);
      out = raw;
    } else {
      try {
        // maxOutputLength: a corrupt or hostile entry cannot inflate past what it declares.
        out = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
      } catch (err) {
        throw new ZipError(`${where} does not inflate: ${(err as Error).message}`);
      }
    }
    if (out.length !== e.size) throw new ZipError(`${where} is ${out.length} bytes, the directory says ${e.size}`);
    const crc = crc32(out);
    if (crc !== e.crc32) {
      throw new ZipError(`${where} fails its CRC-32 check (${hex8(crc)}, expected ${hex8(e.crc32)})`);
    }
    return out;
  }
}

function readCentralDirectory(b: Buffer, label: string): ZipEntry[] {
  const eocd = findEocd(b, label);
  const disk = b.readUInt16LE(eocd + 4);
  const cdDisk = b.readUInt16LE(eocd + 6);
  const onDisk = b.readUInt16LE(eocd + 8);
  const total = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  // 0xFFFF / 0xFFFFFFFF are ZIP64 markers: the real values live in a record we do not read.
  const zip64 =
    total === 0xffff || onDisk === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff ||
    (eocd >= 20 && b.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIG);
  if (zip64) throw new ZipError(`${label} needs ZIP64 (over 4 GiB or 65535 entries), which this reader does not support`);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) throw new ZipError(`${label} is a multi-part (spanned) zip`);
  if (cdOffset + cdSize > eocd) throw new ZipError(`${label}: the central directory lies outside the file (truncated?)`);

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < total; i++) {
    if (p + CDIR_LEN > cdOffset + cdSize || b.readUInt32LE(p) !== CDIR_SIG) {
      throw new ZipError(`${label}: central directory entry ${i + 1} of ${total} is damaged`);
    }
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const next = p + CDIR_LEN + nameLen + extraLen + commentLen;
    if (next > cdOffset + cdSize) throw new ZipError(`${label}: central directory entry ${i + 1} runs past the directory`);
    const compressedSize = b.readUInt32LE(p + 20);
    const size = b.readUInt32LE(p + 24);
    const localHeaderOffset = b.readUInt32LE(p + 42);
    const name = b.toString('utf8', p + CDIR_LEN, p + CDIR_LEN + nameLen);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw new ZipError(`"${name}" in ${label} needs ZIP64, which this reader does not support`);
    }
    entries.push({
      name,
      flags: b.readUInt16LE(p + 8),
      method: b.readUInt16LE(p + 10),
      crc32: b.readUInt32LE(p + 16),
      compressedSize,
      size,
      localHeaderOffset,
      isDirectory: name.endsWith('/'),
    });
    p = next;
  }
  return entries;
}

/** The EOCD record sits at the end, after a comment of up to 65535 bytes: scan back for it. */
function findEocd(b: Buffer, label: string): number {
  if (b.length < EOCD_LEN) throw new ZipError(`${label} is too short to be a zip (${b.length} bytes)`);
  const stop = Math.max(0, b.length - EOCD_LEN - 0xffff);
  for (let i = b.length - EOCD_LEN; i >= stop; i--) {
    // The comment length must reach exactly to the end, or this is a stray signature in data.
    if (b.readUInt32LE(i) === EOCD_SIG && i + EOCD_LEN + b.readUInt16LE(i + 20) === b.length) return i;
  }
  throw new ZipError(`${label} is not a zip file (no end-of-central-directory record)`);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
