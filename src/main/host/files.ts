// Small file helpers that turn "not there" into null instead of an exception: a missing
// file is an answer for a probe, not an error.
import { constants } from 'node:fs';
import { access, readFile, readlink, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ProbeContext } from './options';

export async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** What a path names: a missing path is an answer (the caller says what that means for it). */
export async function kindOf(path: string): Promise<'file' | 'dir' | 'other' | 'missing'> {
  try {
    const s = await stat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function linkBasename(path: string): Promise<string | null> {
  try {
    return basename(await readlink(path));
  } catch {
    return null;
  }
}

/** The first of `candidates` (host paths) that is an executable file under the probe root. */
export async function firstExecutable(ctx: ProbeContext, candidates: readonly string[]): Promise<string | null> {
  const found = await Promise.all(candidates.map((c) => isExecutableFile(ctx.host(c))));
  const i = found.indexOf(true);
  return i === -1 ? null : (candidates[i] ?? null);
}

/**
 * `name` resolved like a shell would, as a host path. `extraDirs` come after PATH: sbin
 * directories hold daemons (smbd) but are often missing from a desktop user's PATH.
 */
export async function which(ctx: ProbeContext, name: string, extraDirs: readonly string[] = []): Promise<string | null> {
  if (name.includes('/')) return (await isExecutableFile(ctx.host(name))) ? name : null;
  const dirs = [...new Set([...ctx.pathDirs, ...extraDirs])];
  return firstExecutable(ctx, dirs.map((d) => join(d, name)));
}
