// What a running guest leaves in its runtime dir (so another Guestbay process can find and
// manage it) and what a finished run leaves in its log dir (so "crashed" survives a restart).
import { readFile, rm, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LaunchPlan } from '../qemu/plan';
import { readJsonOrNull, writeJsonAtomic } from './atomic-file';
import { isAlive } from './process-info';

export interface RuntimeRecord {
  plan: LaunchPlan;
  qemuPid: number;
  sidecars: { id: string; pid: number }[];
  startedAt: string;
}

export interface LastExit {
  state: 'stopped' | 'crashed';
  at: string;
  reason: string;
  logTail?: string;
}

const RECORD = 'guest.json';
const LOCK = 'start.lock';
const LAST_EXIT = 'last-exit.json';

export async function writeRecord(runtimeDir: string, r: RuntimeRecord): Promise<void> {
  await writeJsonAtomic(join(runtimeDir, RECORD), r);
}

export function readRecord(runtimeDir: string): Promise<RuntimeRecord | null> {
  return readJsonOrNull<RuntimeRecord>(join(runtimeDir, RECORD));
}

/** Removes sockets, pidfile and record of a run that is over; keeps a start lock held by a live process. */
export async function clearRuntime(runtimeDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(runtimeDir);
  } catch {
    return;
  }
  for (const f of entries) if (f !== LOCK) await rm(join(runtimeDir, f), { force: true, recursive: true });
}

export class StartLockedError extends Error {
  constructor(
    readonly vmName: string,
    readonly pid: number,
  ) {
    super(`"${vmName}" is already being started (by process ${pid})`);
    this.name = 'StartLockedError';
  }
}

/**
 * A start lock shared by every Guestbay process: created exclusively, holding the owner's pid.
 * A lock whose owner has died is taken over.
 */
export async function acquireStartLock(runtimeDir: string, name: string): Promise<() => Promise<void>> {
  const file = join(runtimeDir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(await readFile(file, 'utf8').catch(() => '0'));
      if (owner && owner !== process.pid && isAlive(owner)) throw new StartLockedError(name, owner);
      if (owner === process.pid) throw new StartLockedError(name, owner);
      await rm(file, { force: true });
    }
  }
  throw new StartLockedError(name, 0);
}

export async function writeLastExit(logDir: string, e: LastExit): Promise<void> {
  await writeJsonAtomic(join(logDir, LAST_EXIT), e);
}

export function readLastExit(logDir: string): Promise<LastExit | null> {
  return readJsonOrNull<LastExit>(join(logDir, LAST_EXIT));
}

export async function clearLastExit(logDir: string): Promise<void> {
  await rm(join(logDir, LAST_EXIT), { force: true });
}
