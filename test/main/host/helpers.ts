// Builds a fake host (a directory tree standing in for /) and a Runner that answers with
// output saved from real QEMU 7.2 / 10.0, so the whole probe runs without starting anything.
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { ProbeOptions } from '../../../src/main/host/options';
import type { RunResult, Runner } from '../../../src/main/host/run';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/host');

export const fixture = (...p: string[]): string => join(FIXTURES, ...p);
export const readFixture = (...p: string[]): Promise<string> => readFile(fixture(...p), 'utf8');

export interface PciFixture {
  group: number;
  address: string;
  vendor: string;
  device: string;
  klass: string;
  driver?: string;
  /** sysfs `reset_method` (absent from the tree when undefined, as on kernels before 5.15). */
  resetMethod?: string;
  bootVga?: boolean;
  /** Intel GVT-g types under mdev_supported_types/. */
  mdevTypes?: { id: string; name: string; description: string; available: number }[];
  /** SR-IOV: `sriov_totalvfs`, `sriov_numvfs` and a `virtfnN` link per VF address. */
  sriov?: { total: number; vfs: string[] };
  /** This function is a virtual function of that address (a `physfn` link). */
  physfn?: string;
}

export interface HostSpec {
  tree?: 'debian12' | 'debian13' | 'arch';
  cpuinfo: string;
  meminfo?: string;
  osRelease: string;
  /** Files under /sys/module, e.g. { 'kvm/parameters/ignore_msrs': 'N' }. */
  modules?: Record<string, string>;
  kvmDevice?: boolean;
  /** Host paths made into executable stubs (the fake runner answers for them). */
  executables?: string[];
  pci?: PciFixture[];
  pciIds?: string;
  /** Other host files, path → text (boot loader configs, /proc/cmdline). */
  files?: Record<string, string>;
}

export interface FakeHost {
  root: string;
  options: ProbeOptions;
}

export async function makeHost(spec: HostSpec): Promise<FakeHost> {
  const root = await mkdtemp(join(tmpdir(), 'guestbay-host-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  if (spec.tree) await cp(fixture('trees', spec.tree), root, { recursive: true });
  const put = async (path: string, text: string): Promise<void> => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  };
  await put('/proc/cpuinfo', await readFixture('cpuinfo', spec.cpuinfo));
  await put('/proc/meminfo', await readFixture('meminfo', spec.meminfo ?? 'debian12-24g.txt'));
  await put('/etc/os-release', await readFixture('os-release', spec.osRelease));
  for (const [p, v] of Object.entries(spec.modules ?? {})) await put(`/sys/module/${p}`, `${v}\n`);
  if (spec.kvmDevice) await put('/dev/kvm', '');
  for (const exe of spec.executables ?? []) {
    await put(exe, '#!/bin/sh\nexit 99\n');
    await chmod(join(root, exe), 0o755);
  }
  for (const d of spec.pci ?? []) {
    // As in sysfs: the group lists symlinks into the device tree; `driver` links to the driver.
    const dev = `/sys/devices/pci0000:00/${d.address}`;
    await put(`${dev}/vendor`, `0x${d.vendor}`);
    await put(`${dev}/device`, `0x${d.device}`);
    await put(`${dev}/class`, `0x${d.klass}`);
    if (d.driver) {
      await mkdir(join(root, `/sys/bus/pci/drivers/${d.driver}`), { recursive: true });
      await symlink(`../../../bus/pci/drivers/${d.driver}`, join(root, dev, 'driver'));
    }
    if (d.resetMethod !== undefined) await put(`${dev}/reset_method`, `${d.resetMethod}\n`);
    if (d.bootVga !== undefined) await put(`${dev}/boot_vga`, d.bootVga ? '1\n' : '0\n');
    for (const t of d.mdevTypes ?? []) {
      await put(`${dev}/mdev_supported_types/${t.id}/name`, `${t.name}\n`);
      await put(`${dev}/mdev_supported_types/${t.id}/description`, `${t.description}\n`);
      await put(`${dev}/mdev_supported_types/${t.id}/available_instances`, `${t.available}\n`);
    }
    if (d.sriov) {
      await put(`${dev}/sriov_totalvfs`, `${d.sriov.total}\n`);
      await put(`${dev}/sriov_numvfs`, `${d.sriov.vfs.length}\n`);
      for (const [n, vf] of d.sriov.vfs.entries()) await symlink(`../${vf}`, join(root, dev, `virtfn${n}`));
    }
    if (d.physfn) await symlink(`../${d.physfn}`, join(root, dev, 'physfn'));
    const link = join(root, `/sys/kernel/iommu_groups/${d.group}/devices/${d.address}`);
    await mkdir(dirname(link), { recursive: true });
    await symlink(`../../../../devices/pci0000:00/${d.address}`, link);
    // /sys/bus/pci/devices lists every function, as links into the device tree.
    await mkdir(join(root, '/sys/bus/pci/devices'), { recursive: true });
    await symlink(`../../../devices/pci0000:00/${d.address}`, join(root, `/sys/bus/pci/devices/${d.address}`));
  }
  for (const [p, text] of Object.entries(spec.files ?? {})) await put(p, text);
  if (spec.pciIds) await put('/usr/share/hwdata/pci.ids', spec.pciIds);
  const home = join(root, 'home');
  return {
    root,
    options: {
      root,
      home,
      xdgConfigHome: join(home, '.config'),
      xdgCacheHome: join(root, 'cache'),
      xdgRuntimeDir: join(root, 'run'),
      path: '/usr/local/bin:/usr/bin:/bin',
      env: {},
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    },
  };
}

export const result = (r: Partial<RunResult>): RunResult => ({
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  matched: false,
  survived: false,
  spawnError: null,
  ...r,
});

export interface FakeRunnerSpec {
  qemu?: '7.2' | '10.0';
  /** Answer to the KVM check. Default: the MSR failure seen on this machine. */
  kvm?: Partial<RunResult>;
  virtiofsd?: 'c' | 'rust';
  /** Sandbox modes the Rust daemon can start with. */
  sandboxes?: string[];
  /** A QEMU whose OpenGL module is installed: `-device virtio-vga-gl,help` lists properties. */
  glModule?: boolean;
  /** …and that module was built with Venus: virtio-gpu-gl-pci lists a `venus` property. */
  venus?: boolean;
  /** The C daemon's start test fails with this stderr (a fixture file under virtiofsd/). */
  virtiofsdStderr?: string;
}

export interface FakeRunner {
  run: Runner;
  calls: { file: string; args: readonly string[] }[];
}

export function fakeRunner(spec: FakeRunnerSpec): FakeRunner {
  const calls: FakeRunner['calls'] = [];
  const q = (name: string) => readFixture('qemu', spec.qemu ?? '7.2', name);
  const optional = (p: string) => readFixture(p).catch(() => '');
  const run: Runner = async (file, args) => {
    calls.push({ file, args });
    const name = basename(file);
    const a0 = args[0] ?? '';
    if (name === 'qemu-system-x86_64') {
      if (args.includes('kvm') && args.includes('-bios'))
        return result(spec.kvm ?? { exitCode: null, signal: 'SIGABRT', stderr: await readFixture('kvm', 'msr-0x10a-7.2.stderr.txt') });
      if (a0 === '--version') return result({ stdout: await q('version.txt') });
      if (args.includes('-chardev') && args.includes('-qmp')) return result({ stdout: await q('vdagent-migrate.jsonl') });
      if (args.includes('-qmp')) return result({ stdout: await q('qmp-schema.jsonl') });
      if (a0 === '-device' && args[1]?.endsWith(',help')) {
        const dev = args[1].slice(0, -',help'.length);
        // As QEMU 7.2 here answers (its GL module is not installed), or, with the module, a property list.
        if (spec.glModule) {
          const props = (await readFixture('qemu', '7.2', 'device-virtio-vga-help.txt')).replace(/^virtio-vga/, dev);
          return result({ stdout: spec.venus && dev === 'virtio-gpu-gl-pci' ? `${props}  venus=<bool>           - on/off (default: false)\n` : props });
        }
        const stderr = await optional(`qemu/${spec.qemu ?? '7.2'}/device-${dev}-help.stderr.txt`);
        return result({ exitCode: 1, stderr: stderr || `qemu-system-x86_64: -device ${dev},help: Device '${dev}' not found\n` });
      }
      if (args[1] === 'help') {
        const flag = a0.slice(1);
        return result({ stdout: await q(`${flag}-help.txt`), stderr: await optional(`qemu/${spec.qemu ?? '7.2'}/${flag}-help.stderr.txt`) });
      }
    }
    if (name === 'qemu-img') return result({ stdout: await q('qemu-img-version.txt') });
    if (name === 'swtpm') return result({ stdout: await readFixture('swtpm-version.txt') });
    if (name === 'virtiofsd' && spec.virtiofsd) {
      const base = spec.virtiofsd === 'c' ? 'c-7.2' : 'rust-1.13';
      if (a0 === '--help') return result({ stdout: await readFixture('virtiofsd', `${base}-help.txt`) });
      if (a0 === '--version') return result({ stdout: await readFixture('virtiofsd', `${base}-version.txt`) });
      if (a0 === '--print-capabilities' && spec.virtiofsd === 'rust')
        return result({ stdout: await readFixture('virtiofsd', 'rust-1.13-print-capabilities.json') });
      // The start test of the C daemon (as root here: it serves; as a user: see virtiofsdStderr).
      if (a0.startsWith('--socket-path=')) {
        if (spec.virtiofsdStderr) return result({ exitCode: 1, stderr: await readFixture('virtiofsd', spec.virtiofsdStderr) });
        return result({ exitCode: null, signal: 'SIGTERM', matched: true, survived: true, stderr: 'virtio_session_mount: Waiting for vhost-user socket connection...\nvirtio_session_mount: Received vhost-user socket connection\nvirtio_loop: Entry\n' });
      }
      const sandbox = args[args.indexOf('--sandbox') + 1] ?? '';
      if (args.includes('--sandbox') && (spec.sandboxes ?? ['namespace']).includes(sandbox))
        return result({ exitCode: null, signal: 'SIGTERM', matched: true, survived: true, stderr: '[INFO  virtiofsd] Waiting for vhost-user socket connection...\n' });
      return result({ exitCode: 1, stderr: '[ERROR virtiofsd] Error entering sandbox: CleanMount(Os { code: 22 })\n' });
    }
    return result({ exitCode: 1, stderr: `fake runner: no answer for ${file} ${args.join(' ')}` });
  };
  return { run, calls };
}
