// Binary PPM (P6), the format QEMU's screendump writes when asked for no other: a short text
// header, then raw RGB. Netpbm allows '#' comments anywhere in the header, so they are skipped.

import { checkRgbImage, type RgbImage } from './rgb';

// No screen comes near this; it bounds what a corrupt header can make us allocate.
const MAX_SIDE = 32_768;

export class PpmError extends Error {
  override name = 'PpmError';
}

/** Parses one P6 image with maxval 255. The pixels are a view into `buf`, not a copy. */
export function parsePpm(buf: Uint8Array): RgbImage {
  if (buf[0] !== 0x50 /* P */ || buf[1] !== 0x36 /* 6 */) throw new PpmError('not a binary PPM (no P6 magic)');
  let pos = 2;

  const skipSpaceAndComments = (): void => {
    for (;;) {
      const c = buf[pos];
      if (c === undefined) return;
      if (c === 0x23 /* # */) {
        while (pos < buf.length && buf[pos] !== 0x0a && buf[pos] !== 0x0d) pos++;
      } else if (isSpace(c)) {
        pos++;
      } else {
        return;
      }
    }
  };

  const readNumber = (what: string): number => {
    const before = pos;
    // The magic must be followed by whitespace; "P612 ..." is not a PPM header.
    skipSpaceAndComments();
    if (pos === before) throw new PpmError(`PPM header: expected whitespace before ${what}`);
    let value = 0;
    const start = pos;
    for (let c = buf[pos]; c !== undefined && c >= 0x30 && c <= 0x39; c = buf[++pos]) {
      value = value * 10 + (c - 0x30);
      if (value > MAX_SIDE * 3) throw new PpmError(`PPM header: ${what} too large`);
    }
    if (pos === start) throw new PpmError(`PPM header: expected ${what}, got ${describe(buf[pos])}`);
    return value;
  };

  const width = readNumber('width');
  const height = readNumber('height');
  const maxval = readNumber('maxval');
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new PpmError(`PPM size ${width}×${height} out of range`);
  }
  if (maxval !== 255) throw new PpmError(`PPM maxval ${maxval} not supported (only 255)`);
  // Exactly one whitespace byte separates the header from the pixels, which may start with
  // bytes that look like whitespace or '#'.
  const sep = buf[pos];
  if (sep === undefined || !isSpace(sep)) throw new PpmError(`PPM header: expected whitespace after maxval, got ${describe(sep)}`);
  pos++;

  const size = width * height * 3;
  if (buf.length - pos < size) {
    throw new PpmError(`PPM truncated: ${width}×${height} needs ${size} bytes of pixels, has ${buf.length - pos}`);
  }
  // Trailing bytes are allowed: P6 files may hold several images, we want the first.
  const img = { width, height, data: buf.subarray(pos, pos + size) };
  checkRgbImage(img);
  return img;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d;
}

function describe(c: number | undefined): string {
  return c === undefined ? 'end of data' : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
