// Guestbay's start path against starting the same QEMU command by hand, both measured from
// spawn to QMP answering (the floor for any launcher). Prints the ratio; the aim is ≤ 1.1×.
import { execa } from 'execa';
import { join } from 'node:path';
import { it } from 'vitest';
import { buildLaunchPlan } from '../src/main/qemu/plan';
import { QmpClient } from '../src/main/qemu/qmp';
import { runPrepare } from '../src/main/vm/prepare';
import { waitGone } from '../src/main/vm/process-info';
import { ROOT } from '../test/helpers/cli';
import { guestWorld } from '../test/helpers/guests';
import { desktopEnv, extraCertsSet, nodeKind } from './node-env';
import { median, ms } from './stats';

it('start-overhead', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 9);
  const w = await guestWorld('gb-bench-start-');
  try {
    await w.create('bench');
    const sup = w.supervisor();
    const caps = await w.probe(); // the app probes once at start-up; not part of starting a guest
    const config = await w.store.get('bench');
    const d = w.store.dirs('bench');
    const plan = buildLaunchPlan(config, caps, { vmDir: d.dir, runtimeDir: d.runtimeDir, logDir: d.logDir, headless: true });
    await runPrepare(plan);

    const byHand: number[] = [];
    const guestbay: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      // By hand: the same argv, spawned and connected to, nothing else.
      let t0 = performance.now();
      const child = execa(plan.binary, plan.args, { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', reject: false });
      const client = await QmpClient.connect(plan.runtime.qmpSocket, { timeoutMs: 20_000, retryForMs: 20_000, retryIntervalMs: 1 });
      await client.execute('query-status');
      const hand = performance.now() - t0;
      await client.execute('quit').catch(() => {});
      await child;

      // Guestbay: load the guest, plan, check, lock, prepare, spawn, connect, read the state.
      t0 = performance.now();
      const st = await sup.start('bench', { headless: true });
      const gb = performance.now() - t0;
      await sup.stop('bench', { force: true });
      if (st.pid) await waitGone(st.pid, 5000);
      if (i > 0) {
        // The first round warms caches (page cache, the dynamic loader): not counted.
        byHand.push(hand);
        guestbay.push(gb);
      }
    }
    const h = median(byHand);
    const g = median(guestbay);
    console.log(`start → QMP ready (median of ${RUNS}, ${caps.accel.toUpperCase()}, QEMU ${caps.qemu?.version}):`);
    console.log(`  by hand   ${ms(h)}`);
    console.log(`  Guestbay  ${ms(g)}`);
    console.log(`  ratio     ${(g / h).toFixed(2)}× (aim ≤ 1.10×)`);
  } finally {
    await w.cleanup();
  }
});

// Issue 18: `guestbay start` as a whole process (Node's start-up, the probe from its caches,
// the plan, the start) against the command `guestbay cmdline` prints, pasted into bash, both
// from spawn to QMP answering. The aim is ≤ 3×: Node's own start-up and little more.
it('guestbay start (whole process) vs its printed command by hand', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 7);
  const w = await guestWorld('gb-bench-cli-start-');
  try {
    await w.create('bench');
    const caps = await w.probe();
    // Run as from a desktop session (bench/node-env.ts: this machine's NODE_EXTRA_CA_CERTS costs every Node process ~70 ms).
    const gb = (args: string[], env = desktopEnv(w.env)) => execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), ...args], { env, extendEnv: false, stdin: 'ignore' });
    const pasted = (await gb(['cmdline', 'bench', '--headless'])).stdout;
    const qmp = /-qmp '?unix:([^,' ]+)/.exec(pasted)?.[1];
    if (!qmp) throw new Error(`no QMP socket in the printed command:\n${pasted}`);
    const byHand: number[] = [];
    const whole: number[] = [];
    const withCerts: number[] = [];
    const nodeAlone: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      let t0 = performance.now();
      const child = execa('bash', ['-c', pasted], { env: w.env, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', reject: false });
      const client = await QmpClient.connect(qmp, { timeoutMs: 20_000, retryForMs: 20_000, retryIntervalMs: 1 });
      await client.execute('query-status');
      const hand = performance.now() - t0;
      await client.execute('quit').catch(() => {});
      await child;

      t0 = performance.now();
      await gb(['start', 'bench', '--headless']);
      const g = performance.now() - t0;
      await gb(['stop', 'bench', '--force']);
      let c = 0;
      if (extraCertsSet) {
        t0 = performance.now();
        await gb(['start', 'bench', '--headless'], w.env);
        c = performance.now() - t0;
        await gb(['stop', 'bench', '--force']);
      }
      t0 = performance.now();
      await execa(process.execPath, ['-e', '0'], { env: desktopEnv(w.env), extendEnv: false });
      const n = performance.now() - t0;
      if (i > 0) {
        byHand.push(hand);
        whole.push(g);
        nodeAlone.push(n);
        if (extraCertsSet) withCerts.push(c);
      }
    }
    const h = median(byHand);
    const g = median(whole);
    console.log(`spawn → QMP ready (median of ${RUNS}, ${caps.accel.toUpperCase()}, QEMU ${caps.qemu?.version}):`);
    console.log(`  printed command by hand   ${ms(h)}   (runs: ${byHand.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  guestbay start (process)  ${ms(g)}   (runs: ${whole.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  ratio                     ${(g / h).toFixed(2)}× (aim ≤ 3×)`);
    console.log(`  node -e 0                 ${ms(median(nodeAlone))}   (${nodeKind()}): Guestbay's own part ${ms(g - median(nodeAlone) - h)} beyond Node's start and QEMU's`);
    if (extraCertsSet) console.log(`  with this machine's NODE_EXTRA_CA_CERTS: ${ms(median(withCerts))}, ${(median(withCerts) / h).toFixed(2)}×`);
  } finally {
    await w.cleanup();
  }
});
