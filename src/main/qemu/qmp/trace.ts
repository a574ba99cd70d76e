// An opt-in record of every QMP message, for debugging what Guestbay and QEMU said to each other:
// GUESTBAY_QMP_TRACE=1 appends each line sent and received, with a timestamp, to qmp-trace.log in
// the guest's log folder (stderr for a connection that has none); GUESTBAY_QMP_TRACE=stderr sends
// every connection's lines to stderr. Off (unset, empty or 0) it costs nothing.
//
//   2026-12-01T10:00:00.123Z qmp.sock connected
//   2026-12-01T10:00:00.124Z qmp.sock <- {"QMP": {"version": …}}
//   2026-12-01T10:00:00.125Z qmp.sock -> {"execute":"qmp_capabilities","id":1}
//
// Appended synchronously, so the lines keep their order across the processes sharing a guest
// (the app and a CLI command) and nothing is lost when a process ends mid-way. The file is the
// user's alone (0600) in the guest's own folder (0700): QMP carries paths and the guest's state.
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const QMP_TRACE_ENV = 'GUESTBAY_QMP_TRACE';
export const QMP_TRACE_FILE = 'qmp-trace.log';

/** One traced line: a message sent (`->`) or received (`<-`), or a note on the connection. */
export type QmpTrace = (kind: 'send' | 'recv' | 'note', text: string) => void;

export interface QmpTraceOptions {
  /** The guest's log folder; without one the trace goes to stderr. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Where stderr lines go (tests). */
  stderr?: (text: string) => void;
}

/** The trace GUESTBAY_QMP_TRACE asks for on this socket's connection, or undefined when it is off. */
export function qmpTraceFromEnv(socketPath: string, o: QmpTraceOptions = {}): QmpTrace | undefined {
  const value = ((o.env ?? process.env)[QMP_TRACE_ENV] ?? '').trim().toLowerCase();
  if (value === '' || value === '0' || value === 'false' || value === 'off') return undefined;
  const toStderr = value === 'stderr' || !o.dir;
  const file = o.dir ? join(o.dir, QMP_TRACE_FILE) : undefined;
  const stderr = o.stderr ?? ((t: string) => process.stderr.write(t));
  const now = o.now ?? (() => new Date());
  const socket = basename(socketPath);
  const arrow = { send: '->', recv: '<-', note: '' } as const;
  let failed = false;
  return (kind, text) => {
    const line = `${now().toISOString()} ${socket} ${arrow[kind] ? `${arrow[kind]} ` : ''}${text}\n`;
    if (toStderr || !file) return void stderr(line);
    try {
      appendFileSync(file, line, { mode: 0o600 });
    } catch (e) {
      // A trace must never break the guest it watches: say so once, then carry on on stderr.
      if (!failed) stderr(`guestbay: cannot write the QMP trace to ${file} (${(e as Error).message}); tracing to stderr\n`);
      failed = true;
      stderr(line);
    }
  };
}
