// A restore's QEMU answers nothing while it reads the memory (its main loop is busy loading):
// the wait goes on while QEMU runs, and ends with QEMU.
import { describe, expect, it } from 'vitest';
import { QmpTimeoutError } from '../../../src/main/qemu/qmp/errors';
import { waitMigration } from '../../../src/main/vm/supervisor/wait-migration';

/** A monitor answering `query-migrate` from a script: an Error is thrown, anything else returned. */
function monitor(answers: unknown[]) {
  let i = 0;
  return {
    asked: () => i,
    execute: async <T>(command: string): Promise<T> => {
      expect(command).toBe('query-migrate');
      const a = answers[Math.min(i++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a as T;
    },
  };
}

describe('waitMigration', () => {
  it('a silent QEMU that still runs is loading: the wait goes on, says so, and ends when the load completes', async () => {
    const m = monitor([new QmpTimeoutError('query-migrate', 30_000), new QmpTimeoutError('query-migrate', 30_000), { status: 'active', ram: { transferred: 1, total: 4 } }, { status: 'completed' }]);
    const said: string[] = [];
    await waitMigration(m, new Promise(() => {}), (message, fraction) => said.push(fraction === undefined ? message : `${message} ${fraction}`), 1);
    expect(m.asked()).toBe(4);
    expect(said).toEqual(['QEMU is busy reading the memory', 'QEMU is busy reading the memory', 'writing memory 0.25']);
  });

  it('a silent QEMU that has ended ends the wait with the timeout', async () => {
    const m = monitor([new QmpTimeoutError('query-migrate', 30_000)]);
    await expect(waitMigration(m, Promise.resolve({ state: 'crashed' }), () => {}, 1)).rejects.toBeInstanceOf(QmpTimeoutError);
  });

  it('a failed migration ends the wait with QEMU\'s reason; other errors are not waited out', async () => {
    await expect(waitMigration(monitor([{ status: 'failed', 'error-desc': 'Unable to read' }]), new Promise(() => {}), () => {}, 1)).rejects.toThrow('Unable to read');
    await expect(waitMigration(monitor([new Error('disconnected')]), new Promise(() => {}), () => {}, 1)).rejects.toThrow('disconnected');
  });
});
