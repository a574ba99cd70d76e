// An independent PNG reader for tests: its own bitwise CRC (not the encoder's table), chunk
// walk, inflate and unfiltering. Truecolour 8-bit non-interlaced only, which is all we write.

import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  chunkTypes: string[];
  /** The IDAT stream inflated: a filter byte and the filtered bytes per row. */
  filtered: Buffer;
  rgb: Buffer;
}

export function bitwiseCrc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function decodePng(png: Buffer): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => png[i] === b)) throw new Error('bad signature');
  let pos = 8;
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    const crc = png.readUInt32BE(pos + 8 + len);
    if (bitwiseCrc32(png.subarray(pos + 4, pos + 8 + len)) !== crc) throw new Error(`CRC mismatch in ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  if (pos !== png.length) throw new Error('trailing bytes after the last chunk');
  if (!ihdr) throw new Error('no IHDR');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = [ihdr[8]!, ihdr[9]!, ihdr[10]!, ihdr[11]!, ihdr[12]!];
  const filtered = inflateSync(Buffer.concat(idat));
  const rgb = colorType === 2 && bitDepth === 8 && interlace === 0 ? unfilter(filtered, width, height) : Buffer.alloc(0);
  return { width, height, bitDepth, colorType, interlace, chunkTypes, filtered, rgb };
}

function unfilter(filtered: Buffer, width: number, height: number): Buffer {
  const stride = width * 3;
  if (filtered.length !== (stride + 1) * height) throw new Error(`IDAT inflates to ${filtered.length} bytes, want ${(stride + 1) * height}`);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = filtered[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = filtered[y * (stride + 1) + 1 + i]!;
      const a = i >= 3 ? out[y * stride + i - 3]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= 3 && y > 0 ? out[(y - 1) * stride + i - 3]! : 0;
      let pred: number;
      if (f === 0) pred = 0;
      else if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = Math.floor((a + b) / 2);
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter type ${f} on row ${y}`);
      out[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return out;
}
