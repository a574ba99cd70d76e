import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/main/media/crc32';
import { encodePng, readPngHeader } from '../../../src/main/media/png';
import type { RgbImage } from '../../../src/main/media/rgb';
import { bitwiseCrc32, decodePng } from './png-check';

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 3);
  return { width, height, data };
}

// A deterministic generator so a failure reproduces.
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
}

describe('crc32', () => {
  it('matches the check value and the bitwise reference', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(data)).toBe(bitwiseCrc32(data));
    expect(crc32(data.subarray(400), crc32(data.subarray(0, 400)))).toBe(crc32(data));
  });
});

describe('encodePng', () => {
  const rnd = noise(42);
  const cases: Record<string, RgbImage> = {
    '1×1': image(1, 1, () => [10, 200, 30]),
    'flat': image(64, 48, () => [0, 0, 170]),
    'gradient': image(97, 31, (x, y) => [x * 2, y * 8, (x + y) & 0xff]),
    'noise': image(33, 17, () => [rnd(), rnd(), rnd()]),
    'text-like': image(80, 25, (x, y) => ((x ^ y) % 7 === 0 ? [170, 170, 170] : [0, 0, 0])),
  };

  for (const [name, img] of Object.entries(cases)) {
    it(`round-trips ${name} through an independent decoder`, () => {
      const png = encodePng(img);
      const d = decodePng(png);
      expect(d.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect({ w: d.width, h: d.height, depth: d.bitDepth, type: d.colorType, interlace: d.interlace }).toEqual({
        w: img.width, h: img.height, depth: 8, type: 2, interlace: 0,
      });
      expect(d.filtered.length).toBe((img.width * 3 + 1) * img.height);
      expect(d.rgb.equals(Buffer.from(img.data))).toBe(true);
      expect(readPngHeader(png)).toEqual({ width: img.width, height: img.height, bitDepth: 8, colorType: 2 });
    });
  }

  it('uses more than one filter type where rows differ', () => {
    const img = image(64, 64, (x, y) => (y < 32 ? [x * 4, x * 4, x * 4] : [rnd(), rnd(), rnd()]));
    const d = decodePng(encodePng(img));
    const filters = new Set(Array.from({ length: 64 }, (_, y) => d.filtered[y * (64 * 3 + 1)]));
    expect(filters.size).toBeGreaterThan(1);
    expect(d.rgb.equals(Buffer.from(img.data))).toBe(true);
  });

  it('compresses a flat screen to almost nothing', () => {
    expect(encodePng(image(1024, 768, () => [0, 0, 0])).length).toBeLessThan(5000);
  });

  it('rejects data of the wrong length', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(11) })).toThrow(/must be 12 bytes/);
    expect(() => encodePng({ width: 0, height: 2, data: new Uint8Array(0) })).toThrow(/positive/);
  });
});

describe('readPngHeader', () => {
  it('rejects what is not a PNG, or a damaged IHDR', () => {
    expect(() => readPngHeader(Buffer.from('P6\n1 1\n255\nabc'.padEnd(40)))).toThrow(/signature/);
    const png = encodePng(image(3, 2, () => [1, 2, 3]));
    png[17] = png[17]! ^ 1;
    expect(() => readPngHeader(png)).toThrow(/CRC/);
  });
});
