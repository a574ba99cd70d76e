// Issue acceptance for the engine, against this machine's real QEMU (7.2 here, 10 in the
// chroot): the probe, `cmdline` pasted as printed, and the Windows 11 / macOS / Linux-with-a-
// share commands accepted by QEMU with their sidecars started by the plan.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostCaps, type HostCaps } from '../../../src/shared/host-caps';
import { QmpClient } from '../../../src/main/qemu/qmp';
import type { LaunchPlan } from '../../../src/main/qemu/plan';
import { runPrepare } from '../../../src/main/vm/prepare';
import { startSidecars, type RunningSidecar } from '../../../src/main/vm/sidecars';
import { createImage } from '../../../src/main/images';
import { createDisks, previewGuest } from '../../../src/main/vm/create';
import { guestbayPaths } from '../../../src/main/vm/paths';
import { Store } from '../../../src/main/vm/store';
import { ensureTestGuest, type TestGuest } from '../../guest/guest';
import { guestbay, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
let guest: TestGuest;
let caps: HostCaps;
const running: ResultPromise[] = [];
const sidecars: RunningSidecar[][] = [];

beforeAll(async () => {
  t = await tempHome('gb-accept-');
  guest = await ensureTestGuest();
});
afterEach(() => {
  for (const p of running.splice(0)) p.kill('SIGKILL');
  for (const s of sidecars.splice(0)) for (const r of s) r.process.kill('SIGKILL');
});
afterAll(() => t.cleanup());

async function ok(args: string[]) {
  const r = await guestbay(args, t.env);
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

async function qmp(plan: Pick<LaunchPlan, 'runtime'>, proc: ResultPromise) {
  const ac = new AbortController();
  void proc.finally(() => ac.abort());
  try {
    return await QmpClient.connect(plan.runtime.qmpSocket, { timeoutMs: 20_000, retryForMs: 20_000, signal: ac.signal });
  } catch (e) {
    const r = await proc.catch((x) => x);
    throw new Error(`QEMU did not reach QMP: ${r?.stderr ?? ''}`, { cause: e });
  }
}

describe('guestbay probe', () => {
  it('reports the CPU, the KVM that really works, QEMU, OVMF through descriptors, and virtiofsd', async () => {
    const started = performance.now();
    const r = await ok(['probe', '--json', '--no-cache']);
    const elapsed = performance.now() - started;
    caps = hostCaps.parse(JSON.parse(r.stdout));
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    expect(caps.cpu.vendor).toBe(/AuthenticAMD/.test(cpuinfo) ? 'amd' : 'intel');
    const version = (await execa('qemu-system-x86_64', ['--version'])).stdout.match(/version (\d+\.\d+\.\d+)/)![1]!;
    expect(caps.qemu!.version).toBe(version);
    expect(caps.qemu!.devices).toEqual(expect.arrayContaining(['virtio-blk-pci', 'virtio-net-pci', 'isa-applesmc', 'qemu-xhci']));
    if (caps.kvm.state !== 'usable') {
      expect(caps.accel).toBe('tcg');
      expect(caps.kvm.reason.length).toBeGreaterThan(10);
    }
    expect(caps.firmware.some((f) => f.type === 'uefi' && /\/qemu\/firmware\//.test(f.descriptor))).toBe(true);
    const help = (await execa(caps.virtiofsd!.path, ['--help'], { reject: false, all: true })).all ?? '';
    expect(caps.virtiofsd!.flavour).toBe(help.includes('--shared-dir') ? 'rust' : 'c');
    // Time is measured by bench/ (a timed test fails on a loaded machine, and a host whose KVM
    // only emulates spends the KVM check's whole 1.5 s deadline on a cold probe): printed only.
    console.log(`guestbay probe --json --no-cache: ${Math.round(elapsed)} ms (KVM ${caps.kvm.state})`);
  });
});

describe('guestbay cmdline', () => {
  it('prints a command that runs as printed when pasted into a shell, choosing the accelerator by itself', async () => {
    await ok(['create', '--preset', 'linux', '--name', 'tiny', '--disk-size', '64M', '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0 quiet panic=-1']);
    const { stdout } = await ok(['cmdline', 'tiny']);
    const planned: LaunchPlan = JSON.parse((await ok(['cmdline', 'tiny', '--json'])).stdout);
    expect(planned.sidecars).toEqual([]);
    expect(stdout).toContain(`-accel ${caps.accel}`);
    const proc = execa('bash', ['-c', stdout], { env: t.env, reject: false });
    running.push(proc);
    const client = await qmp(planned, proc);
    expect(await client.execute('query-status')).toMatchObject({ status: 'running' });
    // It really boots: the tiny guest reports on the serial log the plan set up.
    const serial = planned.runtime.serialLog;
    await expect.poll(async () => (await readFile(serial, 'utf8').catch(() => '')).includes('GB:READY'), { timeout: 60_000, interval: 200 }).toBe(true);
    expect(await readFile(serial, 'utf8')).toContain('GB:DISK vda 67108864');
    await client.execute('quit').catch(() => {});
    expect((await proc).exitCode).toBe(0);
  });

  it('pasted for a guest never started, with a shared folder: makes its folders, starts virtiofsd first and ends it with QEMU (issue 12, item 13)', async () => {
    const share = join(t.home, 'share-pasted');
    await mkdir(share, { recursive: true });
    await writeFile(join(share, 'hello.txt'), 'hello from the host to pasted\n');
    await ok(['create', '--preset', 'linux', '--name', 'pasted', '--disk-size', '64M', '--share', share, '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0 quiet panic=-1 gb.virtiofs=share-pasted']);
    const planned: LaunchPlan = JSON.parse((await ok(['cmdline', 'pasted', '--json', '--headless'])).stdout);
    expect(planned.sidecars.map((x) => x.kind)).toEqual(['virtiofsd']);
    // Never started: the folders the command's sockets and pidfile go in do not exist yet.
    const runDir = dirname(planned.runtime.pidFile);
    await rm(runDir, { recursive: true, force: true });
    const { stdout } = await ok(['cmdline', 'pasted', '--headless']);
    // Pasted as a terminal takes it: bash reading the text line by line from its input.
    const proc = execa('bash', [], { input: stdout, env: t.env, reject: false, all: true });
    running.push(proc);
    const serial = planned.runtime.serialLog;
    await expect
      .poll(async () => (await readFile(serial, 'utf8').catch(() => '')).match(/GB:SHARE-READ \S+ hello from the host to pasted/) !== null, { timeout: 120_000, interval: 200 })
      .toBe(true);
    // Ending QEMU ends the block, and its trap ends virtiofsd: nothing of the run is left.
    const pid = Number((await readFile(planned.runtime.pidFile, 'utf8')).trim());
    process.kill(pid, 'SIGTERM');
    const r = await proc;
    expect(r.all).not.toMatch(/No such file or directory|Cannot lock pid file/);
    const left = await execa('pgrep', ['-f', `${runDir}/`], { reject: false });
    expect(left.stdout.trim(), 'a sidecar outlived the pasted command').toBe('');
  });
});

async function startPlanned(name: string): Promise<{ plan: LaunchPlan; client: QmpClient; proc: ResultPromise; side: RunningSidecar[] }> {
  const plan: LaunchPlan = JSON.parse((await ok(['cmdline', name, '--json', '--paused'])).stdout);
  await runPrepare(plan);
  const side = await startSidecars(plan.sidecars);
  sidecars.push(side);
  const proc = execa(plan.binary, plan.args, { reject: false, all: true, env: t.env });
  running.push(proc);
  return { plan, client: await qmp(plan, proc), proc, side };
}

describe('preset commands accepted by QEMU (started paused, QMP reached)', () => {
  it('macos-sonoma carries what macOS needs on this host', async () => {
    // Plain create refuses macOS presets (its disks come from `guestbay macos prepare`): the guest
    // goes into the store as prepare puts it, with stand-ins for OpenCore and the recovery image.
    const store = new Store(guestbayPaths(t.env));
    const { config } = await previewGuest({ preset: 'macos-sonoma', name: 'mac', diskSize: '1G' }, { macosDisksBuilt: true });
    await store.create(config, async (dir) => {
      await createDisks(dir, config);
      await createImage(join(dir, 'OpenCore.qcow2'), { format: 'qcow2', size: 64 * 2 ** 20 });
      await writeFile(join(dir, 'Recovery.img'), Buffer.alloc(2 ** 20));
    });
    const { plan, client } = await startPlanned('mac');
    expect(await client.execute('query-status')).toMatchObject({ status: 'prelaunch', running: false });
    const cpu = plan.args[plan.args.indexOf('-cpu') + 1]!;
    if (caps.cpu.vendor === 'amd' || caps.accel === 'tcg') expect(cpu).toMatch(/vendor=GenuineIntel/);
    expect(plan.args.join(' ')).toMatch(/isa-applesmc,osk=/);
    expect(plan.args).toContain(`${caps.accel}`);
    if (caps.accel === 'tcg') expect(plan.warnings.map((w) => w.id)).toContain('tcg');
    await client.execute('quit').catch(() => {});
  });

  it('windows-11 with swtpm started by the plan', async () => {
    const iso = join(t.home, 'win11.iso');
    await writeFile(iso, Buffer.alloc(2 ** 20));
    await ok(['create', '--preset', 'windows-11', '--name', 'win11', '--disk-size', '64G', '--iso', iso]);
    const { plan, client, side } = await startPlanned('win11');
    expect(side.map((s) => s.sidecar.kind)).toEqual(['swtpm']);
    expect(await client.execute('query-tpm')).toEqual([expect.objectContaining({ id: 'tpm0', options: expect.objectContaining({ type: 'emulator' }) })]);
    expect(plan.args.join(' ')).toMatch(/smm=on/);
    await client.execute('quit').catch(() => {});
    // swtpm ends with its guest (--terminate), never left behind.
    await expect(side[0]!.process).resolves.toBeTruthy();
  });

  it('linux with a virtiofs share, its virtiofsd started by the plan', async () => {
    const share = join(t.home, 'Shared');
    await execa('mkdir', ['-p', share]);
    await writeFile(join(share, 'hello.txt'), 'hello from the host\n');
    await ok(['create', '--preset', 'linux', '--name', 'shared', '--disk-size', '64M', '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0 quiet panic=-1 gb.virtiofs=Shared', '--share', share]);
    const { plan, client, side } = await startPlanned('shared');
    expect(side.map((s) => s.sidecar.kind)).toEqual(['virtiofsd']);
    await client.execute('cont');
    await expect.poll(async () => (await readFile(plan.runtime.serialLog, 'utf8').catch(() => '')).includes('GB:SHARE-WROTE'), { timeout: 60_000, interval: 200 }).toBe(true);
    expect(await readFile(plan.runtime.serialLog, 'utf8')).toContain('GB:SHARE-READ Shared hello from the host');
    expect(await readFile(join(share, 'from-guest.txt'), 'utf8')).toContain('written by guest');
    await client.execute('quit').catch(() => {});
  });

  it('linux with sound on auto: virtio-sound where QEMU has it (8.2+), HDA otherwise, and QEMU accepts it', async () => {
    await ok(['create', '--preset', 'linux', '--name', 'sound', '--disk-size', '64M']);
    // The `none` audio backend: no sound server is needed to create the device.
    const store = new Store(guestbayPaths(t.env));
    const config = await store.get('sound');
    expect(config.audio.device).toBe('auto');
    await store.update({ ...config, audio: { device: 'auto', backend: 'none' } });
    const { plan, client } = await startPlanned('sound');
    expect(await client.execute('query-status')).toMatchObject({ status: 'prelaunch' });
    const virtio = caps.qemu!.devices.includes('virtio-sound-pci');
    expect(virtio).toBe(caps.qemu!.major > 8 || (caps.qemu!.major === 8 && caps.qemu!.minor >= 2));
    expect(plan.args).toContain(virtio ? 'virtio-sound-pci,audiodev=snd0' : 'ich9-intel-hda,id=hda0');
    expect(plan.args).toContain('none,id=snd0');
    // The device QEMU really made, on its PCI bus: virtio-sound is 1af4:1059, ICH9 HDA 8086:293e.
    const pci = (await client.execute('query-pci')) as { devices: { id: { vendor: number; device: number } }[] }[];
    const ids = pci.flatMap((b) => b.devices.map((d) => `${d.id.vendor.toString(16)}:${d.id.device.toString(16)}`));
    expect(ids).toContain(virtio ? '1af4:1059' : '8086:293e');
    await client.execute('quit').catch(() => {});
  });
});
