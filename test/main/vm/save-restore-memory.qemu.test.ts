// Issue 18: a saved and restored guest's memory is intact, whichever way this QEMU writes the
// file (mapped-ram with multifd threads on QEMU 9.0+, a stream through `exec:cat` on 7.2). The
// test guest fills 16 MiB of RAM with random data at boot (gb.mem) and prints its sha256 when
// asked on the serial console: the same sum before the save and after the restore.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { readSavedMeta } from '../../../src/main/vm/saved-state';
import { Supervisor, type GuestState } from '../../../src/main/vm/supervisor';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-memsum-');
});
afterAll(() => w.cleanup());

const NAME = 'memsum';

async function waitFor(re: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = (await w.serial(NAME)).match(re);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no ${re} on the serial console; last lines:\n${(await w.serial(NAME)).split('\n').slice(-15).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The guest's serial console of this run (a restore is a new QEMU with a new socket). */
async function console_(): Promise<Socket> {
  const rec = await readRecord(w.store.dirs(NAME).runtimeDir);
  const s = connect(rec!.plan.runtime.serialSocket);
  await new Promise((r, j) => (s.once('connect', r), s.once('error', j)));
  return s;
}

async function memSum(s: Socket): Promise<string> {
  const nonce = randomBytes(4).toString('hex');
  s.write(`gb sum ${nonce}\n`);
  return (await waitFor(new RegExp(`GB:MEM-SUM ${nonce} ([0-9a-f]{64})`)))[1]!;
}

describe('save and restore keep the guest\'s memory', () => {
  it('the sum of 16 MiB of random data the guest holds is the same after a save and a restore', async () => {
    const sup = w.supervisor();
    const caps = await w.probe();
    await w.create(NAME, { append: 'gb.mem=16' });
    await sup.start(NAME, { headless: true });
    await waitFor(/GB:MEM-FILLED 16/);
    await waitFor(/GB:READY/);
    let s = await console_();
    const before = await memSum(s);
    s.destroy();

    await sup.save(NAME);
    const meta = await readSavedMeta(w.store.dirs(NAME).dir);
    // Written the fastest way this QEMU offers, and the file says which.
    expect(meta?.format).toBe(caps.qemu?.mappedRam ? 'mapped-ram' : 'stream');
    // Debian's QEMU 10 has mapped-ram; 7.2 does not (the probe asks the schema, this pins what it finds).
    expect(caps.qemu?.mappedRam).toBe((caps.qemu?.major ?? 0) >= 10);

    expect((await sup.restore(NAME, { headless: true })).state).toBe('running');
    s = await console_();
    const after = await memSum(s);
    s.destroy();
    expect(after).toBe(before);
    expect(await w.serial(NAME)).not.toContain('GB:BOOT');
    await sup.stop(NAME, { force: true });
  });
});

describe('a switch where RAM holds both guests at once', () => {
  it('saves the guest being left while the next one restores, and reports the time to the next one running', async () => {
    const caps = await w.probe();
    // A 2600 MiB host keeps 2 GiB for itself: two 384 MiB guests do not fit together (evicted for
    // memory), but fit at once within half the reserve, so the policy overlaps them.
    const sup = new Supervisor({ store: w.store, probe: async () => ({ ...caps, memory: { ...caps.memory, totalMiB: 2600 } }) });
    try {
      await w.create('left', { memoryMiB: 384 });
      await w.create('next', { memoryMiB: 384 });
      await sup.start('next', { headless: true });
      await sup.save('next');
      await sup.start('left', { headless: true });
      const seen: [string, GuestState][] = [];
      sup.onEvent((e) => e.type === 'state' && seen.push([e.status.name, e.status.state]));
      const r = await sup.switchTo('next', { headless: true });
      expect(r.decision).toMatchObject({ then: 'restore', overlap: true, evict: [expect.objectContaining({ guest: 'left', action: 'save' })] });
      expect((await sup.status('left')).state).toBe('saved');
      expect((await sup.status('next')).state).toBe('running');
      // Both at once: the next guest was starting before the one left had been saved.
      const nextStarting = seen.findIndex(([n, st]) => n === 'next' && st === 'starting');
      const leftSaved = seen.findIndex(([n, st]) => n === 'left' && st === 'saved');
      expect(nextStarting).toBeGreaterThanOrEqual(0);
      expect(leftSaved).toBeGreaterThan(nextStarting);
      expect(r.elapsedMs).toBeGreaterThan(0);
      await sup.stop('next', { force: true });
    } finally {
      await sup.detach();
    }
  });
});
