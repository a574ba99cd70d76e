// `guestbay probe` as a whole process (Node's start-up included), warm (every cache trusted:
// QEMU's listings, the KVM check, tool versions, the virtiofsd start test) against cold
// (--no-cache: everything asked again), next to Node doing nothing. Issue 18 aims at a warm
// probe ≤ 120 ms.
import { execa } from 'execa';
import { join } from 'node:path';
import { it } from 'vitest';
import { ROOT, tempHome } from '../test/helpers/cli';
import { desktopEnv, extraCertsSet, nodeKind } from './node-env';
import { median, ms } from './stats';

it('probe warm vs cold', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 9);
  const t = await tempHome('gb-bench-probe-');
  try {
    const cli = join(ROOT, 'bin/guestbay.mjs');
    const desktop = desktopEnv(t.env);
    const time = async (args: string[], env = desktop) => {
      const t0 = performance.now();
      await execa(process.execPath, args, { env, extendEnv: false, stdout: 'ignore' });
      return performance.now() - t0;
    };
    await time([cli, 'probe']); // builds the bundle if a source changed, fills the caches
    const node: number[] = [];
    const warm: number[] = [];
    const cold: number[] = [];
    const nodeCerts: number[] = [];
    const warmCerts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(await time(['-e', '0']));
      warm.push(await time([cli, 'probe']));
      cold.push(await time([cli, 'probe', '--no-cache']));
      if (extraCertsSet) {
        nodeCerts.push(await time(['-e', '0'], t.env));
        warmCerts.push(await time([cli, 'probe'], t.env));
      }
    }
    console.log(`guestbay probe, whole process (median of ${RUNS}; a desktop's environment, bench/node-env.ts):`);
    console.log(`  node -e 0   ${ms(median(node))}   (${nodeKind()})`);
    console.log(`  warm        ${ms(median(warm))}   (aim ≤ 120 ms; runs: ${warm.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  cold        ${ms(median(cold))}   ratio warm/cold ${(median(warm) / median(cold)).toFixed(2)}×`);
    if (extraCertsSet) console.log(`  with this machine's NODE_EXTRA_CA_CERTS: node -e 0 ${ms(median(nodeCerts))}, warm ${ms(median(warmCerts))}`);
  } finally {
    await t.cleanup();
  }
});
