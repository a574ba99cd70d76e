// Which Windows an ISO holds, from the ISO itself and without root: its volume label (the
// primary volume descriptor, sector 16) and the XML metadata of sources/install.wim (or .esd).
// xorriso reports where that file's extents lie in the image (`-find … -exec report_lba`), and
// the WIM header and XML are read at those offsets (wim-xml.ts): nothing is extracted or
// mounted. Chosen over 7z (which would stream the whole 5 GiB image to reach the XML at its end)
// and over wiminfo (which needs the file extracted first).
// Microsoft's newer ISOs keep the files in UDF only (their ISO 9660 tree holds a README): then
// the install image is found by walking the UDF structures in place (udf.ts), still without
// extracting anything. Only when neither tree has it is the label all there is.
import { open } from 'node:fs/promises';
import { execa } from 'execa';
import { parseWimXml, WimError, windowsVersionOf, xmlResource, type WimImage } from './wim-xml';
import { locateInUdf, UdfError } from './udf';

const SECTOR = 2048;

export class IsoError extends Error {
  override name = 'IsoError';
}

export const XORRISO_MISSING =
  'xorriso is not installed: Guestbay reads a Windows ISO\'s editions with it, without mounting. ' +
  'Install it (Debian/Ubuntu: sudo apt install xorriso; Fedora: sudo dnf install xorriso; Arch: sudo pacman -S libisoburn) and try again.';

export interface WindowsIsoInfo {
  label: string;
  /** From the install image's XML when it could be read, else from the label; null: not a Windows 10/11 ISO we can tell. */
  version: '10' | '11' | null;
  images: WimImage[];
  /** Where the editions came from. */
  source: 'install.wim' | 'install.esd' | 'label';
  /** Which file system the install image was found in. */
  filesystem?: 'iso9660' | 'udf';
  /** Why the editions could not be read, when they could not. */
  note?: string;
}

interface Extent {
  lba: number;
  bytes: number;
}

/** The ISO 9660 volume label (32 bytes at offset 40 of the primary volume descriptor). */
export async function readVolumeLabel(iso: string): Promise<string> {
  const fh = await open(iso, 'r');
  try {
    const pvd = Buffer.alloc(SECTOR);
    const { bytesRead } = await fh.read(pvd, 0, SECTOR, 16 * SECTOR);
    if (bytesRead < SECTOR || pvd[0] !== 1 || pvd.toString('latin1', 1, 6) !== 'CD001') throw new IsoError(`${iso} is not an ISO image (no ISO 9660 volume descriptor)`);
    return pvd.toString('latin1', 40, 72).trim();
  } finally {
    await fh.close();
  }
}

/** The extents of `/sources/install.wim|esd` inside the ISO, by xorriso; null when not in its ISO 9660 tree. */
async function locateInstallImage(iso: string): Promise<{ name: 'install.wim' | 'install.esd'; extents: Extent[] } | null> {
  let out: string;
  try {
    const r = await execa('xorriso', ['-indev', iso, '-find', '/sources', '-type', 'f', '-name', 'install.*', '-exec', 'report_lba', '--'], { timeout: 60_000, stdin: 'ignore', env: { LC_ALL: 'C' }, reject: false });
    out = `${r.stdout}\n${r.stderr}`;
    if ((r as { code?: string }).code === 'ENOENT') throw new IsoError(XORRISO_MISSING);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new IsoError(XORRISO_MISSING);
    throw e;
  }
  // "File data lba:  0 ,       56 ,        1 ,        3 , '/sources/install.wim'" (one line per extent)
  const found = new Map<string, Extent[]>();
  for (const m of out.matchAll(/^File data lba:\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*'\/sources\/(install\.(?:wim|esd))'$/gim)) {
    const name = m[5]!.toLowerCase();
    const list = found.get(name) ?? [];
    list[Number(m[1])] = { lba: Number(m[2]), bytes: Number(m[4]) };
    found.set(name, list);
  }
  for (const name of ['install.wim', 'install.esd'] as const) {
    const ext = found.get(name);
    if (ext?.length && ext.every(Boolean)) return { name, extents: ext };
  }
  return null;
}

/** Reads `length` bytes at `offset` of a file stored in extents of the ISO. */
async function readAt(fh: import('node:fs/promises').FileHandle, extents: Extent[], offset: number, length: number): Promise<Buffer> {
  const out = Buffer.alloc(length);
  let filled = 0;
  let base = 0;
  for (const e of extents) {
    const from = offset + filled;
    if (filled < length && from < base + e.bytes && from >= base) {
      const take = Math.min(length - filled, base + e.bytes - from);
      const { bytesRead } = await fh.read(out, filled, take, e.lba * SECTOR + (from - base));
      if (bytesRead !== take) throw new IsoError('the ISO ends inside its install image (a partial download?)');
      filled += take;
    }
    base += e.bytes;
  }
  if (filled !== length) throw new IsoError('the install image\'s XML lies past its end');
  return out;
}

/** Windows' consumer ISOs are labelled like CCCOMA_X64FRE_EN-US_DV9; old ones name the version. */
function versionFromLabel(label: string): '10' | '11' | null {
  if (/WIN(DOWS)?_?11|^W11|_11_/i.test(label)) return '11';
  if (/WIN(DOWS)?_?10|^W10|_10_/i.test(label)) return '10';
  return null;
}

/** `/sources/install.wim|esd` in the image's UDF file system; null when there is none or it is not there. */
async function locateInUdfImage(iso: string): Promise<{ name: 'install.wim' | 'install.esd'; extents: Extent[] } | null> {
  const fh = await open(iso, 'r');
  try {
    const { files } = await locateInUdf(fh, ['sources/install.wim', 'sources/install.esd']);
    const f = files[0];
    return f ? { name: f.path.endsWith('.esd') ? 'install.esd' : 'install.wim', extents: f.extents } : null;
  } catch (e) {
    if (e instanceof UdfError) return null;
    throw e;
  } finally {
    await fh.close();
  }
}

/** The UDF volume's label, for an image with no ISO 9660 descriptor at all; null: not UDF either. */
async function udfLabel(iso: string): Promise<string | null> {
  const fh = await open(iso, 'r');
  try {
    return (await locateInUdf(fh, [])).label;
  } catch (e) {
    if (e instanceof UdfError) return null;
    throw e;
  } finally {
    await fh.close();
  }
}

export async function recognizeWindowsIso(iso: string): Promise<WindowsIsoInfo> {
  let label: string;
  let iso9660 = true;
  try {
    label = await readVolumeLabel(iso);
  } catch (e) {
    // A pure UDF image (no ISO 9660 bridge at all): its own label, and only its UDF tree.
    const udf = e instanceof IsoError ? await udfLabel(iso) : null;
    if (udf === null) throw e;
    label = udf;
    iso9660 = false;
  }
  let filesystem: 'iso9660' | 'udf' = 'iso9660';
  let loc = iso9660 ? await locateInstallImage(iso) : null;
  if (!loc) {
    loc = await locateInUdfImage(iso);
    filesystem = 'udf';
  }
  if (!loc) {
    return {
      label,
      version: versionFromLabel(label),
      images: [],
      source: 'label',
      note: `no sources/install.wim or install.esd in the ISO's ISO 9660 or UDF file system: the edition could not be read; name it (--edition)`,
    };
  }
  const fh = await open(iso, 'r');
  try {
    const header = await readAt(fh, loc.extents, 0, 208);
    let images: WimImage[];
    try {
      const xml = xmlResource(header);
      images = parseWimXml(await readAt(fh, loc.extents, xml.offset, xml.size));
    } catch (e) {
      if (e instanceof WimError) throw new IsoError(`sources/${loc.name} in ${iso} is not a readable Windows image: ${e.message}`);
      throw e;
    }
    const versions = new Set(images.map(windowsVersionOf).filter(Boolean));
    return { label, version: versions.size === 1 ? [...versions][0]! : versionFromLabel(label), images, source: loc.name, filesystem };
  } finally {
    await fh.close();
  }
}

/** The image to install: the one named, else a Pro edition, else the first. */
export function pickEdition(info: WindowsIsoInfo, wanted?: string): { name: string; reason: string } | { error: string } {
  if (!info.images.length) {
    if (wanted) return { name: wanted, reason: `${wanted}: named by you (the ISO's editions could not be read)` };
    return { error: info.note ?? 'the ISO lists no editions' };
  }
  if (wanted) {
    const hit = info.images.find((i) => i.name.toLowerCase() === wanted.toLowerCase() || i.editionId?.toLowerCase() === wanted.toLowerCase());
    if (!hit) return { error: `"${wanted}" is not on this ISO; it has: ${info.images.map((i) => i.name).join(', ')}` };
    return { name: hit.name, reason: `${hit.name}: as you chose` };
  }
  const pro = info.images.find((i) => i.editionId === 'Professional') ?? info.images[0]!;
  return { name: pro.name, reason: `${pro.name}: ${pro.editionId === 'Professional' ? 'Pro (BitLocker, Hyper-V, Remote Desktop), the ISO also has ' + (info.images.length - 1) + ' other editions' : 'the first edition on the ISO'}` };
}
