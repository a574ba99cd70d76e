// A disk with a GPT and one FAT32 partition, built without root: a sparse raw file with the
// partition table written by hand (gpt.ts), the partition formatted and filled by mtools at its
// byte offset (`-i IMAGE@@OFFSET`), then checked with mdir. The OpenCore boot disk and the
// macOS recovery disk are both made here; the same tools also replace files on a finished one.
import { mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { convertToQcow2Args } from '../../qemu/qemu-img';
import { gptWithEsp, SECTOR, ESP_START_LBA } from './gpt';

export class FatDiskError extends Error {
  override name = 'FatDiskError';
}

export const MTOOLS_MISSING =
  'mtools is not installed: Guestbay builds the OpenCore and recovery disks with it, without root. ' +
  'Install it (Debian/Ubuntu: sudo apt install mtools; Fedora: sudo dnf install mtools; Arch: sudo pacman -S mtools) and try again.';

export interface FatFile {
  /** A file on the host. */
  src: string;
  /** Its path on the FAT, `/`-separated, without a leading slash. */
  to: string;
}

export interface BuildFatDiskOptions {
  files: FatFile[];
  /** The finished disk. Replaced atomically: a failed build leaves an old one untouched. */
  out: string;
  format: 'qcow2' | 'raw';
  sizeMiB: number;
  /** The FAT volume label (at most 11 characters). */
  label: string;
  /** GPT partition type; default the EFI System Partition's. */
  typeGuid?: string;
  partitionName?: string;
  qemuImg?: string;
  /** Directory holding mformat, mmd, mcopy, mdir; default: found on PATH. */
  mtoolsDir?: string;
  /** What the disk is, for messages ("the OpenCore disk"). */
  what: string;
  /** Stops the tools (a cancelled preparation must not wait for a gigabyte's mcopy). */
  signal?: AbortSignal;
}

/** FAT32 needs at least 65525 clusters; below ~40 MiB mformat cannot make one. */
export const MIN_FAT32_MIB = 40;

/** Builds the disk and returns every file on it, as mdir lists it. */
export async function buildFatDisk(o: BuildFatDiskOptions): Promise<string[]> {
  if (!Number.isInteger(o.sizeMiB) || o.sizeMiB < MIN_FAT32_MIB) throw new FatDiskError(`${o.what} cannot be ${o.sizeMiB} MiB (FAT32 needs at least ${MIN_FAT32_MIB})`);
  const work = await mkdtemp(join(tmpdir(), 'guestbay-fat-'));
  // raw output is built in place next to the result (it is the result); qcow2 goes through a
  // raw file in the temp folder, which only holds what was written (sparse).
  const tmpOut = join(dirname(o.out), `.${basename(o.out)}.building`);
  const raw = o.format === 'raw' ? tmpOut : join(work, 'disk.raw');
  try {
    const layout = gptWithEsp((o.sizeMiB * 2 ** 20) / SECTOR, { typeGuid: o.typeGuid, partitionName: o.partitionName });
    await writeSparseDisk(raw, layout.totalSectors * SECTOR, layout.head, layout.tail);
    const part = `${raw}@@${layout.espStartLba * SECTOR}`;
    const tool = (name: string) => (o.mtoolsDir ? join(o.mtoolsDir, name) : name);
    // The FAT's size stops at the partition's end, so the backup GPT behind it stays intact;
    // hidden sectors = the partition's start, as a partitioning tool would record it.
    await mtool(tool('mformat'), ['-i', part, '-F', '-v', o.label, '-T', String(layout.espEndLba - layout.espStartLba + 1), '-H', String(layout.espStartLba), '::'], o.what, 30_000, o.signal);
    const dirs = [...new Set(o.files.flatMap((f) => parents(f.to)))].sort();
    if (dirs.length) await mtool(tool('mmd'), ['-i', part, ...dirs.map((d) => `::/${d}`)], o.what, 30_000, o.signal);
    for (const f of o.files) await mtool(tool('mcopy'), ['-i', part, '-o', f.src, `::/${f.to}`], o.what, 600_000, o.signal);

    const listed = await listFatFiles(tool('mdir'), part, o.what);
    const absent = o.files.filter((f) => !listed.some((l) => l.toLowerCase() === f.to.toLowerCase())).map((f) => f.to);
    if (absent.length) throw new FatDiskError(`${o.what} was built without ${absent.join(', ')} (mdir does not list them)`);

    if (o.format === 'qcow2') {
      // An explicit source format: never let qemu-img guess what a raw file is.
      await execa(o.qemuImg ?? 'qemu-img', convertToQcow2Args(raw, 'raw', tmpOut), { timeout: 120_000, ...(o.signal ? { cancelSignal: o.signal } : {}) });
    }
    await rename(tmpOut, o.out);
    return listed;
  } finally {
    await rm(tmpOut, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Writes files onto the FAT of an existing disk made by buildFatDisk (a qcow2 goes through a raw
 * copy and back). The disk is replaced atomically, so a failure leaves it as it was. The disk
 * must not be in use: QEMU holds a lock on an image it has open, and qemu-img honours it.
 */
export async function replaceFatFiles(o: { disk: string; format: 'qcow2' | 'raw'; files: FatFile[]; what: string; qemuImg?: string; mtoolsDir?: string }): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'guestbay-fat-'));
  const tmpOut = join(dirname(o.disk), `.${basename(o.disk)}.building`);
  const qemuImg = o.qemuImg ?? 'qemu-img';
  try {
    const raw = join(work, 'disk.raw');
    await execa(qemuImg, ['convert', '-q', '-f', o.format, '-O', 'raw', o.disk, raw], { timeout: 120_000 }).catch((err: { stderr?: string; message: string }) => {
      throw new FatDiskError(`cannot read ${o.what} ${o.disk}: ${(err.stderr || err.message).trim().split('\n').pop()}`);
    });
    const part = `${raw}@@${ESP_START_LBA * SECTOR}`;
    const tool = (name: string) => (o.mtoolsDir ? join(o.mtoolsDir, name) : name);
    for (const f of o.files) await mtool(tool('mcopy'), ['-i', part, '-o', f.src, `::/${f.to}`], o.what);
    await execa(qemuImg, ['convert', '-q', '-f', 'raw', '-O', o.format, raw, tmpOut], { timeout: 120_000 });
    await rename(tmpOut, o.disk);
  } finally {
    await rm(tmpOut, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/** Reads one file off a disk made by buildFatDisk (raw or qcow2), e.g. to show the config in use. */
export async function readFatFile(o: { disk: string; format: 'qcow2' | 'raw'; path: string; qemuImg?: string; mtoolsDir?: string }): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), 'guestbay-fat-'));
  try {
    let raw = o.disk;
    if (o.format !== 'raw') {
      raw = join(work, 'disk.raw');
      // -U: reading a disk a running guest holds is safe for a file the guest never writes.
      await execa(o.qemuImg ?? 'qemu-img', ['convert', '-U', '-q', '-f', o.format, '-O', 'raw', o.disk, raw], { timeout: 120_000 });
    }
    const tool = (name: string) => (o.mtoolsDir ? join(o.mtoolsDir, name) : name);
    const out = join(work, 'file');
    await mtool(tool('mcopy'), ['-i', `${raw}@@${ESP_START_LBA * SECTOR}`, `::/${o.path}`, out], 'the disk');
    return await readFile(out);
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

async function mtool(cmd: string, args: string[], what: string, timeout = 30_000, signal?: AbortSignal): Promise<string> {
  try {
    const r = await execa(cmd, args, {
      timeout,
      ...(signal ? { cancelSignal: signal } : {}),
      // MTOOLS_SKIP_CHECK: an image file has no floppy geometry for mtools to insist on.
      env: { MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C' },
      stdin: 'ignore',
    });
    return r.stdout;
  } catch (err) {
    const e = err as { code?: string; stderr?: string; shortMessage?: string };
    if (signal?.aborted) throw signal.reason;
    if (e.code === 'ENOENT') throw new FatDiskError(MTOOLS_MISSING);
    throw new FatDiskError(`${basename(cmd)} failed building ${what}: ${(e.stderr || e.shortMessage || String(err)).trim()}`);
  }
}

/** Every file (not directory) on the FAT, as full paths without the leading `::/`. */
async function listFatFiles(mdir: string, part: string, what: string): Promise<string[]> {
  // -/ recursive, -b bare (one `::/path` per line, directories with a trailing '/'), -a with
  // the dot files.
  const out = await mtool(mdir, ['-i', part, '-/', '-b', '-a', '::/'], what);
  const lines = out.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('::/'));
  const paths = lines.filter((l) => !l.endsWith('/')).map((l) => l.slice(3));
  // Should a version print directories without the slash, they are still parents of files.
  const dirs = new Set(paths.flatMap((p) => parents(p)));
  return paths.filter((p) => !dirs.has(p));
}
