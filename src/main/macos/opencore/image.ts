// Builds a guest's OpenCore boot disk without root: a sparse raw file with a GPT and one FAT32
// EFI System Partition (gpt.ts), formatted and filled with mtools at the partition's byte
// offset (`-i IMAGE@@OFFSET`), checked with mdir, then converted to qcow2 by qemu-img.
import { mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { execa } from 'execa';
import type { MacosReleaseKey } from '../../../shared/os/macos-releases';
import type { MacIdentity } from '../identity';
import { openCoreConfigXml } from './config-plist';
import { gptWithEsp, SECTOR } from './gpt';
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
  qemuImg?: string;
  /** Directory holding mformat, mmd, mcopy, mdir; default: found on PATH. */
  mtoolsDir?: string;
  /** Disk size. qcow2 stores only what is written (~2 MB), so room costs nothing. Default 128. */
  sizeMiB?: number;
}

export interface BuiltOpenCoreImage {
  out: string;
  /** Every file on the ESP, as mdir lists it (upper-case 8.3 names are FAT's, not ours). */
  files: string[];
  configXml: string;
}

export const MTOOLS_MISSING =
  'mtools is not installed: Guestbay builds the OpenCore boot disk with it, without root. ' +
  'Install it (Debian/Ubuntu: sudo apt install mtools; Fedora: sudo dnf install mtools; Arch: sudo pacman -S mtools) and try again.';

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
    const staged: { src: string; to: string }[] = [];
    for (const [i, f] of wanted.entries()) {
      const src = join(work, `f${i}-${posix.basename(f.to)}`);
      await writeFile(src, zip.read(f.from));
      staged.push({ src, to: f.to });
    }
    const plist = join(work, 'config.plist');
    await writeFile(plist, configXml);
    staged.push({ src: plist, to: 'EFI/OC/config.plist' });

    const raw = join(work, 'OpenCore.raw');
    const layout = gptWithEsp((sizeMiB * 2 ** 20) / SECTOR);
    await writeSparseDisk(raw, layout.totalSectors * SECTOR, layout.head, layout.tail);

    const esp = `${raw}@@${layout.espStartLba * SECTOR}`;
    const tool = (name: string) => (o.mtoolsDir ? join(o.mtoolsDir, name) : name);
    // The FAT's size stops at the partition's end, so the backup GPT behind it stays intact;
    // hidden sectors = the partition's start, as a partitioning tool would record it.
    await mtool(tool('mformat'), ['-i', esp, '-F', '-v', 'OPENCORE', '-T', String(layout.espEndLba - layout.espStartLba + 1), '-H', String(layout.espStartLba), '::']);
    const dirs = [...new Set(staged.flatMap((s) => parents(s.to)))].sort();
    await mtool(tool('mmd'), ['-i', esp, ...dirs.map((d) => `::/${d}`)]);
    for (const s of staged) await mtool(tool('mcopy'), ['-i', esp, '-o', s.src, `::/${s.to}`]);

    const files = await listFiles(tool('mdir'), esp);
    const absent = staged.filter((s) => !files.some((f) => f.toLowerCase() === s.to.toLowerCase())).map((s) => s.to);
    if (absent.length) throw new OpenCoreImageError(`the OpenCore disk was built without ${absent.join(', ')} (mdir does not list them)`);

    const tmpOut = join(dirname(o.out), `.${basename(o.out)}.building`);
    try {
      // An explicit source format: never let qemu-img guess what a raw file is.
      await execa(o.qemuImg ?? 'qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, tmpOut], { timeout: 60_000 });
      await rename(tmpOut, o.out);
    } finally {
      await rm(tmpOut, { force: true });
    }
    return { out: o.out, files, configXml };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `a/b/c.efi` → `a`, `a/b`. */
function parents(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

async function writeSparseDisk(path: string, bytes: number, head: Buffer, tail: Buffer): Promise<void> {
  const fh = await open(path, 'w');
  try {
    // truncate leaves a hole: the file takes only the sectors written below.
    await fh.truncate(bytes);
    await fh.write(head, 0, head.length, 0);
    await fh.write(tail, 0, tail.length, bytes - tail.length);
  } finally {
    await fh.close();
  }
}

async function mtool(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await execa(cmd, args, {
      timeout: 30_000,
      // MTOOLS_SKIP_CHECK: an image file has no floppy geometry for mtools to insist on.
      env: { MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C' },
      stdin: 'ignore',
    });
    return r.stdout;
  } catch (err) {
    const e = err as { code?: string; stderr?: string; shortMessage?: string };
    if (e.code === 'ENOENT') throw new OpenCoreImageError(MTOOLS_MISSING);
    throw new OpenCoreImageError(`${basename(cmd)} failed building the OpenCore disk: ${(e.stderr || e.shortMessage || String(err)).trim()}`);
  }
}

/** Every file (not directory) on the FAT, as full paths without the leading `::/`. */
async function listFiles(mdir: string, esp: string): Promise<string[]> {
  // -/ recursive, -b bare (one `::/path` per line, directories with a trailing '/'), -a with
  // the dot files.
  const out = await mtool(mdir, ['-i', esp, '-/', '-b', '-a', '::/']);
  const lines = out.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('::/'));
  const paths = lines.filter((l) => !l.endsWith('/')).map((l) => l.slice(3));
  // Should a version print directories without the slash, they are still parents of files.
  const dirs = new Set(paths.flatMap((p) => parents(p)));
  return paths.filter((p) => !dirs.has(p));
}
