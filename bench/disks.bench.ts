// Disk images through Guestbay against qemu-img run directly (issue 16's bench):
// - conversion of the same 1 GiB raw image (512 MiB of random data, the rest sparse) to qcow2:
//   Guestbay's convertImage (measure, free-space check, -p progress parsed, written beside the
//   target and renamed) against `qemu-img convert` with nothing around it; the ratio is
//   direct time / Guestbay time (aim ≥ 0.97);
// - a linked clone of a guest whose disk is 20 GiB (aim: under a second), end to end (config,
//   overlay, UEFI variables, the guest's folder).
// Prints; asserts nothing. BENCH_RUNS sets the rounds.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { it } from 'vitest';
import { cloneGuest } from '../src/main/disks/bases';
import { convertImage } from '../src/main/images';
import { guestWorld } from '../test/helpers/guests';
import { median, ms } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

it('disks: conversion ratio and linked clone time', async () => {
  const w = await guestWorld('gb-bench-disks-');
  try {
    const src = join(w.home, 'src.raw');
    await execa('sh', ['-c', `head -c 512M /dev/urandom >${src} && truncate -s 1G ${src}`]);
    const direct: number[] = [];
    const guestbay: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a = join(w.home, `direct-${i}.qcow2`);
      let t0 = performance.now();
      await execa('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', src, a]);
      direct.push(performance.now() - t0);
      const b = join(w.home, `gb-${i}.qcow2`);
      let updates = 0;
      t0 = performance.now();
      await convertImage(src, b, { fromFormat: 'raw', toFormat: 'qcow2', onProgress: () => updates++ });
      guestbay.push(performance.now() - t0);
      await rm(a);
      await rm(b);
      if (i === 0) console.log(`  progress updates seen in one conversion: ${updates}`);
    }
    console.log(`conversion of 1 GiB raw (512 MiB data) → qcow2, median of ${RUNS}: qemu-img ${ms(median(direct))}, Guestbay ${ms(median(guestbay))}, ratio ${(median(direct) / median(guestbay)).toFixed(3)} (aim ≥ 0.97)`);

    await w.create('base');
    const disk = join(w.store.dirs('base').dir, 'disk.qcow2');
    await rm(disk);
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '20G']);
    const sup = w.supervisor();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await cloneGuest({ store: w.store, supervisor: sup }, 'base', `clone-${i}`, { linked: true });
      times.push(performance.now() - t0);
    }
    console.log(`linked clone of a guest with a 20 GiB disk, median of ${RUNS}: ${ms(median(times))} (first, which also makes the base: ${ms(times[0]!)}; aim < 1000 ms)`);
  } finally {
    await w.cleanup();
  }
}, 600_000);
