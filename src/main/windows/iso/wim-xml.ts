// The XML metadata of a WIM (install.wim) or ESD (install.esd, the same container with LZMS):
// the header (wimlib's wim_header_disk: magic "MSWIM\0\0\0", then at byte 72 the XML data's
// resource header: 7-byte stored size, 1 flag byte, 8-byte offset, 8-byte original size) points
// at an uncompressed UTF-16LE document listing each image's NAME and WINDOWS/EDITIONID, VERSION.
// Read straight from where the file sits inside the ISO, so a 5 GiB image is never extracted.
import { DOMParser } from '@xmldom/xmldom';

export interface WimImage {
  index: number;
  name: string;
  editionId: string | null;
  major: number | null;
  build: number | null;
  /** ARCH 9 = x64, 12 = arm64, 0 = x86. */
  arch: number | null;
}

export class WimError extends Error {
  override name = 'WimError';
}

export const WIM_MAGIC = Buffer.from('MSWIM\0\0\0', 'latin1');
const XML_RESHDR = 72;
/** Microsoft's XML for a dozen editions is ~30 KB; anything far bigger is not a WIM's. */
const MAX_XML = 4 * 2 ** 20;

/** Where the XML is, from the first 208 bytes (the header) of the WIM. */
export function xmlResource(header: Buffer): { offset: number; size: number } {
  if (header.length < 96 || !header.subarray(0, 8).equals(WIM_MAGIC)) throw new WimError('not a WIM file (no MSWIM header)');
  const size = header.readUIntLE(XML_RESHDR, 6) + header[XML_RESHDR + 6]! * 2 ** 48;
  const offset = Number(header.readBigUInt64LE(XML_RESHDR + 8));
  if (size === 0 || size > MAX_XML) throw new WimError(`the WIM's XML metadata has an implausible size (${size} bytes)`);
  return { offset, size };
}

export function parseWimXml(raw: Buffer): WimImage[] {
  // UTF-16LE with a byte order mark.
  const text = raw.toString('utf16le').replace(/^\uFEFF/, '');
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) } }).parseFromString(text, 'text/xml');
  const root = doc?.documentElement;
  if (errors.length || !root || root.tagName !== 'WIM') throw new WimError('the WIM\'s XML metadata is not readable');
  const child = (e: { childNodes: ArrayLike<unknown> } | undefined, tag: string) =>
    e ? (Array.from(e.childNodes as ArrayLike<{ nodeName: string; textContent: string | null; childNodes: ArrayLike<unknown>; getAttribute?: (n: string) => string | null }>).find((n) => n.nodeName === tag)) : undefined;
  const num = (s: string | null | undefined) => (s && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null);
  const out: WimImage[] = [];
  for (const img of Array.from(root.getElementsByTagName('IMAGE'))) {
    const win = child(img, 'WINDOWS');
    const ver = child(win, 'VERSION');
    out.push({
      index: Number(img.getAttribute('INDEX')),
      name: child(img, 'NAME')?.textContent?.trim() ?? child(img, 'DISPLAYNAME')?.textContent?.trim() ?? '',
      editionId: child(win, 'EDITIONID')?.textContent?.trim() || null,
      major: num(child(ver, 'MAJOR')?.textContent),
      build: num(child(ver, 'BUILD')?.textContent),
      arch: num(child(win, 'ARCH')?.textContent),
    });
  }
  return out;
}

/** Windows 11 is NT 10.0 from build 22000 on; Windows 10 is 10.0 builds 10240–19045. */
export function windowsVersionOf(img: WimImage): '10' | '11' | null {
  if (img.major !== null && img.major !== 10) return null;
  if (img.build === null) return /Windows 11/.test(img.name) ? '11' : /Windows 10/.test(img.name) ? '10' : null;
  if (img.build >= 22000) return '11';
  if (img.build >= 10240) return '10';
  return null;
}
