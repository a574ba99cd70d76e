// Waiting for a save or a restore to finish, by asking QEMU how its migration goes.
import { queryMigrate } from '../../qemu/qmp/commands';
import type { QmpClient } from '../../qemu/qmp/client';
import { QmpTimeoutError } from '../../qemu/qmp/errors';

/**
 * Polls `query-migrate` until it says completed (or failed). Loading a saved state keeps QEMU's
 * main loop — and so QMP — busy for as long as reading the memory takes: over 30 s for 1.5 GiB
 * from a contended disk was seen, and a 32 GiB guest on a hard disk takes minutes. So a QEMU that
 * does not answer but still runs is working, and the wait goes on; only QEMU's end (`ended`
 * settling: it crashed, or stop --force ended it) ends it.
 */
export async function waitMigration(
  client: Pick<QmpClient, 'execute'>,
  ended: Promise<unknown>,
  progress: (message: string, fraction?: number) => void,
  pollMs = 25,
): Promise<void> {
  for (;;) {
    let m;
    try {
      m = await queryMigrate(client);
    } catch (e) {
      if (e instanceof QmpTimeoutError && !(await settled(ended))) {
        progress('QEMU is busy reading the memory');
        continue;
      }
      throw e;
    }
    if (m.status === 'completed') return;
    if (m.status === 'failed' || m.status === 'cancelled') throw new Error(m['error-desc'] ?? `migration ${m.status}`);
    if (m.ram && m.ram.total > 0) progress('writing memory', Math.min(1, m.ram.transferred / m.ram.total));
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}
