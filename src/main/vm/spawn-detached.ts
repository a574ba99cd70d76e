// Starts a guest's process (QEMU or a sidecar) so that it outlives Guestbay: its own process
// group, stdin closed, stdout and stderr written straight to a log file by the kernel. A pipe
// through this process would break (EPIPE) the moment the app or the CLI exits.
//
// Node's own spawn, not execa: nothing flows through this process (no output to collect, no
// stdin to feed, no timeout — the supervisor watches the process by its identity), so all it
// needs is the pid and the exit; execa's start-up and per-spawn work were ~30 ms of the CLI's
// `guestbay start` (issue 18), spent before QEMU could begin.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** How the process ended: its exit code, or the signal that killed it, or why it never ran. */
export interface DetachedExit {
  exitCode: number | null;
  signal: string | null;
  message: string;
}

/** Settles (never rejects) when the process ends; `pid` is undefined if it could not be started. */
export interface DetachedChild extends Promise<DetachedExit> {
  pid: number | undefined;
  /** Lets this process exit while the child runs on. */
  unref(): void;
  kill(signal?: NodeJS.Signals): boolean;
}

export function spawnDetached(binary: string, args: string[], logFile: string, { truncate = false } = {}): DetachedChild {
  const fd = openSync(logFile, truncate ? 'w' : 'a', 0o600);
  let child;
  try {
    child = spawn(binary, args, { stdio: ['ignore', fd, fd], detached: true });
  } finally {
    // The child has its own copy of the descriptor from the moment it is spawned.
    closeSync(fd);
  }
  const c = child;
  const ended = new Promise<DetachedExit>((resolve) => {
    c.once('error', (e) => resolve({ exitCode: null, signal: null, message: e.message }));
    c.once('exit', (exitCode, signal) => resolve({ exitCode, signal, message: signal ? `killed by ${signal}` : `exited with code ${exitCode}` }));
  });
  return Object.assign(ended, { pid: c.pid, unref: () => c.unref(), kill: (signal?: NodeJS.Signals) => c.kill(signal) });
}
