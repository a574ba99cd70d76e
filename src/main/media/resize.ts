// Downscaling for thumbnails. A box filter (each output pixel is the mean of the source pixels
// it covers) keeps text and thin lines visible as grey instead of dropping them, which is
// what nearest-neighbour would do at the 4–8× reductions a library thumbnail needs.

import { checkRgbImage, type RgbImage } from './rgb';

/**
 * The largest size with the image's aspect ratio that fits within maxWidth×maxHeight, never
 * larger than the image itself and never smaller than 1×1.
 */
export function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  if (!(maxWidth >= 1 && maxHeight >= 1)) throw new RangeError(`box must be at least 1×1, got ${maxWidth}×${maxHeight}`);
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return {
    width: Math.max(1, Math.min(Math.floor(maxWidth), Math.round(width * scale))),
    height: Math.max(1, Math.min(Math.floor(maxHeight), Math.round(height * scale))),
  };
}

/** Box-filter downscale to fit within maxWidth×maxHeight; returns `img` itself if it already fits. */
export function downscaleToFit(img: RgbImage, maxWidth: number, maxHeight: number): RgbImage {
  checkRgbImage(img);
  const { width: dw, height: dh } = fitWithin(img.width, img.height, maxWidth, maxHeight);
  if (dw === img.width && dh === img.height) return img;
  const xs = spans(img.width, dw);
  const ys = spans(img.height, dh);
  const out = new Uint8Array(dw * dh * 3);
  const sums = new Uint32Array(dw * 3);
  const stride = img.width * 3;
  for (let dy = 0; dy < dh; dy++) {
    sums.fill(0);
    const y0 = ys[dy]!;
    const y1 = ys[dy + 1]!;
    for (let sy = y0; sy < y1; sy++) {
      const row = sy * stride;
      for (let dx = 0; dx < dw; dx++) {
        let r = 0, g = 0, b = 0;
        for (let sx = xs[dx]!, end = xs[dx + 1]!; sx < end; sx++) {
          const p = row + sx * 3;
          r += img.data[p]!;
          g += img.data[p + 1]!;
          b += img.data[p + 2]!;
        }
        sums[dx * 3]! += r;
        sums[dx * 3 + 1]! += g;
        sums[dx * 3 + 2]! += b;
      }
    }
    for (let dx = 0; dx < dw; dx++) {
      const n = (xs[dx + 1]! - xs[dx]!) * (y1 - y0);
      const o = (dy * dw + dx) * 3;
      out[o] = Math.round(sums[dx * 3]! / n);
      out[o + 1] = Math.round(sums[dx * 3 + 1]! / n);
      out[o + 2] = Math.round(sums[dx * 3 + 2]! / n);
    }
  }
  return { width: dw, height: dh, data: out };
}

/**
 * Boundaries of the `to` source ranges, `to + 1` entries. Every range is non-empty because
 * to <= from; with a non-integer ratio the ranges differ by one pixel, which a thumbnail
 * cannot show.
 */
function spans(from: number, to: number): Uint32Array {
  const s = new Uint32Array(to + 1);
  for (let i = 0; i <= to; i++) s[i] = Math.floor((i * from) / to);
  return s;
}
