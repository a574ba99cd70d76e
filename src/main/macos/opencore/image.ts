// Builds a guest's OpenCore boot disk without root: the release's files and a generated
// config.plist on the EFI System Partition of a GPT disk (../disk/fat-disk.ts), as qcow2.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import type { MacosReleaseKey } from '../../../shared/os/macos-releases';
import { buildFatDisk, FatDiskError, replaceFatFiles, type FatFile } from '../disk/fat-disk';
import type { MacIdentity } from '../identity';
import { openCoreConfigXml, type OpenCoreConfigOptions } from './config-plist';
import { openCoreFiles } from './release';
import { ZipArchive } from './zip';

export class OpenCoreImageError extends Error {
  override name = 'OpenCoreImageError';
}

export interface BuildOpenCoreImageOptions {
  /** A verified release zip (fetchOpenCore's path). */
  zip: string;
  identity: MacIdentity;
  resolution: { width: number; height: number };
  /** The finished image (qcow2). Replaced atomically: a failed build leaves the old one. */
  out: string;
  release?: MacosReleaseKey;
  verbose?: boolean;
  timeoutSeconds?: number;
  /** macOS is installed: no installer entries in the picker. */
  installed?: boolean;
  qemuImg?: string;
  /** Directory holding mformat, mmd, mcopy, mdir; default: found on PATH. */
  mtoolsDir?: string;
  /** Disk size. qcow2 stores only what is written (~2 MB), so room costs nothing. Default 128. */
  sizeMiB?: number;
  signal?: AbortSignal;
}

export interface BuiltOpenCoreImage {
  out: string;
  /** Every file on the ESP, as mdir lists it (upper-case 8.3 names are FAT's, not ours). */
  files: string[];
  configXml: string;
}

export { MTOOLS_MISSING } from '../disk/fat-disk';

export async function buildOpenCoreImage(o: BuildOpenCoreImageOptions): Promise<BuiltOpenCoreImage> {
  const sizeMiB = o.sizeMiB ?? 128;
  // FAT32 needs at least 65525 clusters; below ~40 MiB mformat cannot make one.
  if (!Number.isInteger(sizeMiB) || sizeMiB < 40 || sizeMiB > 4096) throw new OpenCoreImageError(`an OpenCore disk of ${sizeMiB} MiB is not possible (40..4096)`);
  const configXml = openCoreConfigXml({
    identity: o.identity,
    resolution: o.resolution,
    release: o.release,
    verbose: o.verbose,
    timeoutSeconds: o.timeoutSeconds,
    installed: o.installed,
  });

  const zip = await ZipArchive.open(o.zip).catch((err: Error) => {
    throw new OpenCoreImageError(`cannot read the OpenCore release ${o.zip}: ${err.message}`);
  });
  const wanted = openCoreFiles().filter((f) => !f.optional || zip.get(f.from));
  const missing = wanted.filter((f) => !zip.get(f.from)).map((f) => f.from);
  if (missing.length) throw new OpenCoreImageError(`${basename(o.zip)} is not an OpenCore release as expected: it has no ${missing.join(', ')}`);

  const work = await mkdtemp(join(tmpdir(), 'guestbay-opencore-'));
  try {
    // Extract first: a damaged zip fails here, before any tool runs.
    const staged: FatFile[] = [];
    for (const [i, f] of wanted.entries()) {
      const src = join(work, `f${i}-${posix.basename(f.to)}`);
      await writeFile(src, zip.read(f.from));
      staged.push({ src, to: f.to });
    }
    const plist = join(work, 'config.plist');
    await writeFile(plist, configXml);
    staged.push({ src: plist, to: 'EFI/OC/config.plist' });
    const files = await buildFatDisk({ files: staged, out: o.out, format: 'qcow2', sizeMiB, label: 'OPENCORE', what: 'the OpenCore disk', qemuImg: o.qemuImg, mtoolsDir: o.mtoolsDir, signal: o.signal }).catch(rethrow);
    return { out: o.out, files, configXml };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Writes a new config.plist onto a guest's existing OpenCore disk (after the install: no
 * installer entries, a short timeout). The guest must be stopped; the disk is replaced atomically.
 */
export async function rewriteOpenCoreConfig(o: { disk: string; config: OpenCoreConfigOptions; qemuImg?: string; mtoolsDir?: string }): Promise<string> {
  const configXml = openCoreConfigXml(o.config);
  const work = await mkdtemp(join(tmpdir(), 'guestbay-opencore-'));
  try {
    const plist = join(work, 'config.plist');
    await writeFile(plist, configXml);
    await replaceFatFiles({ disk: o.disk, format: 'qcow2', files: [{ src: plist, to: 'EFI/OC/config.plist' }], what: 'the OpenCore disk', qemuImg: o.qemuImg, mtoolsDir: o.mtoolsDir }).catch(rethrow);
    return configXml;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function rethrow(err: unknown): never {
  if (err instanceof FatDiskError) throw new OpenCoreImageError(err.message);
  throw err;
}
