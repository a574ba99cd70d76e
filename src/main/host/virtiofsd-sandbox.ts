// The Rust virtiofsd's default `--sandbox namespace` fails where `/` is not a mount point
// (a plain chroot, some containers) or user namespaces are forbidden; it fails before it
// listens. So we start it once per mode and keep the first that reaches "Waiting for
// vhost-user socket connection", stopping it right there.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from './run';

export type SandboxMode = 'namespace' | 'chroot' | 'none';
export const SANDBOX_MODES: readonly SandboxMode[] = ['namespace', 'chroot', 'none'];
const LISTENING = /Waiting for vhost-user socket connection/;

export async function probeVirtiofsdSandbox(run: Runner, binary: string): Promise<SandboxMode | null> {
  const dir = await mkdtemp(join(tmpdir(), 'guestbay-vfs-'));
  try {
    const shared = join(dir, 'shared');
    await mkdir(shared);
    for (const mode of SANDBOX_MODES) {
      const r = await run(
        binary,
        ['--shared-dir', shared, '--socket-path', join(dir, `${mode}.sock`), '--sandbox', mode, '--log-level', 'info'],
        { timeoutMs: 1500, until: LISTENING },
      );
      if (r.matched || LISTENING.test(r.stderr)) return mode;
    }
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
