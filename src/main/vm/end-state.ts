// How a watched run ended, from what the session saw: Guestbay's intent, QMP's SHUTDOWN event and
// QEMU's exit. Kept pure so every case is tested without starting QEMU.
export interface EndFacts {
  intent: 'none' | 'stop' | 'save';
  sawShutdown: boolean;
  guestShutdown: boolean;
  /** undefined: the process was not ours to wait for (found again after a restart). */
  exit?: { exitCode?: number | null; signal?: string | null };
}

export type EndClass = { state: 'stopped' | 'saved'; reason: string } | { state: 'crashed'; reason: string };

export function classifyEnd(f: EndFacts): EndClass {
  const cleanExit = f.exit ? f.exit.exitCode === 0 && !f.exit.signal : true;
  if (f.intent === 'save' && cleanExit) return { state: 'saved', reason: 'saved' };
  if ((f.sawShutdown || f.intent === 'stop') && cleanExit) {
    return { state: 'stopped', reason: f.guestShutdown ? 'the guest shut down' : 'QEMU was told to quit' };
  }
  // QEMU ended itself with code 0 and no SHUTDOWN event: a board's own power-off device did it
  // (RISC-V virt's test finisher on QEMU 7.2 calls exit(0) directly). A crash is a signal or a
  // non-zero code; an exit 0 is QEMU finishing normally, so the guest powered off.
  if (f.exit && cleanExit) return { state: 'stopped', reason: 'the guest powered off (QEMU ended on its own)' };
  const how = f.exit?.signal ? `killed by ${f.exit.signal}` : f.exit ? `exited with code ${f.exit.exitCode}` : 'ended without shutting down';
  return { state: 'crashed', reason: `QEMU ${how}` };
}
