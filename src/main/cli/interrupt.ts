// Ctrl-C and SIGTERM during a command that starts guests: the first one interrupts the start,
// which ends everything it had started before the command exits (130 or 143, as a shell would
// report the signal); a second one exits at once, and the next start ends what was left
// (its journal says what). Without these handlers Node would exit on the spot and leave the
// sidecars and QEMU it had spawned running, unrecorded.
import { StartInterruptedError } from '../vm/supervisor/types';

export async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const on = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) process.exit(sig === 'SIGTERM' ? 143 : 130);
    ac.abort(sig);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  try {
    return await fn(ac.signal);
  } finally {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
  }
}

/** The exit status for an interrupted start: 128 + the signal's number. */
export function interruptedExitCode(e: unknown): number | undefined {
  if (!(e instanceof StartInterruptedError)) return undefined;
  return e.reason === 'SIGTERM' ? 143 : 130;
}

/**
 * Ctrl-C or SIGTERM ends a long download cleanly: the signal aborts it (a plain abort, so fetch
 * and the downloader see an AbortError), and the verified chunks stay in the .partial file for
 * next time. The macOS and Windows commands use it.
 */
export async function cancellable<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  const stop = () => ctrl.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await run(ctrl.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
