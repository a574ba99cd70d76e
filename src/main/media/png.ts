// PNG encoding of RGB8 images (and reading a PNG's header, to learn the size of a file QEMU
// wrote). Truecolour, 8 bits, no interlace: what every viewer and <img> reads.

import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32';
import { checkRgbImage, type RgbImage } from './rgb';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const COLOR_TYPE_RGB = 2;

export interface PngEncodeOptions {
  /** zlib level 0–9; default 6, zlib's own balance of size and time. */
  level?: number;
}

export function encodePng(img: RgbImage, options: PngEncodeOptions = {}): Buffer {
  checkRgbImage(img);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE_RGB;
  // [10..12]: compression 0 (deflate), filter method 0 (adaptive), interlace 0 (none).
  const idat = deflateSync(filterScanlines(img), { level: options.level ?? 6 });
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

/** Reads the signature and IHDR (checking its CRC) from the first 33 bytes of a PNG. */
export function readPngHeader(buf: Uint8Array): PngHeader {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 33 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG does not start with IHDR');
  if (crc32(b.subarray(12, 29)) !== b.readUInt32BE(29)) throw new Error('PNG IHDR CRC mismatch');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bitDepth: b[24]!, colorType: b[25]! };
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Prefixes each row with a filter byte and filters it. The filter per row is libpng's
 * heuristic (smallest sum of the residuals read as signed bytes): on screen contents —
 * flat areas, gradients, text — it deflates several times smaller than no filtering.
 */
function filterScanlines(img: RgbImage): Buffer {
  const stride = img.width * 3;
  const src = img.data;
  const out = Buffer.alloc((stride + 1) * img.height);
  const candidates = [0, 1, 2, 3, 4].map(() => Buffer.alloc(stride));
  const zeroRow = new Uint8Array(stride);
  for (let y = 0; y < img.height; y++) {
    const row = src.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? src.subarray((y - 1) * stride, y * stride) : zeroRow;
    let best = 0;
    let bestScore = Infinity;
    for (let f = 0; f < 5; f++) {
      const score = applyFilter(f, row, prev, candidates[f]!);
      if (score < bestScore) {
        best = f;
        bestScore = score;
      }
    }
    const at = y * (stride + 1);
    out[at] = best;
    out.set(candidates[best]!, at + 1);
  }
  return out;
}

/** Writes filter `f` of `row` into `dst`; returns the heuristic score. */
function applyFilter(f: number, row: Uint8Array, prev: Uint8Array, dst: Uint8Array): number {
  let score = 0;
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    const a = i >= 3 ? row[i - 3]! : 0;
    const b = prev[i]!;
    const c = i >= 3 ? prev[i - 3]! : 0;
    let predictor: number;
    switch (f) {
      case 0: predictor = 0; break;
      case 1: predictor = a; break;
      case 2: predictor = b; break;
      case 3: predictor = (a + b) >>> 1; break;
      default: predictor = paeth(a, b, c);
    }
    const v = (x - predictor) & 0xff;
    dst[i] = v;
    score += v < 128 ? v : 256 - v;
  }
  return score;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
