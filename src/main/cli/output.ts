// How the CLI speaks: results on stdout (JSON with --json), errors on stderr in plain words,
// exit 1 for a failure, 2 for a command used wrongly.
import { ConfigError } from '../../shared/config-error';
import { PlanError } from '../qemu/plan/errors';
import { interruptedExitCode } from './interrupt';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A reader that goes away (`guestbay probe | head -1`) is not an error: the rest of the output
 * has nowhere to go, so the command ends quietly, as other Unix tools do, instead of printing an
 * EPIPE stack trace.
 */
let pipeWatched = false;
function watchPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}

export const processIo: Io = {
  out: (t) => (watchPipe(), process.stdout.write(t.endsWith('\n') ? t : `${t}\n`)),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

export function json(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

export function reportError(io: Io, e: unknown, asJson: boolean): number {
  const code = e instanceof UsageError ? 2 : (interruptedExitCode(e) ?? 1);
  if (asJson) {
    const body: Record<string, unknown> = { error: (e as Error).name ?? 'Error', message: (e as Error).message };
    if (e instanceof ConfigError) body.fields = e.errors;
    if (e instanceof PlanError && e.field) body.fields = [{ field: e.field, message: e.message }];
    io.err(JSON.stringify(body));
    return code;
  }
  if (e instanceof ConfigError) {
    io.err('guestbay: the request was refused, nothing was written:');
    for (const f of e.errors) io.err(`  ${f.field || 'config'}: ${f.message}`);
  } else {
    io.err(`guestbay: ${(e as Error).message}`);
  }
  if (code === 2) io.err("Run 'guestbay help' for the commands.");
  return code;
}
