// Facts about processes from /proc. A QEMU whose parent has gone is reaped by PID 1, which on
// some systems takes over a second: meanwhile it is a zombie and `kill -0` still succeeds, so
// "alive" here means present and not a zombie.
import { readFileSync } from 'node:fs';

export type ProcState = 'alive' | 'zombie' | 'gone';

export function procState(pid: number): ProcState {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which is in parentheses and may hold spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X' ? 'zombie' : 'alive';
  } catch {
    return 'gone';
  }
}

export function isAlive(pid: number): boolean {
  return procState(pid) === 'alive';
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

export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** Signals a process group started detached (its leader's pid), or the process alone. */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      /* not a group leader, or already gone */
    }
  }
}
