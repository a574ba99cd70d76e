// Facts about processes from /proc, and the one way Guestbay signals a process it started.
//
// A pid alone proves nothing: once a process ends its number is handed out again, and a record
// on disk (ours, an old one, or one planted in a shared folder) may name anyone. So every
// process Guestbay starts is recorded with its identity (when it started, in clock ticks since
// this boot; which boot; its executable; its owner), and no signal is sent unless the live
// process still has that identity.
//
// A QEMU whose parent has gone is reaped by PID 1, which on some systems takes over a second:
// meanwhile it is a zombie and `kill -0` still succeeds, so "alive" here means present and not a
// zombie.
import { readFileSync, readlinkSync } from 'node:fs';

export type ProcState = 'alive' | 'zombie' | 'gone';

/** Who a process is: enough to tell it from any later process given the same pid. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks after boot when it started. */
  startTicks: number;
  /** /proc/sys/kernel/random/boot_id: start ticks count from this boot. */
  bootId: string;
  /** Its executable (/proc/PID/exe), without the " (deleted)" an upgrade leaves. */
  exe: string;
  /** Its real user id. */
  uid: number;
}

/** The fields of /proc/PID/stat after the command name (which is in parentheses and may hold anything). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

export function procState(pid: number): ProcState {
  const f = statFields(pid);
  if (!f) return 'gone';
  return f[0] === 'Z' || f[0] === 'X' ? 'zombie' : 'alive';
}

export function isAlive(pid: number): boolean {
  return procState(pid) === 'alive';
}

/** Stopped by a signal (SIGSTOP, SIGTSTP) or by a tracer: it cannot answer anyone. */
export function isStopped(pid: number): boolean {
  const s = statFields(pid)?.[0];
  return s === 'T' || s === 't';
}

let bootIdCache: string | undefined;
function bootId(): string {
  bootIdCache ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return bootIdCache;
}

/** The identity of a live process, or null if it is gone, a zombie, or not ours to read. */
export function identify(pid: number): ProcessIdentity | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const f = statFields(pid);
  // After the state: ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
  // stime cutime cstime priority nice num_threads itrealvalue starttime → index 19.
  if (!f || f[0] === 'Z' || f[0] === 'X') return null;
  const startTicks = Number(f[19]);
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    const uidLine = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (!uidLine || !Number.isFinite(startTicks)) return null;
    return { pid, startTicks, bootId: bootId(), exe, uid: Number(uidLine[1]) };
  } catch {
    // Gone meanwhile, or another user's process whose executable we may not read.
    return null;
  }
}

/** 'same': that very process still runs; 'gone': it ended; 'other': its pid now belongs to someone else. */
export function identityState(id: ProcessIdentity): 'same' | 'gone' | 'other' {
  const now = identify(id.pid);
  if (!now) {
    // A process on its way out (killed, tearing down its memory) has no readable exe any more but
    // is not a zombie yet: its pid and start time still name it, within this boot. Calling it
    // "other" made a forced end report a QEMU gone while it still held the guest's files.
    const f = statFields(id.pid);
    if (f && f[0] !== 'Z' && f[0] !== 'X' && Number(f[19]) === id.startTicks && bootId() === id.bootId) return 'same';
    return procState(id.pid) === 'alive' ? 'other' : 'gone';
  }
  const same = now.startTicks === id.startTicks && now.bootId === id.bootId && now.exe === id.exe && now.uid === id.uid;
  return same ? 'same' : 'other';
}

/** Whether a record's identity is well formed (records written before identities were kept have none). */
export function isIdentity(v: unknown): v is ProcessIdentity {
  const o = v as Partial<ProcessIdentity> | null;
  return (
    !!o &&
    typeof o === 'object' &&
    Number.isInteger(o.pid) &&
    Number.isFinite(o.startTicks) &&
    typeof o.bootId === 'string' &&
    typeof o.exe === 'string' &&
    Number.isInteger(o.uid)
  );
}

export function cmdline(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return null;
  }
}

/** True when `pid` is the QEMU that writes `pidFile`: a recycled pid never passes for a guest. */
export function isQemuWithPidfile(pid: number, pidFile: string): boolean {
  const argv = cmdline(pid);
  if (!argv || procState(pid) !== 'alive') return false;
  const i = argv.indexOf('-pidfile');
  return i >= 0 && argv[i + 1] === pidFile;
}

/** Waits until the process with this identity (or pid) has ended; a reused pid counts as ended. */
export async function waitGone(id: ProcessIdentity | number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const running = typeof id === 'number' ? () => isAlive(id) : () => identityState(id) === 'same';
  while (running()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/**
 * Signals a process Guestbay started, and the process group it leads (each guest process is
 * started detached, as a group leader, so whatever it forked goes too) — but only if it is
 * still the process the record names. Returns whether a signal was sent.
 */
export function signalOwned(id: ProcessIdentity, signal: NodeJS.Signals = 'SIGTERM'): boolean {
  if (identityState(id) !== 'same') return false;
  for (const target of [-id.pid, id.pid]) {
    try {
      process.kill(target, signal);
      return true;
    } catch {
      /* not a group leader, or gone this instant */
    }
  }
  return false;
}

/** Ends a process Guestbay started: SIGTERM, then SIGKILL after `graceMs`. Never signals a stranger. */
export async function endOwned(id: ProcessIdentity, graceMs = 2000): Promise<void> {
  if (!signalOwned(id, 'SIGTERM')) return;
  if (!(await waitGone(id, graceMs))) signalOwned(id, 'SIGKILL');
  await waitGone(id, 2000);
}
