// Starts a guest's process (QEMU or a sidecar) so that it outlives Guestbay: its own process
// group, stdin closed, stdout and stderr written straight to a log file by the kernel. A pipe
// through this process would break (EPIPE) the moment the app or the CLI exits.
import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';

export function spawnDetached(binary: string, args: string[], logFile: string, { truncate = false } = {}) {
  // execa's types accept only literal descriptor numbers; at run time any open descriptor works.
  const fd = openSync(logFile, truncate ? 'w' : 'a', 0o600) as 1;
  try {
    return execa(binary, args, { stdin: 'ignore', stdout: fd, stderr: fd, detached: true, cleanup: false, reject: false });
  } finally {
    // The child has its own copy of the descriptor from the moment it is spawned.
    closeSync(fd);
  }
}

export type DetachedChild = ReturnType<typeof spawnDetached>;
