/** 8-bit RGB pixels, row-major, no padding between rows: data.length === width * height * 3. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function checkRgbImage(img: RgbImage): void {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(`RGB data for ${width}×${height} must be ${width * height * 3} bytes, got ${data.length}`);
  }
}
