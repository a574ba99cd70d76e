// Issue 19 against the real QEMUs (7.2 here, 10 in the chroot): the USB-by-port, IVSHMEM (Looking
// Glass) and evdev arguments the plan writes are ones QEMU takes. No GPU, no /dev/input and no
// KVM here: the guest starts paused under TCG with USB and IVSHMEM, its monitor is reached and
// asked what it made; an evdev node that is not there gets QEMU's own error, which Guestbay
// explains.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHost } from '../../../src/main/host/probe';
import { buildLaunchPlan } from '../../../src/main/qemu/plan';
import { lookingGlassShmFile } from '../../../src/main/qemu/plan/looking-glass';
import { QmpClient } from '../../../src/main/qemu/qmp';
import { LaunchError } from '../../../src/main/vm/session';
import { runPrepare } from '../../../src/main/vm/prepare';
import type { HostCaps } from '../../../src/shared/host-caps';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import type { VmConfig } from '../../../src/shared/vm-config';

let caps: HostCaps;
let dir: string;
const name = `lgtest-${process.pid}`;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-pt-'));
  caps = await probeHost({ useCache: false, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(lookingGlassShmFile(name), { force: true });
});

function plan(change: Partial<VmConfig>) {
  const { config } = buildPreset('linux', { name, host: { threads: 2, memoryMiB: 2048 } });
  const c = parseVmConfig({ ...config, firmware: 'bios', memoryMiB: 256, disks: [], media: [], sharedFolders: [], audio: { device: 'none', backend: 'none' }, ...change });
  return buildLaunchPlan(c, caps, { vmDir: join(dir, 'vm'), runtimeDir: join(dir, 'run'), logDir: join(dir, 'logs'), headless: true, paused: true });
}

describe(`passthrough arguments on this host's QEMU`, () => {
  it('USB by port and by vendor:product, and Looking Glass\'s IVSHMEM: QEMU starts paused and has them', async () => {
    const p = plan({
      usb: {
        controller: 'xhci',
        hostDevices: [
          { vendorId: '046d', productId: 'c31c', port: { bus: 1, path: '2' } },
          { vendorId: '046d', productId: 'c31c', port: { bus: 3, path: '1.3' } },
          { vendorId: '0781', productId: '5581' },
        ],
      },
      lookingGlass: { memory: 'shm', width: 2560, height: 1440 },
    });
    expect(p.args).toContain('memory-backend-file,id=looking-glass,mem-path=' + lookingGlassShmFile(name) + ',size=64M,share=on');
    expect(p.warnings.map((w) => w.id)).toContain('looking-glass-no-gpu');
    await runPrepare(p);
    const proc = execa(p.binary, p.args, { reject: false });
    try {
      const qmp = await QmpClient.connect(p.runtime.qmpSocket, { timeoutMs: 30_000, retryForMs: 30_000 });
      expect(await qmp.execute('query-status')).toMatchObject({ status: 'prelaunch' });
      const peripherals = (await qmp.execute<{ name: string }[]>('qom-list', { path: '/machine/peripheral' })).map((x) => x.name);
      expect(peripherals).toEqual(expect.arrayContaining(['usbhost-port1-2', 'usbhost-port3-1.3', 'usbhost-0781-5581', 'looking-glass-dev']));
      expect(await qmp.execute('qom-get', { path: '/machine/peripheral/usbhost-port3-1.3', property: 'hostport' })).toBe('1.3');
      expect(await qmp.execute('qom-get', { path: '/objects/looking-glass', property: 'size' })).toBe(64 * 1024 * 1024);
      await qmp.execute('quit').catch(() => {});
    } finally {
      proc.kill('SIGKILL');
      await proc;
    }
  });

  it('evdev: QEMU takes input-linux with its toggle, and a node that is not there gets QEMU\'s error and Guestbay\'s reading of it', async () => {
    const missing = '/dev/input/by-id/guestbay-test-missing-event-kbd';
    const p = plan({ input: { keyboard: 'usb', pointer: 'usb-tablet', evdev: { keyboard: missing, mouse: '/dev/input/by-id/guestbay-test-missing-event-mouse', toggle: 'scrolllock' } } });
    expect(p.args).toContain(`input-linux,id=evdev-kbd,evdev=${missing},grab_all=on,repeat=on,grab-toggle=scrolllock`);
    await runPrepare(p);
    const r = await execa(p.binary, p.args, { reject: false, timeout: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Could not open '${missing}': No such file or directory`);
    const e = new LaunchError('QEMU ended before it was ready', r.stderr.trim());
    expect(e.message).toContain(`The keyboard or mouse ${missing} is not there: it is unplugged, or its name under /dev/input/by-id changed.`);
    // A file that is not an input device: QEMU's other refusal, read too.
    const notEvdev = join(dir, 'not-an-input-device');
    await writeFile(notEvdev, '');
    const r2 = await execa(p.binary, ['-nodefaults', '-S', '-machine', 'none', '-display', 'none', '-object', `input-linux,id=k,evdev=${notEvdev},grab-toggle=ctrl-ctrl`], { reject: false, timeout: 30_000 });
    expect(r2.stderr).toContain(`${notEvdev}: is not an evdev device`);
    expect(new LaunchError('QEMU ended before it was ready', r2.stderr).message).toContain(`${notEvdev} is not an input device`);
  });
});
