// virtiofsd is judged by starting it the way a guest's start will, as the user who runs
// Guestbay, not by its --help: Debian 12's C daemon answers --help for anyone, then fails for
// a user without root (its pid file under /run/virtiofsd, its namespace sandbox), some of that
// only once QEMU connects. So each test starts the daemon on a temporary folder and socket,
// connects to the socket as QEMU would, and counts it working only if it is still serving a
// moment later. The Rust daemon's default `--sandbox namespace` fails where user namespaces
// are not allowed (a chroot, some containers) and `chroot` is root's alone, so each mode is
// tried in turn and the first that works is kept. Each try has a short deadline; they run in
// parallel with the KVM check, so a probe is not slower for them.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner, RunResult } from './run';

export type SandboxMode = 'namespace' | 'chroot' | 'none';
export const SANDBOX_MODES: readonly SandboxMode[] = ['namespace', 'chroot', 'none'];

const LISTENING = /Waiting for vhost-user socket connection/;
/** How long a daemon must keep serving after QEMU's side connects. */
const SETTLE_MS = 250;
const DEADLINE_MS = 2000;

export interface StartTest {
  works: boolean;
  /** The Rust daemon's sandbox mode that works here. */
  sandbox: SandboxMode | null;
  /** Why it does not work, in the daemon's own words. */
  reason: string | null;
}

/** The daemon's last complaint: its last line that is not one of the normal progress lines. */
export function failureReason(r: RunResult): string {
  if (r.spawnError) return r.spawnError;
  const lines = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())
    .filter((l) => l && !/Waiting for vhost-user socket connection|Received vhost-user socket connection|Failure when trying to set the limit/.test(l));
  const last = lines.at(-1);
  if (last) return last;
  if (r.timedOut) return 'it did not start listening within the deadline';
  return `it ended (${r.signal ?? `exit code ${r.exitCode}`}) without saying why`;
}

const worked = (r: RunResult) => r.matched && r.survived;

export async function startTestVirtiofsd(run: Runner, binary: string, flavour: 'rust' | 'c'): Promise<StartTest> {
  const dir = await mkdtemp(join(tmpdir(), 'guestbay-vfs-'));
  try {
    const shared = join(dir, 'shared');
    await mkdir(shared);
    const start = (socket: string, args: string[]) => run(binary, args, { timeoutMs: DEADLINE_MS, until: LISTENING, thenConnect: { socket, settleMs: SETTLE_MS } });
    if (flavour === 'c') {
      // The arguments the launch plan gives it (sharing.ts).
      const socket = join(dir, 'c.sock');
      const r = await start(socket, [`--socket-path=${socket}`, '-o', `source=${shared}`, '-o', 'cache=auto']);
      return worked(r) ? { works: true, sandbox: null, reason: null } : { works: false, sandbox: null, reason: failureReason(r) };
    }
    const reasons: string[] = [];
    for (const mode of SANDBOX_MODES) {
      const socket = join(dir, `${mode}.sock`);
      const r = await start(socket, ['--socket-path', socket, '--shared-dir', shared, '--cache', 'auto', '--sandbox', mode, '--log-level', 'info']);
      if (worked(r)) return { works: true, sandbox: mode, reason: null };
      reasons.push(`--sandbox ${mode}: ${failureReason(r)}`);
    }
    return { works: false, sandbox: null, reason: reasons.join('; ') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
