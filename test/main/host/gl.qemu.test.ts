// Issue 12 item 15 against the real QEMUs (7.2 here, 10 in the chroot; neither machine has a
// GPU): what the probe records for OpenGL matches what QEMU really does, QEMU's own refusals
// are the ones the plan now steers around, and a guest that asks for GL starts without it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHost } from '../../../src/main/host/probe';
import { GL_DEVICES } from '../../../src/main/qemu/probe/help';
import { buildLaunchPlan } from '../../../src/main/qemu/plan';
import { QmpClient } from '../../../src/main/qemu/qmp';
import { runPrepare } from '../../../src/main/vm/prepare';
import type { HostCaps } from '../../../src/shared/host-caps';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';

let caps: HostCaps;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-gl-'));
  caps = await probeHost({ useCache: false, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** QEMU started with `args` (CPUs stopped) and what it printed if it ended within 10 s. */
async function refusal(args: string[]): Promise<{ ended: boolean; stderr: string }> {
  const r = await execa(caps.qemu!.binary, ['-nodefaults', '-S', ...args], { reject: false, timeout: 10_000 });
  return { ended: !r.timedOut, stderr: r.stderr };
}

describe(`OpenGL on this host's QEMU`, () => {
  it('a GL device is recorded as creatable exactly when QEMU can create it, and QEMU says why not', async () => {
    for (const dev of GL_DEVICES) {
      const listed = caps.qemu!.devices.includes(dev);
      const r = await refusal(['-machine', 'q35', '-display', 'none', '-device', dev]);
      expect(r.ended).toBe(true);
      if (caps.qemu!.glDevices.includes(dev)) {
        // With its module, the refusal is the one the plan avoids: a GL device without a GL display.
        expect(r.stderr).toMatch(/opengl is not available|OpenGL/i);
      } else if (listed) {
        // QEMU 7.2 here lists it, then cannot make it.
        expect(r.stderr).toContain(`-device ${dev}: missing object type 'virtio-gpu-gl-device'`);
      } else {
        // QEMU 10 in the chroot, without the module, does not list it at all.
        expect(r.stderr).toContain(`-device ${dev}: '${dev}' is not a valid device model name`);
      }
    }
  });

  it('egl-headless is planned only on a render node: without one QEMU stops at start', async () => {
    expect(caps.renderNodes).toEqual([]); // no /dev/dri on these machines
    if (caps.qemu!.displays.includes('egl-headless')) {
      const r = await refusal(['-machine', 'none', '-display', 'egl-headless']);
      expect(r.stderr).toContain('egl: no drm render node available');
    } else {
      const r = await refusal(['-machine', 'none', '-display', 'egl-headless']);
      expect(r.stderr).toMatch(/Display 'egl-headless' is not available|Parameter 'type' does not accept value 'egl-headless'/);
    }
  });

  it('a guest that asks for GL, headless, gets a command QEMU starts (without GL, with the reason)', async () => {
    const { config } = buildPreset('linux', { name: 'gl', host: { threads: 2, memoryMiB: 2048 } });
    const c = parseVmConfig({ ...config, firmware: 'bios', memoryMiB: 256, disks: [], display: { device: 'virtio-vga', viewer: 'guestbay', gl: true }, audio: { device: 'none', backend: 'none' } });
    const run = join(dir, 'run');
    const plan = buildLaunchPlan(c, caps, { vmDir: join(dir, 'vm'), runtimeDir: run, logDir: join(dir, 'logs'), headless: true, paused: true });
    expect(plan.warnings.find((w) => w.id === 'display-gl')?.message).toMatch(/3D acceleration is off/);
    expect(plan.args).not.toContain('virtio-vga-gl');
    await runPrepare(plan);
    const proc = execa(plan.binary, plan.args, { reject: false });
    try {
      const qmp = await QmpClient.connect(plan.runtime.qmpSocket, { timeoutMs: 20_000, retryForMs: 20_000 });
      expect(await qmp.execute('query-status')).toMatchObject({ status: 'prelaunch' });
      await qmp.execute('quit').catch(() => {});
    } finally {
      proc.kill('SIGKILL');
      await proc;
    }
  });
});
