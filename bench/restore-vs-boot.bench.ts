// Restoring a saved guest against booting it cold, each to the same point: the guest answering
// a line on its serial console (bench/answer.ts). Prints the ratio: what
// switching guests through save/restore costs next to a reboot. Issue 18 aims at ≤ 0.2× on QEMU 10.
import { it } from 'vitest';
import { readRecord } from '../src/main/vm/runtime-files';
import { guestWorld } from '../test/helpers/guests';
import { guestAnswers } from './answer';
import { median, ms } from './stats';

it('restore-vs-boot', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 5);
  const w = await guestWorld('gb-bench-restore-');
  try {
    await w.create('bench', { append: 'gb.answer' });
    const sup = w.supervisor();
    const caps = await w.probe();
    const serialSocket = async () => (await readRecord(w.store.dirs('bench').runtimeDir))!.plan.runtime.serialSocket;
    const cold: number[] = [];
    const restore: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await sup.start('bench', { headless: true, fresh: true });
      await guestAnswers(await serialSocket());
      cold.push(performance.now() - t0);

      await sup.save('bench');
      t0 = performance.now();
      await sup.restore('bench', { headless: true });
      await guestAnswers(await serialSocket());
      restore.push(performance.now() - t0);
      await sup.stop('bench', { force: true });
    }
    const c = median(cold);
    const r = median(restore);
    console.log(`to the guest answering on its serial console (median of ${RUNS}, ${caps.accel.toUpperCase()}, QEMU ${caps.qemu?.version}, 256 MiB guest):`);
    console.log(`  cold boot  ${ms(c)}   (runs: ${cold.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  restore    ${ms(r)}   (runs: ${restore.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  ratio      ${(r / c).toFixed(2)}× of a cold boot (aim ≤ 0.20× on QEMU 10)`);
  } finally {
    await w.cleanup();
  }
});
