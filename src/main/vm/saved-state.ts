// A saved guest: its RAM and device state in one file, and what the disks looked like when it
// was written. Restoring onto disks that changed since would corrupt them (the guest's cached
// view no longer matches), so a restore first proves every disk is untouched.
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LaunchPlan } from '../qemu/plan';
import type { SaveFormat } from '../qemu/qmp/commands';
import { readJsonOrNull, writeJsonAtomic } from './atomic-file';

export interface DiskFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
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
export async function restoreBlocker(meta: SavedStateMeta, plan: Pick<LaunchPlan, 'argsDigest'>, qemu?: { mappedRam?: boolean } | null): Promise<string | null> {
  if (meta.format === 'mapped-ram' && !qemu?.mappedRam) {
    return 'it was saved by a QEMU that writes RAM at fixed offsets (mapped-ram), which this QEMU cannot read';
  }
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
  return null;
}

export async function discardSaved(vmDir: string): Promise<void> {
  await rm(savedPaths(vmDir).dir, { recursive: true, force: true });
}
