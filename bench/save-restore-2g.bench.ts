// Save and restore of a 2 GiB guest whose RAM is mostly not zero (1.5 GiB of data it holds,
// test/guest gb.mem) against the floor: `dd` writing and reading as many bytes as the saved
// file holds, in the same folder. Save: from the request to QEMU gone and the file complete.
// Restore: from the request to the guest running again. Saves go through the page cache, as the
// save itself (nothing is synced). Restores are measured twice: from the disk (the file synced
// and its cached pages dropped — `dd iflag=nocache count=0`, no root needed — for the restore and
// for dd alike: the speed of the disk, what the floor is about) and from the page cache
// (where the floor is a memory copy and QEMU's fixed costs — its start, the agent setting the
// clock — weigh most). Prints the ratios; issue 18 aims at ≤ 1.3× each on QEMU 10.
import { execa } from 'execa';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'vitest';
import { savedPaths } from '../src/main/vm/saved-state';
import { guestWorld } from '../test/helpers/guests';
import { median, ms, until } from './stats';

it('save-restore-2g', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 3);
  const FILL_MIB = Number(process.env.BENCH_FILL_MIB ?? 1536);
  const w = await guestWorld('gb-bench-2g-');
  try {
    await w.create('big', { memoryMiB: 2048, append: `gb.mem=${FILL_MIB}` });
    const sup = w.supervisor();
    const caps = await w.probe();
    const dir = w.store.dirs('big').dir;
    await sup.start('big', { headless: true });
    // Bounded below the test's own timeout, so a guest that never fills is still ended (finally).
    await until(async () => /GB:MEM-(FILLED|ERROR)/.test(await w.serial('big')) || (await sup.status('big')).state !== 'running', 20 * 60_000, 500).catch(() => undefined);
    if (!(await w.serial('big')).includes(`GB:MEM-FILLED ${FILL_MIB}`)) {
      throw new Error(`the guest did not fill its memory; last lines:\n${(await w.serial('big')).split('\n').slice(-8).join('\n')}`);
    }
    const save: number[] = [];
    const restore: number[] = [];
    const restoreCold: number[] = [];
    const ddWrite: number[] = [];
    const ddRead: number[] = [];
    const ddReadCold: number[] = [];
    // Written back and dropped from the page cache: the next read comes from the disk.
    const uncache = async (file: string) => {
      await execa('sync', [file]);
      await execa('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    };
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await sup.save('big');
      save.push(performance.now() - t0);
      bytes = (await stat(savedPaths(dir).state)).size;
      t0 = performance.now();
      await sup.restore('big', { headless: true });
      restore.push(performance.now() - t0);
      await sup.save('big');
      await uncache(savedPaths(dir).state);
      t0 = performance.now();
      await sup.restore('big', { headless: true });
      restoreCold.push(performance.now() - t0);

      // The floor, on the same disk: as many MiB as the state file held.
      const f = join(dir, 'dd-floor.bin');
      const mib = String(Math.ceil(bytes / 2 ** 20));
      t0 = performance.now();
      await execa('dd', ['if=/dev/zero', `of=${f}`, 'bs=1M', `count=${mib}`], { stdio: 'ignore' });
      ddWrite.push(performance.now() - t0);
      t0 = performance.now();
      await execa('dd', [`if=${f}`, 'of=/dev/null', 'bs=1M'], { stdio: 'ignore' });
      ddRead.push(performance.now() - t0);
      await uncache(f);
      t0 = performance.now();
      await execa('dd', [`if=${f}`, 'of=/dev/null', 'bs=1M'], { stdio: 'ignore' });
      ddReadCold.push(performance.now() - t0);
      await rm(f, { force: true });
    }
    await sup.stop('big', { force: true });
    const [s, r, dw, dr, rc, drc] = [median(save), median(restore), median(ddWrite), median(ddRead), median(restoreCold), median(ddReadCold)];
    const format = caps.qemu?.mappedRam ? 'mapped-ram + multifd (file:)' : caps.qemu?.fileMigration ? 'stream (file:)' : 'stream (exec:cat)';
    // On tmpfs (the QEMU 10 chroot's /tmp) there is no disk: every "disk" figure is a memory copy.
    const fsType = (await execa('stat', ['-f', '-c', '%T', dir])).stdout.trim();
    console.log(`2 GiB guest holding ${FILL_MIB} MiB of data, state file ${(bytes / 2 ** 30).toFixed(2)} GiB (median of ${RUNS}, QEMU ${caps.qemu?.version}, ${format}; the guest's folder on ${fsType}):`);
    console.log(`  save      ${ms(s)}   dd write ${ms(dw)}   ratio ${(s / dw).toFixed(2)}×   (runs: ${save.map((x) => x.toFixed(0)).join(' ')} / ${ddWrite.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  restore from the disk        ${ms(rc)}   dd read  ${ms(drc)}   ratio ${(rc / drc).toFixed(2)}×   (runs: ${restoreCold.map((x) => x.toFixed(0)).join(' ')} / ${ddReadCold.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  restore from the page cache  ${ms(r)}   dd read  ${ms(dr)}   ratio ${(r / dr).toFixed(2)}×   (runs: ${restore.map((x) => x.toFixed(0)).join(' ')} / ${ddRead.map((x) => x.toFixed(0)).join(' ')})`);
  } finally {
    await w.cleanup();
  }
}, 40 * 60_000);
