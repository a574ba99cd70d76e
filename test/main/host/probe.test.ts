// The whole probe over fake hosts: fixture trees for the files, saved QEMU output for the
// commands. Nothing is started.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCaps, type HostCaps } from '../../../src/shared/host-caps';
import { probeHost } from '../../../src/main/host/probe';
import { fakeRunner, makeHost, result } from './helpers';

const byId = (caps: HostCaps, id: string) => caps.findings.find((f) => f.id === id);

const DEBIAN_BINARIES = [
  '/usr/bin/qemu-system-x86_64', '/usr/bin/qemu-img', '/usr/bin/swtpm', '/usr/lib/qemu/virtiofsd', '/usr/lib/qemu/qemu-bridge-helper',
];

describe('probeHost on a Debian 12 host like this one (QEMU 7.2, nested KVM)', () => {
  it('reports what is there and what is not', async () => {
    const h = await makeHost({
      tree: 'debian12', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', kvmDevice: true,
      modules: { 'kvm/parameters/ignore_msrs': 'N', 'kvm/parameters/report_ignored_msrs': 'Y', 'kvm_pvm/parameters/x': '1' },
      executables: DEBIAN_BINARIES,
    });
    const caps = await probeHost({ ...h.options, run: fakeRunner({ qemu: '7.2', virtiofsd: 'c' }).run });
    expect(hostCaps.parse(caps)).toEqual(caps);
    expect(caps.probedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(caps.cpu).toMatchObject({ vendor: 'amd', threads: 2 });
    expect(caps.kvm).toEqual({
      state: 'unusable',
      reason: 'KVM cannot run a guest here: failed to set MSR 0x10a to 0x69 → using TCG (software emulation, ~10–50× slower)',
      module: null, ignoreMsrs: false, reportIgnoredMsrs: true, nested: null,
    });
    expect(caps.accel).toBe('tcg');
    expect(caps.qemu).toMatchObject({ binary: '/usr/bin/qemu-system-x86_64', version: '7.2.22', major: 7, minor: 2, fileMigration: false });
    expect(caps.qemuImg).toEqual({ path: '/usr/bin/qemu-img', version: '7.2.22' });
    expect(caps.firmware).toHaveLength(3);
    expect(caps.virtiofsd).toMatchObject({ path: '/usr/lib/qemu/virtiofsd', flavour: 'c', source: 'descriptor' });
    expect(caps.swtpm).toEqual({ path: '/usr/bin/swtpm', version: '0.7.1' });
    expect(caps.tools).toEqual({ smbd: null, remoteViewer: null, qemuBridgeHelper: '/usr/lib/qemu/qemu-bridge-helper' });
    expect(caps.distro.family).toBe('debian');

    expect(caps.findings.map((f) => `${f.id}:${f.status}`)).toEqual([
      'kvm:warning', 'qemu:ok', 'qemu-img:ok', 'ovmf:ok', 'secure-boot:ok', 'qemu-aarch64:warning', 'qemu-riscv64:warning',
      'virtiofsd:ok', 'swtpm:ok', 'smbd:missing', 'remote-viewer:missing', 'iommu:warning', 'ignore-msrs:ok',
    ]);
    // This host has only the PC's emulator: the other architectures are named with their package.
    expect(caps.qemuByArch).toEqual({});
    expect(caps.hostArch).toBe('x86_64');
    expect(byId(caps, 'qemu-aarch64')).toMatchObject({ detail: expect.stringMatching(/qemu-system-aarch64 was not found/), fix: { command: 'sudo apt install qemu-system-arm' } });
    expect(byId(caps, 'qemu-riscv64')?.fix?.command).toBe('sudo apt install qemu-system-misc');
    expect(byId(caps, 'smbd')?.fix?.command).toBe('sudo apt install samba');
    expect(byId(caps, 'remote-viewer')?.fix?.command).toBe('sudo apt install virt-viewer');
    expect(byId(caps, 'ovmf')?.detail).toMatch(/OVMF_CODE_4M\.fd, found through \/usr\/share\/qemu\/firmware\/60-edk2-x86_64\.json/);
  });
});

describe('probeHost on Debian 12 as a user without root', () => {
  it('the C virtiofsd is found, fails its start test, and the finding says why and what to install', async () => {
    const h = await makeHost({ tree: 'debian12', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', kvmDevice: true, executables: DEBIAN_BINARIES });
    const caps = await probeHost({ ...h.options, run: fakeRunner({ qemu: '7.2', virtiofsd: 'c', virtiofsdStderr: 'c-7.2-user-pidfile.stderr.txt' }).run });
    expect(caps.virtiofsd).toMatchObject({ flavour: 'c', works: false, reason: expect.stringMatching(/Permission denied/) });
    expect(byId(caps, 'virtiofsd')).toMatchObject({
      status: 'warning',
      title: 'virtiofsd cannot start here',
      detail: expect.stringMatching(/\(C\) was started as a test, as you, and failed: Could not create .*Permission denied/),
      fix: { command: 'sudo apt install virtiofsd', text: expect.stringMatching(/Rust virtiofsd/) },
    });
  });
});

describe('probeHost on an Arch host (Intel, QEMU 10, working KVM)', () => {
  it('KVM usable, Rust virtiofsd from the known path, pacman fixes', async () => {
    const h = await makeHost({
      tree: 'arch', cpuinfo: 'intel-i7-4790k.txt', osRelease: 'manjaro.txt', kvmDevice: true,
      modules: { 'kvm/parameters/ignore_msrs': 'N', 'kvm_intel/parameters/nested': 'Y' },
      executables: ['/usr/bin/qemu-system-x86_64', '/usr/lib/virtiofsd', '/usr/bin/smbd', '/usr/bin/remote-viewer'],
    });
    await mkdir(join(h.root, 'run'), { recursive: true });
    await writeFile(join(h.root, 'run/pipewire-0'), '');
    const fake = fakeRunner({ qemu: '10.0', virtiofsd: 'rust', kvm: { exitCode: 3 } });
    const caps = await probeHost({ ...h.options, env: { WAYLAND_DISPLAY: 'wayland-0' }, run: fake.run });
    expect(caps.kvm).toMatchObject({ state: 'usable', module: 'kvm_intel', nested: true, ignoreMsrs: false });
    expect(caps.accel).toBe('kvm');
    expect(caps.qemu).toMatchObject({ major: 10, fileMigration: true });
    expect(caps.virtiofsd).toMatchObject({ path: '/usr/lib/virtiofsd', flavour: 'rust', source: 'known-path', sandbox: 'namespace' });
    expect(caps.session).toMatchObject({ graphical: true, pipewire: true, pulse: false });
    expect(caps.distro).toEqual({ id: 'manjaro', name: 'Manjaro Linux', family: 'arch' });
    expect(byId(caps, 'kvm')?.status).toBe('ok');
    expect(byId(caps, 'qemu-img')?.fix?.command).toBe('sudo pacman -S --needed qemu-img');
    expect(byId(caps, 'swtpm')?.fix?.command).toBe('sudo pacman -S --needed swtpm');
    expect(byId(caps, 'secure-boot')?.status).toBe('ok'); // the admin's MS-keys override
    expect(byId(caps, 'ignore-msrs')).toMatchObject({ status: 'warning', fix: { command: 'echo 1 | sudo tee /sys/module/kvm/parameters/ignore_msrs' } });
    expect(byId(caps, 'iommu')?.fix?.text).toMatch(/intel_iommu=on/);
  });
});

describe('probeHost on a bare host', () => {
  it('no QEMU, no /dev/kvm, nothing installed: every fix is a package command', async () => {
    const h = await makeHost({ cpuinfo: 'intel-i7-4790k.txt', osRelease: 'arch.txt', modules: { 'kvm/parameters/ignore_msrs': 'N' } });
    const fake = fakeRunner({});
    const caps = await probeHost({ ...h.options, run: fake.run });
    expect(fake.calls).toEqual([]);
    expect(caps.qemu).toBeNull();
    expect(caps.kvm).toMatchObject({ state: 'absent', reason: expect.stringMatching(/kvm_intel module is not loaded/) });
    expect(byId(caps, 'kvm')?.fix?.command).toBe('sudo modprobe kvm_intel');
    expect(byId(caps, 'qemu')?.fix?.command).toBe('sudo pacman -S --needed qemu-full');
    expect(byId(caps, 'ovmf')?.fix?.command).toBe('sudo pacman -S --needed edk2-ovmf');
    expect(byId(caps, 'virtiofsd')?.fix?.command).toBe('sudo pacman -S --needed virtiofsd');
    expect(byId(caps, 'smbd')?.fix?.command).toBe('sudo pacman -S --needed samba');
    expect(byId(caps, 'secure-boot')?.status).toBe('missing');
  });

  it('a QEMU that cannot say its version counts as no QEMU', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', kvmDevice: true, executables: ['/usr/bin/qemu-system-x86_64'] });
    const caps = await probeHost({
      ...h.options,
      run: async (_f, args) => (args[0] === '--version' ? result({ exitCode: 127, stderr: 'error while loading shared libraries' }) : result({ exitCode: 1 })),
    });
    expect(caps.qemu).toBeNull();
    expect(caps.kvm.state).toBe('unusable');
    expect(byId(caps, 'qemu')?.fix?.command).toBe('sudo apt install qemu-system-x86');
  });
});

describe('the KVM check is cached until something it depends on changes', () => {
  const kvmChecks = (calls: { args: readonly string[] }[]) => calls.filter((c) => c.args.includes('-bios')).length;

  it('runs once per boot, device node and QEMU; again when the boot id or QEMU changes', async () => {
    const h = await makeHost({
      cpuinfo: 'intel-i7-4790k.txt', osRelease: 'arch.txt', kvmDevice: true,
      modules: { 'kvm/parameters/ignore_msrs': 'N', 'kvm_intel/parameters/nested': 'Y' },
      executables: ['/usr/bin/qemu-system-x86_64'],
    });
    const bootId = join(h.root, 'proc/sys/kernel/random/boot_id');
    await mkdir(join(h.root, 'proc/sys/kernel/random'), { recursive: true });
    await writeFile(bootId, '6b1c6a4e-0f1d-4c7e-9d55-1f0e6c1b2a3d\n');
    const timedOut = { exitCode: null, timedOut: true, signal: 'SIGKILL' as const };
    const fake = fakeRunner({ qemu: '10.0', kvm: timedOut });

    const first = await probeHost({ ...h.options, run: fake.run });
    expect(first.kvm.reason).toMatch(/emulates guest code/);
    expect(kvmChecks(fake.calls)).toBe(1);
    const second = await probeHost({ ...h.options, run: fake.run });
    expect(second.kvm).toEqual(first.kvm);
    expect(kvmChecks(fake.calls)).toBe(1); // from the cache

    await writeFile(bootId, 'c1d2e3f4-0000-4000-8000-000000000001\n'); // a reboot
    await probeHost({ ...h.options, run: fake.run });
    expect(kvmChecks(fake.calls)).toBe(2);

    await writeFile(join(h.root, 'usr/bin/qemu-system-x86_64'), '#!/bin/sh\n# upgraded\nexit 99\n'); // a new QEMU
    await probeHost({ ...h.options, run: fake.run });
    expect(kvmChecks(fake.calls)).toBe(3);

    await probeHost({ ...h.options, useCache: false, run: fake.run }); // --no-cache always checks
    expect(kvmChecks(fake.calls)).toBe(4);
  });

  it('without a boot id nothing is cached: every probe checks', async () => {
    const h = await makeHost({ cpuinfo: 'intel-i7-4790k.txt', osRelease: 'arch.txt', kvmDevice: true, modules: { 'kvm/parameters/ignore_msrs': 'N' }, executables: ['/usr/bin/qemu-system-x86_64'] });
    const fake = fakeRunner({ qemu: '10.0', kvm: { exitCode: 3 } });
    await probeHost({ ...h.options, run: fake.run });
    await probeHost({ ...h.options, run: fake.run });
    expect(kvmChecks(fake.calls)).toBe(2);
  });
});
