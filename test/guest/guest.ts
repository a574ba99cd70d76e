import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export interface TestGuest {
  kernel: string;
  initrd: string;
}

const buildScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build.sh');

// One build per test process: several files may ask for the guest in their beforeAll.
let pending: Promise<TestGuest> | undefined;

/**
 * Builds the tiny test guest once (cached on disk by build.sh) and returns its kernel and
 * initramfs. The first build downloads ~28 MB of Debian packages.
 */
export function ensureTestGuest(): Promise<TestGuest> {
  pending ??= build().catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

async function build(): Promise<TestGuest> {
  const result = await execa('bash', [buildScript], {
    timeout: 10 * 60_000,
    stdin: 'ignore',
    stderr: 'pipe',
  }).catch((err: unknown) => {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`test guest build failed: ${stderr.trim().split('\n').slice(-5).join('\n')}`, {
      cause: err,
    });
  });
  const dir = result.stdout.trim().split('\n').at(-1);
  if (!dir) throw new Error('test guest build printed no output directory');
  return { kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.gz') };
}
