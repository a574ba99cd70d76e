// Export on real QEMU (7.2 here, 10 in the chroot): the script `guestbay export --script` writes,
// run on its own by bash, boots the tiny guest under TCG and its serial console says what it says
// under Guestbay's own start; `--libvirt` writes a domain that libvirt's schema accepts.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Supervisor } from '../../../src/main/vm/supervisor';
import { cli } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let sup: Supervisor;
const NAME = 'exported';

/** What the guest reported, without its heartbeat (its count depends on how long it ran) and with
 *  MemTotal's number left to `memKb`: the kernel's own reservations differ by a page or so from one
 *  boot to the next (QEMU 10's CI run saw 222608 then 222604 kB for the same 256 MiB). */
const report = (serial: string) =>
  serial
    .split(/\r?\n/)
    .filter((l) => l.startsWith('GB:') && !l.startsWith('GB:TICK'))
    .map((l) => l.replace(/^GB:MEM \d+$/, 'GB:MEM'))
    .join('\n');
const memKb = (serial: string) => Number(/^GB:MEM (\d+)\r?$/m.exec(serial)?.[1] ?? NaN);

async function waitForReady(timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await w.serial(NAME);
    if (/GB:READY/.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`no GB:READY; serial:\n${s.split('\n').slice(-15).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  w = await guestWorld('gb-export-');
  sup = w.supervisor();
  await w.create(NAME);
});
afterAll(async () => {
  await w.cleanup();
});

describe('export', () => {
  it('the launch script, run on its own, boots the guest as Guestbay does', async () => {
    await sup.start(NAME, { accel: 'tcg', headless: true });
    const first = await waitForReady();
    const ours = report(first);
    await sup.stop(NAME, { timeoutMs: 30_000 });
    expect(ours).toMatch(/GB:BOOT[\s\S]*GB:DISK vda [\s\S]*GB:NET eth0 10\.0\.2\.15\/24[\s\S]*GB:READY/);

    const script = join(w.home, 'exported.sh');
    const r = await cli(['export', NAME, '--script', '--headless', '--accel', 'tcg', '--output', script], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(script)).mode & 0o777).toBe(0o700);
    const text = await readFile(script, 'utf8');
    expect(text).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(text).toMatch(/\nexec \S*qemu-system-x86_64 /);

    // Guestbay is not involved from here: bash runs the file with the user's environment. The
    // first run's serial log goes first, so only what the script's QEMU writes is read.
    await rm(join(w.store.dirs(NAME).logDir, 'serial.log'));
    const run = execa('bash', [script], { env: w.env, reject: false, stdin: 'ignore' });
    try {
      const second = await waitForReady();
      expect(report(second)).toBe(ours);
      // The same memory, give or take the kernel's page or two.
      expect(Math.abs(memKb(second) - memKb(first))).toBeLessThan(1024);
    } finally {
      run.kill('SIGTERM');
      await run;
    }
    // Guestbay sees the guest as stopped again (QEMU ended, nothing of it left behind).
    expect((await sup.status(NAME)).state).toBe('stopped');
  });

  it('with a virtiofs share, the script starts virtiofsd first, as Guestbay does, and ends it with QEMU', async () => {
    const name = 'exported-share';
    const { share } = await w.create(name, { share: true });
    const serialOf = () => readFile(join(w.store.dirs(name).logDir, 'serial.log'), 'utf8').catch(() => '');
    const ready = async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const s = await serialOf();
        if (/GB:READY/.test(s)) return report(s);
        if (Date.now() > deadline) throw new Error(`no GB:READY; serial:\n${s.split('\n').slice(-15).join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await sup.start(name, { accel: 'tcg', headless: true });
    const ours = await ready();
    await sup.stop(name, { timeoutMs: 30_000 });
    expect(ours).toMatch(/GB:SHARE-READ share-exported-share hello from the host/);
    // The guest wrote into the share: as it was before, so both runs see the same folder.
    await rm(join(share, 'from-guest.txt'));
    await rm(join(w.store.dirs(name).logDir, 'serial.log'));

    const script = join(w.home, 'exported-share.sh');
    const r = await cli(['export', name, '--script', '--headless', '--accel', 'tcg', '--output', script], w.env);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(script, 'utf8');
    expect(text).toMatch(/\S*virtiofsd .*&\nsidecars\+=\(\$!\)/);
    const run = execa('bash', [script], { env: w.env, reject: false, stdin: 'ignore' });
    const pidFile = join(w.store.dirs(name).runtimeDir, 'qemu.pid');
    try {
      expect(await ready()).toBe(ours);
    } finally {
      // QEMU runs in the script's foreground: end it, and the script's trap ends virtiofsd.
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      if (pid) process.kill(pid, 'SIGTERM');
      else run.kill('SIGTERM');
      await run;
    }
    const left = await execa('pgrep', ['-f', join(w.store.dirs(name).runtimeDir, '')], { reject: false });
    expect(left.stdout.trim(), 'a sidecar outlived the script').toBe('');
  });

  it('--libvirt writes a domain libvirt\'s schema accepts, and says what it does not carry', async () => {
    const file = join(w.home, 'exported.xml');
    const r = await cli(['export', NAME, '--libvirt', '--output', file], w.env);
    expect(r.code, r.stderr).toBe(0);
    const v = await execa('virt-xml-validate', [file, 'domain'], { reject: false, all: true });
    expect(v.exitCode, v.all).toBe(0);
    const xml = await readFile(file, 'utf8');
    expect(xml).toContain(`<source file='${join(w.store.dirs(NAME).dir, 'disk.qcow2')}'/>`);
    expect(xml).toContain('<kernel>');
    if ((await w.store.get(NAME)).firmware !== 'bios') expect(r.stderr).toMatch(/# not carried: the UEFI variables/);
    const refused = await cli(['export', NAME], w.env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/choose one: --script .* or --libvirt/);
  });
});
