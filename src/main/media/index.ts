export { crc32 } from './crc32';
export { encodePng, readPngHeader, PNG_SIGNATURE } from './png';
export type { PngEncodeOptions, PngHeader } from './png';
export { parsePpm, PpmError } from './ppm';
export { downscaleToFit, fitWithin } from './resize';
export { checkRgbImage } from './rgb';
export type { RgbImage } from './rgb';
