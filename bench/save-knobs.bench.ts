// QEMU's migration knobs on a mapped-ram save/restore of a 2 GiB guest holding 1.5 GiB, through
// Guestbay's real save and restore, with extra `migrate-set-parameters` sent after Guestbay's own
// (a wrapped setSaveFormat). One guest, the configurations interleaved (each once per round,
// the `dd` floors once per round: the machine is shared). Run in the QEMU 10 chroot with the
// guest folder on a disk: scripts/qemu10/run.sh env TMPDIR=/var/tmp node
// node_modules/vitest/vitest.mjs run --project bench bench/save-knobs.bench.ts
// GUESTBAY_BENCH_CONFIGS=guestbay,base,... picks configurations (CONFIGS), GUESTBAY_BENCH_RUNS
// the rounds, GUESTBAY_BENCH_FILL_MIB the data the guest holds.
import { execa } from 'execa';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { it, vi } from 'vitest';
import { savedPaths } from '../src/main/vm/saved-state';
import { guestWorld } from '../test/helpers/guests';
import { ddRound, uncache } from './dd-floor';
import { median, until } from './stats';

type Params = Record<string, unknown>;
const extra: { out: Params; in: Params } = { out: {}, in: {} };

vi.mock('../src/main/qemu/qmp/commands', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../src/main/qemu/qmp/commands')>();
  return {
    ...orig,
    setSaveFormat: async (...args: Parameters<typeof orig.setSaveFormat>) => {
      const [client, , , direction] = args;
      await orig.setSaveFormat(...args);
      const p = extra[direction];
      if (Object.keys(p).length) await client.execute('migrate-set-parameters', p);
    },
  };
});

// Each sets both knobs explicitly (Guestbay's own choice on QEMU 9.1+ is direct-io with 4-8
// threads where the folder takes O_DIRECT: `guestbay` sends nothing more).
const both = (p: Params) => ({ out: p, in: p });
const CONFIGS: Record<string, { out: Params; in: Params }> = {
  guestbay: { out: {}, in: {} },
  base: both({ 'direct-io': false, 'multifd-channels': 2 }),
  ch1: both({ 'direct-io': false, 'multifd-channels': 1 }),
  ch4: both({ 'direct-io': false, 'multifd-channels': 4 }),
  ch8: both({ 'direct-io': false, 'multifd-channels': 8 }),
  dio: both({ 'direct-io': true, 'multifd-channels': 2 }),
  'dio-ch1': both({ 'direct-io': true, 'multifd-channels': 1 }),
  'dio-ch4': both({ 'direct-io': true, 'multifd-channels': 4 }),
  'dio-ch8': both({ 'direct-io': true, 'multifd-channels': 8 }),
  // A file written with O_DIRECT read without it, and the other way round.
  'dio-out': { out: { 'direct-io': true, 'multifd-channels': 2 }, in: { 'direct-io': false, 'multifd-channels': 2 } },
  'dio-in': { out: { 'direct-io': false, 'multifd-channels': 2 }, in: { 'direct-io': true, 'multifd-channels': 2 } },
  // Zero pages found by the main thread (legacy) or not at all (written as data).
  'zp-none': { out: { 'direct-io': false, 'multifd-channels': 2, 'zero-page-detection': 'none' }, in: { 'direct-io': false, 'multifd-channels': 2 } },
  'zp-legacy': { out: { 'direct-io': false, 'multifd-channels': 2, 'zero-page-detection': 'legacy' }, in: { 'direct-io': false, 'multifd-channels': 2 } },
};

const load = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
const f0 = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');

it('save-knobs', async () => {
  const RUNS = Number(process.env.GUESTBAY_BENCH_RUNS ?? 3);
  const FILL_MIB = Number(process.env.GUESTBAY_BENCH_FILL_MIB ?? 1536);
  const names = (process.env.GUESTBAY_BENCH_CONFIGS ?? 'guestbay,base,ch4,dio,dio-ch4,dio-ch8').split(',');
  const w = await guestWorld('gb-bench-knobs-');
  const name = 'big';
  try {
    const caps = await w.probe();
    await w.create(name, { memoryMiB: 2048, append: `gb.mem=${FILL_MIB}` });
    const sup = w.supervisor();
    const dir = w.store.dirs(name).dir;
    const state = savedPaths(dir).state;
    const fsType = (await execa('stat', ['-f', '-c', '%T', dir])).stdout.trim();
    console.log(`QEMU ${caps.qemu?.version}, folder on ${fsType}, fill ${FILL_MIB} MiB, runs ${RUNS}`);
    try {
      await sup.start(name, { headless: true });
      await until(async () => /GB:MEM-(FILLED|ERROR)/.test(await w.serial(name)), 20 * 60_000, 500);
      const f = join(dir, 'dd-floor.bin');
      // Interleaved: every configuration once per round, the floors once per round.
      type N = { saveSynced: number[]; restore: number[]; restoreCold: number[]; bytes: number; err: string; loads: string[] };
      const res = new Map<string, N>(names.map((c) => [c, { saveSynced: [], restore: [], restoreCold: [], bytes: 0, err: '', loads: [] }]));
      const dd = { sync: [] as number[], read: [] as number[], cold: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        for (const c of names) {
          const cfg = CONFIGS[c];
          if (!cfg) throw new Error(`no config ${c}`);
          const n = res.get(c)!;
          if (n.err) continue;
          n.loads.push(await load());
          try {
            extra.out = cfg.out;
            extra.in = cfg.in;
            let t0 = performance.now();
            await sup.save(name);
            await execa('sync', ['--data', state]);
            n.saveSynced.push(performance.now() - t0);
            n.bytes = (await stat(state)).size;
            t0 = performance.now();
            await sup.restore(name, { headless: true });
            n.restore.push(performance.now() - t0);
            await sup.save(name);
            await uncache(state);
            t0 = performance.now();
            await sup.restore(name, { headless: true });
            n.restoreCold.push(performance.now() - t0);
          } catch (e) {
            n.err = (e as Error).message;
            extra.out = {};
            extra.in = {};
            if ((await sup.status(name)).state !== 'running') await sup.restore(name, { headless: true }).catch(() => sup.start(name, { headless: true }));
          }
        }
        const bytes = [...res.values()].find((n) => n.bytes)?.bytes ?? 2 ** 31;
        const r = await ddRound(f, bytes / 2 ** 20, { plainWrite: false });
        dd.sync.push(r.writeSynced);
        dd.read.push(r.read);
        dd.cold.push(r.readCold);
        console.log(`round ${i + 1} done, load ${await load()}`);
      }
      const r = (a: number[], b: number[]) => `${median(a).toFixed(0)} / ${median(b).toFixed(0)} = ${(median(a) / median(b)).toFixed(2)}x (${f0(a)})`;
      console.log(`floors: dd fdatasync ${f0(dd.sync)}; dd read disk ${f0(dd.cold)}; dd read cache ${f0(dd.read)}`);
      for (const [c, n] of res) {
        const cfg = CONFIGS[c]!;
        console.log(`[${c}] out ${JSON.stringify(cfg.out)} in ${JSON.stringify(cfg.in)}; loads ${n.loads.join(' | ')}; state ${(n.bytes / 2 ** 30).toFixed(2)} GiB${n.err ? `; FAILED: ${n.err}` : ''}`);
        if (n.saveSynced.length) {
          console.log(`   save+sync      ${r(n.saveSynced, dd.sync)}`);
          console.log(`   restore disk   ${r(n.restoreCold, dd.cold)}`);
          console.log(`   restore cache  ${r(n.restore, dd.read)}`);
        }
      }
    } finally {
      await sup.stop(name, { force: true }).catch(() => undefined);
      await sup.detach();
    }
  } finally {
    await w.cleanup();
  }
}, 60 * 60_000);
