// A saved guest: its RAM and device state in one file, and what the disks looked like when it
// was written. Restoring onto disks that changed since would corrupt them (the guest's cached
// view no longer matches), so a restore first proves every disk is untouched.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LaunchPlan } from '../qemu/plan';
import type { SaveFormat } from '../qemu/qmp/commands';
import { readJsonOrNull, writeJsonAtomic } from './atomic-file';

export interface DiskFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * The guest's RAM file as a save left it ("memory in a file": the state holds no RAM, it needs
 * this very file): which file (inode), its size and time, and a digest of a few pages read from
 * it — a cheap check of the content that catches a file rewritten in place with the times put back.
 */
export interface RamFileFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** SHA-256 of RAM_SAMPLES pages spread evenly over the file. */
  sample: string;
}

const RAM_SAMPLES = 64;
const PAGE = 4096;

export async function fingerprintRamFile(path: string): Promise<RamFileFingerprint> {
  const f = await open(path, 'r');
  try {
    const s = await f.stat();
    const hash = createHash('sha256');
    const buf = Buffer.alloc(PAGE);
    const pages = Math.floor(s.size / PAGE);
    for (let i = 0; i < RAM_SAMPLES && pages > 0; i++) {
      const page = Math.floor((i * (pages - 1)) / Math.max(1, RAM_SAMPLES - 1));
      const { bytesRead } = await f.read(buf, 0, PAGE, page * PAGE);
      hash.update(buf.subarray(0, bytesRead));
    }
    return { path, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, sample: hash.digest('hex') };
  } finally {
    await f.close();
  }
}

/** Why the RAM file no longer is the one the save left, or null. */
export async function ramFileChanged(was: RamFileFingerprint): Promise<string | null> {
  const now = await fingerprintRamFile(was.path).catch(() => null);
  if (!now) return `its memory file ${was.path} is gone since it was saved`;
  if (now.ino !== was.ino) return `its memory file ${was.path} was replaced since it was saved`;
  if (now.size !== was.size || now.mtimeMs !== was.mtimeMs || now.sample !== was.sample) {
    return `its memory file ${was.path} changed since it was saved; the saved state would run on memory that is not its own`;
  }
  return null;
}

/** Writes the RAM file's pages to the disk: a save with the RAM in a file is durable only then. */
export async function syncRamFile(path: string): Promise<void> {
  const f = await open(path, 'r+');
  try {
    await f.datasync();
  } finally {
    await f.close();
  }
}

export interface SavedStateMeta {
  savedAt: string;
  qemuVersion: string;
  /** The plan's argsDigest: the machine must be the same on restore, a changed device would not accept the state. */
  argsDigest: string;
  wasPaused: boolean;
  bytes: number;
  disks: DiskFingerprint[];
  /** How the file is laid out; a restore sets the same capabilities. Absent in older saves: a stream. */
  format?: SaveFormat;
  /** With format `ram-file`: the RAM file the state needs, as the save left it. */
  ramFile?: RamFileFingerprint;
}

export function savedPaths(vmDir: string) {
  const dir = join(vmDir, 'saved');
  return { dir, state: join(dir, 'state.bin'), partial: join(dir, 'state.bin.partial'), meta: join(dir, 'state.json') };
}

export async function fingerprint(paths: string[]): Promise<DiskFingerprint[]> {
  return Promise.all(
    paths.map(async (path) => {
      const s = await stat(path);
      return { path, size: s.size, mtimeMs: s.mtimeMs };
    }),
  );
}

export function readSavedMeta(vmDir: string): Promise<SavedStateMeta | null> {
  return readJsonOrNull<SavedStateMeta>(savedPaths(vmDir).meta);
}

export async function prepareSaveDir(vmDir: string): Promise<ReturnType<typeof savedPaths>> {
  const p = savedPaths(vmDir);
  await mkdir(p.dir, { recursive: true, mode: 0o700 });
  await rm(p.partial, { force: true });
  return p;
}

/** The state file is renamed into place only once complete, then described. */
export async function commitSave(vmDir: string, meta: Omit<SavedStateMeta, 'bytes'>): Promise<SavedStateMeta> {
  const p = savedPaths(vmDir);
  await rename(p.partial, p.state);
  const full = { ...meta, bytes: (await stat(p.state)).size };
  await writeJsonAtomic(p.meta, full);
  return full;
}

/** Why this saved state cannot be restored onto the files as they are now, or null. */
export async function restoreBlocker(meta: SavedStateMeta, plan: Pick<LaunchPlan, 'argsDigest'>, qemu?: { mappedRam?: boolean; ramFile?: boolean } | null): Promise<string | null> {
  if (meta.format === 'mapped-ram' && !qemu?.mappedRam) {
    return 'it was saved by a QEMU that writes RAM at fixed offsets (mapped-ram), which this QEMU cannot read';
  }
  if (meta.format === 'ram-file' && !qemu?.ramFile) {
    return 'it was saved with its memory in a file (x-ignore-shared), which this QEMU cannot restore';
  }
  if (meta.format === 'ram-file' && !meta.ramFile) return 'its memory file was not recorded with the save';
  if (meta.argsDigest !== plan.argsDigest) {
    return 'the guest\'s settings or the host\'s QEMU changed since it was saved; the saved state no longer fits its devices';
  }
  for (const d of meta.disks) {
    const now = await stat(d.path).catch(() => null);
    if (!now) return `${d.path} is gone since the guest was saved`;
    if (now.size !== d.size || now.mtimeMs !== d.mtimeMs) {
      return `${d.path} changed since the guest was saved; restoring would corrupt it`;
    }
  }
  if (meta.ramFile) return ramFileChanged(meta.ramFile);
  return null;
}

export async function discardSaved(vmDir: string): Promise<void> {
  await rm(savedPaths(vmDir).dir, { recursive: true, force: true });
}
