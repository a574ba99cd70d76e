// What a running guest leaves in its runtime dir (so another Guestbay process can find and
// manage it) and what a finished run leaves in its log dir (so "crashed" survives a restart).
//
// A guest's runtime folder holds start.lock while a start is under way (start-journal.ts),
// guest.json once QEMU answers (this record), and run-<id>/, the folder one start made for its
// sockets and pidfile: a socket or pidfile left by an earlier run can never be the one a new
// start talks to.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { LaunchPlan } from '../qemu/plan';
import { readJsonOrNull, writeJsonAtomic } from './atomic-file';
import { isIdentity, type ProcessIdentity } from './process-info';
import { LOCK } from './start-journal';

export interface RecordedSidecar {
  id: string;
  pid: number;
  /** Absent in records written before identities were kept: such a process is never signalled. */
  identity?: ProcessIdentity;
}

export interface RuntimeRecord {
  plan: LaunchPlan;
  qemuPid: number;
  /** QEMU's identity at spawn (absent in older records). */
  qemu?: ProcessIdentity;
  sidecars: RecordedSidecar[];
  /** The run-<id> folder of this start (absent in older records). */
  runDir?: string;
  startedAt: string;
}

export interface LastExit {
  state: 'stopped' | 'crashed';
  at: string;
  reason: string;
  logTail?: string;
}

const RECORD = 'guest.json';
const LAST_EXIT = 'last-exit.json';
/** A record holds a launch plan: a few KiB. Anything far larger is not one of ours. */
const MAX_STATE_FILE = 4 * 2 ** 20;

export async function writeRecord(runtimeDir: string, r: RuntimeRecord): Promise<void> {
  await writeJsonAtomic(join(runtimeDir, RECORD), r, { durable: false });
}

/** The guest's runtime record, or null when there is none (or it is not a record). */
export async function readRecord(runtimeDir: string): Promise<RuntimeRecord | null> {
  const r = await readJsonOrNull<RuntimeRecord>(join(runtimeDir, RECORD), MAX_STATE_FILE);
  if (!r || typeof r !== 'object' || !Number.isInteger(r.qemuPid) || !r.plan?.runtime || !Array.isArray(r.sidecars)) return null;
  if (r.qemu !== undefined && !isIdentity(r.qemu)) delete r.qemu;
  r.sidecars = r.sidecars.filter((s) => s && typeof s.id === 'string' && Number.isInteger(s.pid)).map((s) => (s.identity === undefined || isIdentity(s.identity) ? s : { id: s.id, pid: s.pid }));
  return r;
}

/** Removes sockets, pidfiles, run folders and record of runs that are over; keeps a start lock. */
export async function clearRuntime(runtimeDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(runtimeDir);
  } catch {
    return;
  }
  for (const f of entries) if (f !== LOCK && !f.startsWith(`.${LOCK}.`)) await rm(join(runtimeDir, f), { force: true, recursive: true });
}

/**
 * Removes what one run left: its run folder, and the record if it is that run's. A run that ends
 * late never removes the files of a newer run of the same guest.
 */
export async function clearRun(runtimeDir: string, runDir: string | undefined): Promise<void> {
  if (!runDir) return clearRuntime(runtimeDir);
  const record = await readRecord(runtimeDir);
  if (!record || record.runDir === runDir) await rm(join(runtimeDir, RECORD), { force: true });
  if (dirname(runDir) === runtimeDir && basename(runDir).startsWith('run-')) await rm(runDir, { recursive: true, force: true });
}

export async function writeLastExit(logDir: string, e: LastExit): Promise<void> {
  // The guest's folder may be gone (removed by hand while it ran): then there is nowhere to say
  // how it ended, and no folder is made up for it.
  if (!(await stat(dirname(logDir)).catch(() => null))) return;
  await mkdir(logDir, { recursive: true, mode: 0o700 });
  await writeJsonAtomic(join(logDir, LAST_EXIT), e);
}

export function readLastExit(logDir: string): Promise<LastExit | null> {
  return readJsonOrNull<LastExit>(join(logDir, LAST_EXIT), MAX_STATE_FILE);
}

export async function clearLastExit(logDir: string): Promise<void> {
  await rm(join(logDir, LAST_EXIT), { force: true });
}
