// What a running guest leaves in its runtime dir (so another Guestbay process can find and
// manage it) and what a finished run leaves in its log dir (so "crashed" survives a restart).
import { readFile, rm, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LaunchPlan } from '../qemu/plan';
import { writeFileAtomic } from './atomic-file';
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
  await writeFileAtomic(join(runtimeDir, RECORD), JSON.stringify(r, null, 2));
}

export async function readRecord(runtimeDir: string): Promise<RuntimeRecord | null> {
  try {
    return JSON.parse(await readFile(join(runtimeDir, RECORD), 'utf8')) as RuntimeRecord;
  } catch {
    return null;
  }
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
  await writeFileAtomic(join(logDir, LAST_EXIT), JSON.stringify(e, null, 2));
}

export async function readLastExit(logDir: string): Promise<LastExit | null> {
  try {
    return JSON.parse(await readFile(join(logDir, LAST_EXIT), 'utf8')) as LastExit;
  } catch {
    return null;
  }
}

export async function clearLastExit(logDir: string): Promise<void> {
  await rm(join(logDir, LAST_EXIT), { force: true });
}
