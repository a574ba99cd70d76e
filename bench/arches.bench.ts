// Emulated ARM and RISC-V guests against an x86_64 guest, all under TCG on this host, each pair
// booting the same thing to the same point. Prints the ratios the wizard quotes
// (os/arch-table.ts `emulationSlowdown`).
// - aarch64: Debian 12's own installer (its netboot kernel and initrd, UEFI direct kernel boot,
//   2 CPUs, 1 GiB) to its first question ("Select a language") on the serial console.
// - riscv64: Debian 12 has no riscv64 installer, so a Debian trixie kernel of each architecture
//   (linux-image-riscv64's and linux-image-amd64's) with a busybox initramfs that prints a marker,
//   direct kernel boot with QEMU's default firmware (OpenSBI, SeaBIOS), 2 CPUs, 1 GiB, to the
//   marker on the serial console. The riscv64 kernel is the riscv64 tests' (test/guest/
//   riscv64-kernel.sh); the amd64 one is fetched the same way, in the QEMU 10 chroot.
//   npm run bench -- bench/arches.bench.ts [-t riscv64]   (BENCH_RUNS=1 by default: each boot is long)
import { mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { it } from 'vitest';
import { parseVmConfig } from '../src/shared/migrations';
import { createGuest } from '../src/main/vm/create';
import { guestWorld } from '../test/helpers/guests';
import { ROOT } from '../test/helpers/cli';
import { riscvKernel } from '../test/helpers/riscv64';
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

/**
 * Debian trixie's amd64 kernel with the same one-line initramfs as the riscv64 tests' (its /init
 * prints GB:RISCV64-UP and the machine), fetched in the QEMU 10 chroot as riscv64-kernel.sh does;
 * cached beside it.
 */
async function trixieAmd64Kernel(): Promise<{ kernel: string; initrd: string }> {
  const dir = join(process.env.GUESTBAY_TEST_GUEST_DIR ?? join(homedir(), '.cache/guestbay/test-guest'), 'bench-trixie-amd64');
  if (!existsSync(join(dir, 'out/initrd.cpio.gz'))) {
    await mkdir(dir, { recursive: true });
    const script = [
      'set -euo pipefail',
      `cd ${JSON.stringify(dir)}`,
      'rm -rf k bb root out *.deb',
      'kpkg=$(apt-cache depends linux-image-amd64 | sed -n "s/^ *Depends: \\(linux-image-[^ ]*\\)$/\\1/p" | head -n1)',
      'apt-get download "$kpkg" busybox-static >&2',
      'dpkg -x linux-image-*.deb k && dpkg -x busybox-static_*.deb bb',
      'mkdir -p root/bin root/proc out && cp bb/usr/bin/busybox root/bin/ && ln -s busybox root/bin/sh',
      `printf '%s\\n' '#!/bin/sh' '/bin/busybox mount -t proc proc /proc' 'echo "GB:RISCV64-UP $(/bin/busybox uname -m) $(/bin/busybox uname -r)"' 'exec /bin/busybox sleep 2147483647' > root/init`,
      'chmod 0755 root/init',
      'cp "$(find k/boot -name "vmlinuz-*" | head -n1)" out/vmlinuz',
      '(cd root && find . | cpio -o -H newc --quiet | gzip -9) > out/initrd.cpio.gz',
    ].join('\n');
    await execa(join(ROOT, 'scripts/qemu10/run.sh'), ['bash', '-c', script]);
  }
  return { kernel: join(dir, 'out/vmlinuz'), initrd: join(dir, 'out/initrd.cpio.gz') };
}

it('riscv64', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 1);
  const rv = await riscvKernel();
  if (!rv) throw new Error('the riscv64 kernel could not be built (test/guest/riscv64-kernel.sh)');
  const pcKernel = await trixieAmd64Kernel();
  const w = await guestWorld('gb-bench-riscv-');
  try {
    const guests = [
      { name: 'pc', preset: 'linux', kernel: pcKernel, marker: /GB:RISCV64-UP x86_64/ },
      { name: 'rv', preset: 'linux-riscv64', kernel: rv, marker: /GB:RISCV64-UP riscv64/ },
    ] as const;
    const times: Record<string, number[]> = {};
    for (const g of guests) {
      await createGuest(w.store, { preset: g.preset, name: g.name, diskSize: '64M', kernel: g.kernel.kernel, initrd: g.kernel.initrd, append: 'console=ttyS0 panic=-1' });
      const c = await w.store.get(g.name);
      // QEMU's default firmware for both (SeaBIOS, OpenSBI) starting the kernel directly.
      await w.store.update(parseVmConfig({ ...c, firmware: 'bios', cpu: { cores: 2, model: 'auto' }, memoryMiB: 1024, audio: { device: 'none', backend: 'none' } }));
      times[g.name] = [];
    }
    const sup = w.supervisor();
    for (let i = 0; i < RUNS; i++) {
      for (const g of guests) {
        const t0 = performance.now();
        await sup.start(g.name, { headless: true, accel: 'tcg' });
        await until(async () => g.marker.test(await w.serial(g.name)), 40 * 60_000, 200);
        times[g.name]!.push(performance.now() - t0);
        await sup.stop(g.name, { force: true });
      }
    }
    const caps = await w.probe();
    const pc = median(times.pc!);
    const riscv = median(times.rv!);
    console.log(`Debian trixie's kernel to an initramfs marker, TCG, direct kernel boot (SeaBIOS / OpenSBI), 2 CPUs, 1 GiB (median of ${RUNS}, QEMU ${caps.qemu?.version}):`);
    console.log(`  x86_64   ${(pc / 1000).toFixed(1)} s`);
    console.log(`  riscv64  ${(riscv / 1000).toFixed(1)} s`);
    console.log(`  ratio    ${(riscv / pc).toFixed(2)}× (riscv64 / x86_64)`);
  } finally {
    await w.cleanup();
  }
}, 4 * 60 * 60_000);
