// Save and restore of a 2 GiB guest whose RAM is mostly not zero (1.5 GiB of data it holds,
// test/guest gb.mem) against the floor: `dd` writing and reading as many bytes as the RAM-in-the-
// state file holds, in the same folder. Both ways Guestbay keeps a guest's memory, through its
// real save and restore (the supervisor):
// - `state`: the RAM in the saved state (mapped-ram + multifd on QEMU 9+, with direct-io on
//   9.1+ where the folder takes O_DIRECT; a stream on 7.2);
// - `file`: "memory in a file" (memory.ram in the guest's folder, left out of the state with
//   x-ignore-shared; issue 18).
// Save: from the request to QEMU gone and the file complete, through the page cache (`state`
// syncs nothing; the `file` save's own fdatasync of memory.ram is left out here, timed to the
// progress line that starts it). Save + sync: to the bytes on the disk (`state`: the state file
// fdatasync'd after; `file`: Guestbay's whole save, which syncs memory.ram), against `dd
// conv=fdatasync`. Restore: from the request to the guest running again, from the disk (the
// files synced and their cached pages dropped — `dd iflag=nocache count=0`, no root needed; with
// the RAM in a file the guest's pages then fault in as it touches them, after the clock stops)
// and from the page cache. BENCH_MODES=state,file picks the modes (both by default).
import { execa } from 'execa';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'vitest';
import { readRecord } from '../src/main/vm/runtime-files';
import { directIoWorks } from '../src/main/vm/direct-io';
import { savedPaths } from '../src/main/vm/saved-state';
import { guestWorld } from '../test/helpers/guests';
import { ddRound, uncache } from './dd-floor';
import { median, ms, until } from './stats';

type World = Awaited<ReturnType<typeof guestWorld>>;

interface Numbers {
  save: number[];
  saveSynced: number[];
  restore: number[];
  restoreCold: number[];
  bytes: number;
  /** `file`: what the kernel must write back while the idle guest runs 20 s (QEMU's write_bytes). */
  idleWrittenMiB?: number;
}

async function measure(w: World, name: string, memoryFile: boolean, RUNS: number, FILL_MIB: number): Promise<Numbers> {
  await w.create(name, { memoryMiB: 2048, append: `gb.mem=${FILL_MIB}`, memoryFile });
  const sup = w.supervisor();
  const dir = w.store.dirs(name).dir;
  const ramFile = join(dir, 'memory.ram');
  // The moment the file save starts syncing memory.ram: the save without its sync ends there.
  let syncStarted = 0;
  sup.onEvent((e) => {
    if (e.type === 'progress' && e.name === name && e.operation === 'save' && /memory file to the disk/.test(e.message)) syncStarted = performance.now();
  });
  const n: Numbers = { save: [], saveSynced: [], restore: [], restoreCold: [], bytes: 0 };
  try {
    await sup.start(name, { headless: true });
    // Bounded below the test's own timeout, so a guest that never fills is still ended (finally).
    await until(async () => /GB:MEM-(FILLED|ERROR)/.test(await w.serial(name)) || (await sup.status(name)).state !== 'running', 20 * 60_000, 500).catch(() => undefined);
    if (!(await w.serial(name)).includes(`GB:MEM-FILLED ${FILL_MIB}`)) {
      throw new Error(`the guest did not fill its memory; last lines:\n${(await w.serial(name)).split('\n').slice(-8).join('\n')}`);
    }
    if (memoryFile) {
      const rec = await readRecord(w.store.dirs(name).runtimeDir);
      const pid = Number((await readFile(rec!.plan.runtime.pidFile, 'utf8')).trim());
      const written = async () => Number(/write_bytes: (\d+)/.exec(await readFile(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
      const w0 = await written();
      await new Promise((r) => setTimeout(r, 20_000));
      n.idleWrittenMiB = ((await written()) - w0) / 2 ** 20;
    }
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await sup.save(name);
      const end = performance.now();
      n.save.push((memoryFile ? syncStarted : end) - t0);
      if (memoryFile) n.saveSynced.push(end - t0);
      else {
        // The state file on the disk: what makes a save survive a power cut.
        await execa('sync', ['--data', savedPaths(dir).state]);
        n.saveSynced.push(performance.now() - t0);
      }
      n.bytes = (await stat(savedPaths(dir).state)).size;
      t0 = performance.now();
      await sup.restore(name, { headless: true });
      n.restore.push(performance.now() - t0);
      await sup.save(name);
      await uncache(savedPaths(dir).state);
      if (memoryFile) await uncache(ramFile);
      t0 = performance.now();
      await sup.restore(name, { headless: true });
      n.restoreCold.push(performance.now() - t0);
    }
  } finally {
    await sup.stop(name, { force: true }).catch(() => undefined);
    await sup.detach();
  }
  return n;
}

it('save-restore-2g', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 3);
  const FILL_MIB = Number(process.env.BENCH_FILL_MIB ?? 1536);
  const modes = (process.env.BENCH_MODES ?? 'state,file').split(',');
  const w = await guestWorld('gb-bench-2g-');
  try {
    const caps = await w.probe();
    const results: [string, Numbers][] = [];
    if (modes.includes('state')) results.push(['state', await measure(w, 'big', false, RUNS, FILL_MIB)]);
    if (modes.includes('file')) results.push(['file', await measure(w, 'bigfile', true, RUNS, FILL_MIB)]);

    // The floor, on the same disk: as many MiB as the RAM-in-the-state file held (the data the guest holds).
    const dir = w.store.dirs(modes.includes('state') ? 'big' : 'bigfile').dir;
    const floorBytes = results.find(([m]) => m === 'state')?.[1].bytes ?? FILL_MIB * 2 ** 20;
    const mib = Math.ceil(floorBytes / 2 ** 20);
    const f = join(dir, 'dd-floor.bin');
    const dd = { write: [] as number[], writeSynced: [] as number[], read: [] as number[], readCold: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const r = await ddRound(f, mib);
      dd.write.push(r.write!);
      dd.writeSynced.push(r.writeSynced);
      dd.read.push(r.read);
      dd.readCold.push(r.readCold);
    }

    // direct-io where QEMU has it and the folder's file system takes O_DIRECT (as the save decides).
    const directIo = Boolean(caps.qemu?.directIo) && (await directIoWorks(join(dir, 'dio-probe'), 'out'));
    await rm(join(dir, 'dio-probe'), { force: true });
    const format = caps.qemu?.mappedRam ? `mapped-ram + multifd${directIo ? ' + direct-io' : ''} (file:)` : caps.qemu?.fileMigration ? 'stream (file:)' : 'stream (exec:cat)';
    // On tmpfs (the QEMU 10 chroot's /tmp) there is no disk: every "disk" figure is a memory copy.
    const fsType = (await execa('stat', ['-f', '-c', '%T', dir])).stdout.trim();
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
    const line = (what: string, xs: number[], floor: number[], floorName: string) =>
      console.log(`  ${what.padEnd(30)}${ms(median(xs)).padStart(11)}   ${floorName} ${ms(median(floor)).padStart(10)}   ratio ${(median(xs) / median(floor)).toFixed(2)}×   (runs: ${runs(xs)} / ${runs(floor)})`);
    console.log(`2 GiB guest holding ${FILL_MIB} MiB of data (median of ${RUNS}, QEMU ${caps.qemu?.version}; the guest's folder on ${fsType}; dd moves ${mib} MiB; load at the end: ${(await readFile('/proc/loadavg', 'utf8')).trim()}):`);
    for (const [mode, n] of results) {
      console.log(mode === 'state' ? `RAM in the saved state, ${format}, state file ${(n.bytes / 2 ** 30).toFixed(2)} GiB:` : `memory in a file (memory.ram + x-ignore-shared, stream), state file ${(n.bytes / 2 ** 20).toFixed(2)} MiB:`);
      line('save (page cache)', n.save, dd.write, 'dd write        ');
      line('save + sync', n.saveSynced, dd.writeSynced, 'dd conv=fdatasync');
      line('restore from the disk', n.restoreCold, dd.readCold, 'dd read (disk)  ');
      line('restore from the page cache', n.restore, dd.read, 'dd read (cache) ');
      if (n.idleWrittenMiB !== undefined) console.log(`  while running: ${n.idleWrittenMiB.toFixed(1)} MiB of RAM written to the disk in 20 s of the idle guest (QEMU's write_bytes)`);
    }
  } finally {
    await w.cleanup();
  }
}, 60 * 60_000);
