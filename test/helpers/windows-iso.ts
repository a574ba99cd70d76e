// A stand-in Windows ISO built with Debian's tools: wimtools (wimcapture/wimappend) for an
// install.wim whose XML metadata names the editions, xorriso for the image with Microsoft's
// consumer label. Nothing in it boots; it is what Guestbay reads and what QEMU attaches.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface StandInEdition {
  name: string;
  editionId: string;
  build: number;
}

/**
 * A WIM with only a header and its XML metadata (no images' data): what Guestbay reads, written
 * by hand where wimtools is not installed (the QEMU 10 chroot). The unit tests use wimtools.
 */
export function minimalWim(editions: StandInEdition[]): Buffer {
  const images = editions
    .map((e, i) => `<IMAGE INDEX="${i + 1}"><NAME>${e.name}</NAME><WINDOWS><EDITIONID>${e.editionId}</EDITIONID><VERSION><MAJOR>10</MAJOR><BUILD>${e.build}</BUILD></VERSION><ARCH>9</ARCH></WINDOWS></IMAGE>`)
    .join('');
  const xml = Buffer.from(`\uFEFF<WIM>${images}</WIM>`, 'utf16le');
  const h = Buffer.alloc(208);
  h.write('MSWIM\0\0\0', 0, 'latin1');
  h.writeUInt32LE(208, 8);
  h.writeUInt32LE(0x10d00, 12);
  h.writeUIntLE(xml.length, 72, 6);
  h.writeBigUInt64LE(208n, 80);
  h.writeBigUInt64LE(BigInt(xml.length), 88);
  h.writeUInt32LE(editions.length, 44);
  return Buffer.concat([h, xml]);
}

/**
 * `udfOnly`: the install image in the UDF file system only, as Microsoft's newer ISOs have it
 * (oscdimg -u2): mkisofs (Debian's genisoimage, Arch's cdrtools) writes the UDF bridge and hides the file from the ISO 9660 tree.
 */
export async function buildWindowsIso(out: string, o: { label: string; editions: StandInEdition[]; file?: 'install.wim' | 'install.esd' | null; padMiB?: number; wimtools?: boolean; udfOnly?: boolean }): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'gb-winiso-'));
  try {
    const root = join(work, 'root');
    const img = join(work, 'img');
    await mkdir(join(root, 'sources'), { recursive: true });
    await mkdir(join(img, 'Windows/System32'), { recursive: true });
    await writeFile(join(img, 'Windows/System32/ntoskrnl.exe'), 'stand-in');
    await writeFile(join(root, 'setup.exe'), 'stand-in');
    // Data before the WIM in the image, so its offset is not trivially the start.
    if (o.padMiB) await writeFile(join(root, 'sources', 'boot.wim'), Buffer.alloc(o.padMiB * 2 ** 20, 7));
    const file = o.file === undefined ? 'install.wim' : o.file;
    if (file) {
      const wim = join(work, 'install.wim');
      if (o.wimtools === false) await writeFile(wim, minimalWim(o.editions));
      else for (const [i, e] of o.editions.entries()) {
        const props = ['--image-property', `WINDOWS/EDITIONID=${e.editionId}`, '--image-property', 'WINDOWS/VERSION/MAJOR=10', '--image-property', `WINDOWS/VERSION/BUILD=${e.build}`, '--image-property', 'WINDOWS/ARCH=9'];
        await execa(i === 0 ? 'wimcapture' : 'wimappend', [img, wim, e.name, ...props], { stdin: 'ignore' });
      }
      await execa('cp', [wim, join(root, 'sources', file)]);
    }
    if (o.udfOnly) await execa('mkisofs', ['-quiet', '-udf', '-V', o.label, '-hide', 'install.wim', '-hide', 'install.esd', '-o', out, root], { stdin: 'ignore' });
    else await execa('xorriso', ['-outdev', out, '-volid', o.label, '-map', root, '/'], { stdin: 'ignore' });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
