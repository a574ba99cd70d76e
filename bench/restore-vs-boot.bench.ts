// Restoring a saved guest against booting it cold, each to the same point: the guest running
// its own code again (cold: its init reports READY; restored: its next heartbeat). Prints the
// ratio: what switching guests through save/restore costs next to a reboot.
import { it } from 'vitest';
import { guestWorld } from '../test/helpers/guests';
import { median, ms, until } from './stats';

it('restore-vs-boot', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 5);
  const w = await guestWorld('gb-bench-restore-');
  try {
    await w.create('bench');
    const sup = w.supervisor();
    const caps = await w.probe();
    const cold: number[] = [];
    const restore: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await sup.start('bench', { headless: true, fresh: true });
      await until(async () => (await w.serial('bench')).includes('GB:READY'));
      cold.push(performance.now() - t0);

      await until(async () => (await w.lastTick('bench')) > 0);
      const before = await w.lastTick('bench');
      await sup.save('bench');
      t0 = performance.now();
      await sup.restore('bench', { headless: true });
      await until(async () => (await w.lastTick('bench')) >= before);
      restore.push(performance.now() - t0);
      await sup.stop('bench', { force: true });
    }
    const c = median(cold);
    const r = median(restore);
    console.log(`to the guest running again (median of ${RUNS}, ${caps.accel.toUpperCase()}, QEMU ${caps.qemu?.version}, 256 MiB guest):`);
    console.log(`  cold boot  ${ms(c)}`);
    console.log(`  restore    ${ms(r)}`);
    console.log(`  ratio      ${(r / c).toFixed(2)}× of a cold boot`);
  } finally {
    await w.cleanup();
  }
});
