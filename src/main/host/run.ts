// One way to run a host command: argument arrays (never a shell), always a timeout, never
// throws. Tests swap in a fake Runner that replays output saved from real QEMU versions.
import { connect, type Socket } from 'node:net';

export interface RunOptions {
  timeoutMs: number;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Stop the process as soon as its stdout or stderr matches: for daemons that never exit. */
  until?: RegExp;
  /**
   * Once `until` matched, connect to this unix socket (as the daemon's real client would) and
   * watch `settleMs` longer before stopping it: some daemons fail only when a client arrives.
   */
  thenConnect?: { socket: string; settleMs: number };
}

export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** `until` matched (the process was then stopped by us). */
  matched: boolean;
  /** With `thenConnect`: still running when we stopped it, after the client had connected. */
  survived: boolean;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
}

export type Runner = (file: string, args: readonly string[], opts: RunOptions) => Promise<RunResult>;

const FORCE_KILL_AFTER_MS = 500;

export const execaRunner: Runner = async (file, args, opts) => {
  // Imported when a command first runs something: a probe answered from its caches runs
  // nothing and skips execa's start-up (~14 ms).
  const { execa } = await import('execa');
  // Its own process group, so stopping it also stops what it forked (virtiofsd's sandbox
  // child); otherwise a grandchild keeps the pipes open and outlives the probe.
  const child = execa(file, args, {
    detached: true,
    reject: false,
    stripFinalNewline: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
  });
  let timedOut = false;
  let matched = false;
  let survived = false;
  let ended = false;
  let client: Socket | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let forceTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    signalGroup(child.pid, 'SIGTERM');
    forceTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), FORCE_KILL_AFTER_MS);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, opts.timeoutMs);
  if (opts.until) {
    const until = opts.until;
    let seen = '';
    const watch = (chunk: Buffer | string): void => {
      if (matched) return;
      seen += chunk.toString();
      if (until.test(seen)) {
        matched = true;
        const then = opts.thenConnect;
        if (!then) return stop();
        client = connect(then.socket);
        client.on('error', () => undefined); // a daemon that died meanwhile: `survived` says so
        settleTimer = setTimeout(() => {
          survived = !ended;
          stop();
        }, then.settleMs);
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
  }
  void child.finally(() => (ended = true));
  const r = await child;
  ended = true;
  client?.destroy();
  clearTimeout(timer);
  clearTimeout(settleTimer);
  clearTimeout(forceTimer);
  const spawned = r.exitCode !== undefined || r.signal !== undefined;
  return {
    exitCode: r.exitCode ?? null,
    signal: r.signal ?? null,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    timedOut: timedOut && !matched,
    matched,
    survived,
    spawnError: spawned ? null : (r.shortMessage ?? 'could not start'),
  };
};

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
