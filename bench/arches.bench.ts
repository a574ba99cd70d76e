// An emulated ARM guest against an x86_64 guest, both under TCG on this host, each booting the
// same thing to the same point: Debian 12's own installer (its netboot kernel and initrd, UEFI
// direct kernel boot, 2 CPUs, 1 GiB) to its first question ("Select a language") on the serial
// console. Prints the ratio the wizard quotes (os/arch-table.ts `emulationSlowdown`).
//   npm run bench -- bench/arches.bench.ts          (BENCH_RUNS=1 by default: each boot is long)
import { mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { it } from 'vitest';
import { parseVmConfig } from '../src/shared/migrations';
import { createGuest } from '../src/main/vm/create';
import { guestWorld } from '../test/helpers/guests';
import { median, until } from './stats';

const DEBIAN_ARCH = { x86_64: 'amd64', aarch64: 'arm64' } as const;

/** The installer's kernel and initrd for one architecture, from Debian's netboot package (cached). */
async function installer(arch: keyof typeof DEBIAN_ARCH): Promise<{ kernel: string; initrd: string }> {
  const d = DEBIAN_ARCH[arch];
  const dir = join(process.env.GUESTBAY_TEST_GUEST_DIR ?? join(homedir(), '.cache/guestbay/test-guest'), `bench-installer-${d}`);
  const img = join(dir, `pkg/usr/lib/debian-installer/images/12/${d}/text/debian-installer/${d}`);
  if (!existsSync(join(img, 'linux'))) {
    await mkdir(dir, { recursive: true });
    await execa('apt-get', ['download', `debian-installer-12-netboot-${d}`], { cwd: dir });
    const deb = (await readdir(dir)).find((f) => f.endsWith('.deb'))!;
    await execa('dpkg', ['-x', deb, 'pkg'], { cwd: dir });
  }
  return { kernel: join(img, 'linux'), initrd: join(img, 'initrd.gz') };
}

it('arches', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 1);
  const w = await guestWorld('gb-bench-arches-');
  try {
    const plain = async (name: string) => (await w.serial(name)).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const guests = [
      { name: 'pc', preset: 'linux', arch: 'x86_64', console: 'ttyS0' },
      { name: 'arm', preset: 'linux-aarch64', arch: 'aarch64', console: 'ttyAMA0' },
    ] as const;
    const times: Record<string, number[]> = {};
    for (const g of guests) {
      const k = await installer(g.arch);
      await createGuest(w.store, { preset: g.preset, name: g.name, diskSize: '64M', kernel: k.kernel, initrd: k.initrd, append: `console=${g.console},115200 ---` });
      const c = await w.store.get(g.name);
      // The same firmware path for both: UEFI starting the kernel directly.
      await w.store.update(parseVmConfig({ ...c, firmware: 'uefi', cpu: { cores: 2, model: 'auto' }, memoryMiB: 1024, audio: { device: 'none', backend: 'none' } }));
      times[g.name] = [];
    }
    const sup = w.supervisor();
    for (let i = 0; i < RUNS; i++) {
      for (const g of guests) {
        const t0 = performance.now();
        await sup.start(g.name, { headless: true, accel: 'tcg' });
        await until(async () => /Select a language/.test(await plain(g.name)), 40 * 60_000, 500);
        times[g.name]!.push(performance.now() - t0);
        await sup.stop(g.name, { force: true });
      }
    }
    const caps = await w.probe();
    const pc = median(times.pc!);
    const arm = median(times.arm!);
    console.log(`Debian 12's installer to its first question, TCG, UEFI direct kernel boot, 2 CPUs, 1 GiB (median of ${RUNS}, QEMU ${caps.qemu?.version}):`);
    console.log(`  x86_64   ${(pc / 1000).toFixed(1)} s`);
    console.log(`  aarch64  ${(arm / 1000).toFixed(1)} s`);
    console.log(`  ratio    ${(arm / pc).toFixed(2)}× (aarch64 / x86_64)`);
  } finally {
    await w.cleanup();
  }
}, 4 * 60 * 60_000);
