// Issue 5's acceptance for `guestbay macos prepare` on this host (AMD, no usable KVM): the real
// command against local stand-ins for Apple's recovery service and OpenCorePkg's release, the
// real mtools and qemu-img, and the guest it makes started paused by this machine's QEMU.
// Then `guestbay macos finish`: recovery detached, OpenCore booting the installed disk.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCaps, type HostCaps } from '../../../src/shared/host-caps';
import type { VmConfig } from '../../../src/shared/vm-config';
import { readFatFile } from '../../../src/main/macos/disk/fat-disk';
import type { LaunchPlan } from '../../../src/main/qemu/plan';
import { guestbay, tempHome } from '../../helpers/cli';
import { startFakeSources, type FakeSources } from './fake-sources';

let t: Awaited<ReturnType<typeof tempHome>>;
let fake: FakeSources;
let caps: HostCaps;
const vms = () => join(t.env.XDG_DATA_HOME!, 'guestbay/vms');

beforeAll(async () => {
  t = await tempHome('gb-macprep-');
  fake = await startFakeSources();
  caps = hostCaps.parse(JSON.parse((await guestbay(['probe', '--json'], t.env)).stdout));
});
afterAll(async () => {
  await guestbay(['stop', 'mac', '--force'], t.env);
  await fake.stop();
  await t.cleanup();
});

const run = (args: string[]) => guestbay(args, t.env);
const config = async (name: string): Promise<VmConfig> => JSON.parse(await readFile(join(vms(), name, 'vm.json'), 'utf8'));

describe('guestbay macos prepare', () => {
  it('refuses bad input before downloading anything, and writes nothing', async () => {
    const unknown = await run(['macos', 'prepare', '--release', 'lion', '--name', 'mac', ...fake.flags]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/"lion" is not a macOS release Guestbay knows: high-sierra, .*tahoe/);
    const half = await run(['macos', 'prepare', '--release', 'sonoma', '--name', 'mac', '--opencore-url', 'http://127.0.0.1:1/x.zip']);
    expect(half.stderr).toMatch(/--opencore-url and --opencore-sha256 go together/);
    const badName = await run(['macos', 'prepare', '--release', 'sonoma', '--name', '../evil', '--allow-tcg', ...fake.flags]);
    expect(badName.exitCode).toBe(1);
    expect(badName.stderr).toMatch(/name:/);
    const badSize = await run(['macos', 'prepare', '--release', 'sonoma', '--name', 'mac', '--disk-size', 'lots', '--allow-tcg', ...fake.flags]);
    expect(badSize.stderr).toMatch(/diskSize:/);
    const badRes = await run(['macos', 'prepare', '--release', 'sonoma', '--name', 'mac', '--resolution', '100x100', '--allow-tcg', ...fake.flags]);
    expect(badRes.stderr).toMatch(/resolution: 100×100 is not a screen size/);
    if (caps.accel === 'tcg') {
      // No KVM: allowed only when asked for, after the warning.
      const tcg = await run(['macos', 'prepare', '--release', 'sonoma', '--name', 'mac', ...fake.flags]);
      expect(tcg.exitCode).toBe(1);
      expect(tcg.stderr).toMatch(/No KVM: macOS will be extremely slow/);
      expect(tcg.stderr).toMatch(/--allow-tcg/);
    }
    expect(fake.apple.log).toEqual([]);
    expect(fake.openCoreRequests()).toBe(0);
    expect(await readdir(vms()).catch(() => [])).toEqual([]);
  });

  it('makes a guest from Apple\'s recovery and OpenCore that QEMU starts paused, with the TCG warning', async () => {
    // As a new user's settings have it (the test home opts out): the Guestbay folder in every new guest.
    expect((await run(['settings', 'set', 'new-guests-get-folder', 'yes'])).exitCode).toBe(0);
    const r = await run(['macos', 'prepare', '--release', 'sonoma', '--name', 'mac', '--disk-size', '2G', '--resolution', '1440x900', '--allow-tcg', ...fake.flags]);
    expect(r.exitCode, r.stderr).toBe(0);
    if (caps.accel === 'tcg') expect(r.stderr).toMatch(/!!!!+\n!! No KVM: macOS will be extremely slow\n!! .*\n/);
    // Said before the long steps, not after them.
    if (caps.accel === 'tcg') expect(r.stderr.indexOf('!! No KVM')).toBeLessThan(r.stderr.indexOf('[2/5]'));
    expect(r.stderr).toMatch(/\[1\/5\] .*\n(.|\n)*\[2\/5\] Asking http:\/\/127\.0\.0\.1:\d+\/ for macOS Sonoma(.|\n)*BaseSystem\.dmg: 3\.0 MiB of 3\.0 MiB \(100%\)(.|\n)*\[5\/5\] Creating "mac"/);
    expect(r.stdout).toMatch(/^Created "mac" \(macOS Sonoma\)/);
    expect(r.stdout).toMatch(/guestbay macos finish mac/);

    // The guest's folder holds exactly what it needs; nothing half-built is left beside it.
    expect((await readdir(join(vms(), 'mac'))).sort()).toEqual(['OpenCore.qcow2', 'Recovery.img', 'disk.qcow2', 'vm.json']);
    expect((await readdir(vms())).filter((f) => f.startsWith('.'))).toEqual([]);
    const c = await config('mac');
    expect(c.media.map((m) => [m.role, m.path])).toEqual([['bootloader', 'OpenCore.qcow2'], ['recovery', 'Recovery.img']]);
    expect(c.macos).toMatchObject({ model: 'iMacPro1,1', resolution: { width: 1440, height: 900 } });
    expect(c.display.resolution).toEqual({ width: 1440, height: 900 });
    expect(c.guestbayFolder).toBe(true);
    expect((await run(['settings', 'set', 'new-guests-get-folder', 'no'])).exitCode).toBe(0);

    // Apple's image and chunklist, byte for byte, where OpenCore looks for them.
    const recovery = join(vms(), 'mac', 'Recovery.img');
    expect((await readFatFile({ disk: recovery, format: 'raw', path: 'com.apple.recovery.boot/BaseSystem.dmg' })).equals(fake.image)).toBe(true);
    expect((await readFatFile({ disk: recovery, format: 'raw', path: 'com.apple.recovery.boot/BaseSystem.chunklist' })).subarray(0, 4).toString('latin1')).toBe('CNKL');
    // OpenCore's config carries this guest's identity and screen, and offers the installer.
    const plist = (await readFatFile({ disk: join(vms(), 'mac', 'OpenCore.qcow2'), format: 'qcow2', path: 'EFI/OC/config.plist' })).toString('utf8');
    expect(plist).toContain(`<string>${c.macos!.serial}</string>`);
    expect(plist).toMatch(/<key>Resolution<\/key>\s*<string>1440x900@32<\/string>/);
    expect(plist).toMatch(/<key>HideAuxiliary<\/key>\s*<false\/>/);
    expect(plist).toMatch(/<key>DmgLoading<\/key>\s*<string>Signed<\/string>/);

    // QEMU accepts it: started paused by the supervisor, QMP reached.
    const plan: LaunchPlan = JSON.parse((await run(['cmdline', 'mac', '--json', '--paused', '--headless'])).stdout);
    const args = plan.args.join(' ');
    expect(args).toMatch(/file=[^ ]*\/mac\/OpenCore\.qcow2,format=qcow2/);
    expect(args).toMatch(/file=[^ ]*\/mac\/Recovery\.img,format=raw,readonly=on|file=[^ ]*\/mac\/Recovery\.img,format=raw,snapshot=on/);
    const cpu = plan.args[plan.args.indexOf('-cpu') + 1]!;
    if (caps.cpu.vendor === 'amd' || caps.accel === 'tcg') expect(cpu).toMatch(/vendor=GenuineIntel/);
    expect(args).toMatch(/isa-applesmc,osk=/);
    const start = await run(['start', 'mac', '--paused', '--headless']);
    expect(start.exitCode, start.stderr).toBe(0);
    const st = JSON.parse((await run(['status', 'mac', '--json'])).stdout);
    expect(st).toMatchObject({ name: 'mac', state: 'paused', accel: caps.accel });
  });

  it('finishes the install only with the guest shut down: recovery detached, the installed disk booted', async () => {
    const busy = await run(['macos', 'finish', 'mac']);
    expect(busy.exitCode).toBe(1);
    expect(busy.stderr).toMatch(/"mac" is paused: shut macOS down first/);
    expect((await config('mac')).media.map((m) => m.role)).toEqual(['bootloader', 'recovery']);

    expect((await run(['stop', 'mac', '--force'])).exitCode).toBe(0);
    const done = await run(['macos', 'finish', 'mac']);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/boots the installed disk after 5 seconds/);
    expect(done.stdout).toMatch(/The recovery disk is detached/);
    expect((await config('mac')).media.map((m) => m.role)).toEqual(['bootloader']);
    const files = await readdir(join(vms(), 'mac'));
    expect(files).not.toContain('Recovery.img');
    expect(files).toEqual(expect.arrayContaining(['OpenCore.qcow2', 'disk.qcow2', 'vm.json']));
    const plist = (await readFatFile({ disk: join(vms(), 'mac', 'OpenCore.qcow2'), format: 'qcow2', path: 'EFI/OC/config.plist' })).toString('utf8');
    expect(plist).toMatch(/<key>HideAuxiliary<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>Timeout<\/key>\s*<integer>5<\/integer>/);
    expect(plist).toContain(`<string>${(await config('mac')).macos!.serial}</string>`);
    expect((await run(['cmdline', 'mac'])).stdout).not.toContain('Recovery.img');

    const again = await run(['macos', 'finish', 'mac']);
    expect(again.stdout).toMatch(/boots the installed disk after 5 seconds(.|\n)*No recovery disk was attached/);
  });
});
