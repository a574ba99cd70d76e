// How a run ended when no Guestbay process watched it end. While one is attached it sees QMP's
// SHUTDOWN event and, as QEMU's parent, its exit status (session.ts). Without one, QEMU's own log
// is the record: `-trace qemu_system_shutdown_request` (when this QEMU can print it) writes every
// shutdown request with its cause, and QEMU writes "terminating on signal N from pid P" when a
// signal ends it. A run whose log says neither did not shut down: it crashed or was killed
// (SIGKILL, the OOM killer), and the tail of its log says what QEMU last said.
import { tailLines } from '../host/bounded-read';
import type { LastExit } from './runtime-files';

/**
 * QAPI's ShutdownCause, as the trace event prints it (a number). QEMU only ever appends to this
 * enum, so the numbers are the same on 7.2 and 10.
 */
const CAUSES: Record<number, { state: LastExit['state']; reason: string }> = {
  1: { state: 'crashed', reason: 'QEMU shut down on an error of its own' },
  2: { state: 'stopped', reason: 'QEMU was told to quit' },
  4: { state: 'stopped', reason: 'QEMU was ended by a signal' },
  5: { state: 'stopped', reason: "QEMU's window was closed" },
  6: { state: 'stopped', reason: 'the guest shut down' },
  8: { state: 'crashed', reason: 'the guest panicked' },
};

/** This run's part of QEMU's log: after the last line a start writes before QEMU's spawn. */
function thisRun(log: string): string {
  const at = log.lastIndexOf('\n=== ');
  return at === -1 ? log : log.slice(at + 1);
}

export async function exitFromLog(qemuLog: string, at = new Date().toISOString()): Promise<LastExit> {
  const run = thisRun(await tailLines(qemuLog, 400).catch(() => ''));
  const signal = /terminating on signal (\d+)(?: from pid (\d+))?/.exec(run);
  const requests = [...run.matchAll(/qemu_system_shutdown_request reason=(\d+)/g)];
  const cause = requests.length ? CAUSES[Number(requests.at(-1)![1])] : undefined;
  if (signal) {
    return { state: 'stopped', at, reason: `QEMU was ended by signal ${signal[1]}${signal[2] ? ` from process ${signal[2]}` : ''}, while no Guestbay process was watching` };
  }
  if (cause) {
    const entry: LastExit = { state: cause.state, at, reason: `${cause.reason}, while no Guestbay process was watching` };
    return cause.state === 'crashed' ? { ...entry, logTail: lastLines(run) } : entry;
  }
  if (requests.length) return { state: 'stopped', at, reason: `QEMU shut down (cause ${requests.at(-1)![1]}), while no Guestbay process was watching` };
  return {
    state: 'crashed',
    at,
    reason: 'QEMU ended without shutting down while no Guestbay process was watching (killed, or it crashed)',
    logTail: lastLines(run),
  };
}

function lastLines(run: string): string {
  return run.trimEnd().split('\n').slice(-20).join('\n');
}
