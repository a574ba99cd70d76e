import { describe, expect, it } from 'vitest';
import { downscaleToFit, fitWithin } from '../../../src/main/media/resize';

describe('fitWithin', () => {
  it.each([
    [1024, 768, 320, 240, 320, 240],
    [1024, 768, 200, 200, 200, 150],
    [720, 400, 256, 256, 256, 142],
    [400, 720, 256, 256, 142, 256],
    [640, 480, 1000, 1000, 640, 480], // never upscales
    [5000, 1, 100, 100, 100, 1], // never below 1 pixel
  ])('%d×%d in %d×%d → %d×%d', (w, h, mw, mh, ew, eh) => {
    expect(fitWithin(w, h, mw, mh)).toEqual({ width: ew, height: eh });
  });

  it('rejects an empty box', () => {
    expect(() => fitWithin(10, 10, 0, 10)).toThrow(/at least 1×1/);
  });
});

describe('downscaleToFit', () => {
  it('averages each 2×2 block when halving', () => {
    // 4×2: left block red/black checker, right block all white.
    const d = [255, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255];
    const out = downscaleToFit({ width: 4, height: 2, data: Uint8Array.from(d) }, 2, 1);
    expect(out.width).toBe(2);
    expect(out.height).toBe(1);
    expect([...out.data]).toEqual([128, 0, 0, 255, 255, 255]);
  });

  it('keeps a flat colour exactly at a non-integer ratio', () => {
    const img = { width: 720, height: 400, data: new Uint8Array(720 * 400 * 3) };
    for (let i = 0; i < img.data.length; i += 3) img.data.set([12, 34, 56], i);
    const out = downscaleToFit(img, 256, 256);
    expect([out.width, out.height]).toEqual([256, 142]);
    expect(out.data.length).toBe(256 * 142 * 3);
    const colours = new Set<string>();
    for (let i = 0; i < out.data.length; i += 3) colours.add(`${out.data[i]},${out.data[i + 1]},${out.data[i + 2]}`);
    expect([...colours]).toEqual(['12,34,56']);
  });

  it('turns one-pixel lines into grey instead of dropping them', () => {
    const img = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) };
    for (let x = 0; x < 8; x++) img.data.set([255, 255, 255], (3 * 8 + x) * 3); // row 3 white
    const out = downscaleToFit(img, 2, 2);
    expect(out.data[0]).toBe(64); // 4 of 16 pixels in the top-left block are white
  });

  it('returns the image itself when it already fits', () => {
    const img = { width: 3, height: 3, data: new Uint8Array(27) };
    expect(downscaleToFit(img, 3, 10)).toBe(img);
  });
});
