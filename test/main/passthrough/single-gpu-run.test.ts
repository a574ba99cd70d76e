// Single-GPU passthrough's real run on a fixture host (one GPU: amd-usb-chipset), with a stub in
// place of pkexec + the helper that records each operation it is asked for (the real pkexec
// cannot run here): taken in the dry run's order, given back in the reverse order, given back
// at once when a step fails, refused for a guest or host it is not for, and given back once.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helperArgs } from '../../../src/main/passthrough/helper';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import { singleGpuSteps, SingleGpuError } from '../../../src/main/passthrough/single-gpu';
import { directRunner } from '../../../src/main/passthrough/helper-runner';
import { giveGpuBack, giveGpuToGuest, gpuNotGivenBack, type SingleGpuHost } from '../../../src/main/vm/single-gpu-run';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import { ConfigError, type VmConfig } from '../../../src/shared/vm-config';
import { pciHost, recordingHelper, type PciHostName } from './fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-sgpu-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function world(name: PciHostName = 'amd-usb-chipset', fail = '', bootId = 'boot-1') {
  const h = await pciHost(name);
  const stub = await recordingHelper(dir, fail);
  let boot = bootId;
  const host: SingleGpuHost = { runner: directRunner(stub.path), report: () => iommuReport(h.options), bootId: async () => boot };
  return { h, host, calls: stub.calls, reboot: (id: string) => (boot = id) };
}

function guest(change: Partial<VmConfig> = {}): VmConfig {
  const { config } = buildPreset('linux', { name: 'sg', host: { threads: 2, memoryMiB: 4096 } });
  return parseVmConfig({ ...config, pciDevices: [{ address: '0000:0c:00.0' }, { address: '0000:0c:00.1' }], singleGpu: true, ...change });
}

describe('single-GPU passthrough, run', () => {
  it('takes the GPU in the dry run\'s order, and gives it back in reverse when the guest ends', async () => {
    const w = await world();
    const dry = singleGpuSteps(await w.host.report(), '0000:0c:00.0');
    const said: string[] = [];
    await giveGpuToGuest(w.host, dir, guest(), (what) => said.push(what));
    const before = dry.filter((s) => s.phase === 'before-start');
    expect(await w.calls()).toEqual(before.map((s) => helperArgs(s.op).join(' ')));
    expect(await w.calls()).toEqual(['display-manager stop', 'vtconsoles unbind', 'framebuffer unbind', 'load-vfio', 'bind-vfio 0000:0c:00.0 0000:0c:00.1']);
    expect(said).toEqual(before.map((s) => s.what));
    expect(await gpuNotGivenBack(dir)).toBe(true);

    expect(await giveGpuBack(w.host, dir)).toEqual({ ran: true, errors: [] });
    expect((await w.calls()).slice(5)).toEqual([
      'release 0000:0c:00.0 --to amdgpu',
      'release 0000:0c:00.1 --to snd_hda_intel',
      'framebuffer bind',
      'vtconsoles bind',
      'display-manager start',
    ]);
    expect((await w.calls()).slice(5)).toEqual(dry.filter((s) => s.phase === 'after-end').map((s) => helperArgs(s.op).join(' ')));
    expect(await gpuNotGivenBack(dir)).toBe(false);
    // Given back once: a second end (another process saw it too) does nothing.
    expect(await giveGpuBack(w.host, dir)).toEqual({ ran: false, errors: [] });
    expect(await w.calls()).toHaveLength(10);
  });

  it('a step that fails gives the host everything back at once, and says so', async () => {
    const w = await world('amd-usb-chipset', 'bind-vfio 0000:0c:00.0 0000:0c:00.1');
    const err = await giveGpuToGuest(w.host, dir, guest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SingleGpuError);
    expect((err as Error).message).toBe('Single-GPU passthrough stopped at "Hand 0000:0c:00.0, 0000:0c:00.1 to vfio-pci": guestbay-vfio-helper: refused: stub told to fail. The host has its GPU back.');
    expect(await w.calls()).toEqual([
      'display-manager stop',
      'vtconsoles unbind',
      'framebuffer unbind',
      'load-vfio',
      'bind-vfio 0000:0c:00.0 0000:0c:00.1',
      'release 0000:0c:00.0 --to amdgpu',
      'release 0000:0c:00.1 --to snd_hda_intel',
      'framebuffer bind',
      'vtconsoles bind',
      'display-manager start',
    ]);
    expect(await gpuNotGivenBack(dir)).toBe(false);
  });

  it('a step of the way back that fails: the others still run, and the record stays for the next try', async () => {
    const w = await world('amd-usb-chipset', 'framebuffer bind');
    await giveGpuToGuest(w.host, dir, guest());
    const back = await giveGpuBack(w.host, dir);
    expect(back.ran).toBe(true);
    expect(back.errors).toEqual(['Give the firmware framebuffer back: guestbay-vfio-helper: refused: stub told to fail']);
    expect((await w.calls()).slice(5)).toEqual(['release 0000:0c:00.0 --to amdgpu', 'release 0000:0c:00.1 --to snd_hda_intel', 'framebuffer bind', 'vtconsoles bind', 'display-manager start']);
    expect(await gpuNotGivenBack(dir)).toBe(true);
  });

  it('refuses a guest that passes no GPU, and a host with two GPUs, before anything runs', async () => {
    const w = await world();
    const none = await giveGpuToGuest(w.host, dir, guest({ pciDevices: [] })).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ConfigError);
    expect((none as ConfigError).errors).toEqual([{ field: 'singleGpu', message: expect.stringMatching(/^Single-GPU passthrough gives this guest the computer's only GPU, but the guest passes no GPU through/) }]);
    const two = await world('desktop-gpu-with-nic');
    const e2 = await giveGpuToGuest(two.host, dir, guest({ pciDevices: [{ address: '0000:0c:00.0' }] })).catch((e: unknown) => e);
    expect((e2 as ConfigError).errors).toEqual([
      { field: 'singleGpu', message: expect.stringMatching(/^Single-GPU passthrough is for a computer with exactly one GPU, and this one has 2 \(0000:0a:00\.0 .*; 0000:0c:00\.0 .*\): pass one of them the ordinary way/) },
    ]);
    expect(await w.calls()).toEqual([]);
    expect(await gpuNotGivenBack(dir)).toBe(false);
  });

  it('a record from before a reboot is dropped, not replayed (the reboot gave the host its drivers)', async () => {
    const w = await world();
    await giveGpuToGuest(w.host, dir, guest());
    w.reboot('boot-2');
    expect(await giveGpuBack(w.host, dir)).toEqual({ ran: false, errors: [] });
    expect(await w.calls()).toHaveLength(5);
    expect(await gpuNotGivenBack(dir)).toBe(false);
  });

  it('two processes seeing the end at once: one gives the GPU back', async () => {
    const w = await world();
    await giveGpuToGuest(w.host, dir, guest());
    const [a, b] = await Promise.all([giveGpuBack(w.host, dir), giveGpuBack(w.host, dir)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect(await w.calls()).toHaveLength(10);
  });
});

describe('the opt-in', () => {
  it('guestbay set singleGpu=on is checked against this host: a GPU passed, exactly one GPU here', async () => {
    await mkdir(dir, { recursive: true });
    const { singleGpuProblems } = await import('../../../src/main/passthrough/single-gpu-guard');
    const one = await iommuReport((await pciHost('amd-usb-chipset')).options);
    expect(singleGpuProblems(guest(), one)).toEqual([]);
    expect(singleGpuProblems(guest({ singleGpu: undefined }), one)).toEqual([]);
    expect(singleGpuProblems(guest(), { enabled: false, groups: [] })[0]?.message).toMatch(/needs the IOMMU on/);
  });
});
