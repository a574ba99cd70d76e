import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../../src/main/host/cpu';
import { decideKvm, type KvmInputs } from '../../../src/main/host/kvm';
import { kvmCheckBios, kvmFailureReason } from '../../../src/main/host/kvm-check';
import { kvmCheckArgs } from '../../../src/main/qemu/probe/kvm-check';
import { classifyDeviceError, parseModuleBool, probeKvmHost, type KvmHost } from '../../../src/main/host/kvm-host';
import { resolveContext } from '../../../src/main/host/options';
import { makeHost, readFixture, result } from './helpers';

const host = (h: Partial<KvmHost> = {}): KvmHost => ({
  device: 'ok',
  module: 'kvm_amd',
  loadedModules: ['kvm', 'kvm_amd'],
  ignoreMsrs: false,
  reportIgnoredMsrs: true,
  nested: true,
  ...h,
});

describe('kernel side', () => {
  it('module booleans: Y/N and 1/0', () => {
    expect([parseModuleBool('Y\n'), parseModuleBool('N'), parseModuleBool('1'), parseModuleBool('0'), parseModuleBool(null), parseModuleBool('?')]).toEqual([
      true, false, true, false, null, null,
    ]);
  });

  it('device errors: permission vs absence', () => {
    expect(classifyDeviceError(Object.assign(new Error(), { code: 'EACCES' }))).toBe('no-access');
    expect(classifyDeviceError(Object.assign(new Error(), { code: 'EPERM' }))).toBe('no-access');
    expect(classifyDeviceError(Object.assign(new Error(), { code: 'ENOENT' }))).toBe('absent');
    expect(classifyDeviceError(null)).toBe('ok');
  });

  it('reads the vendor module and its parameters from sysfs', async () => {
    const intel = await makeHost({
      cpuinfo: 'intel-i7-4790k.txt',
      osRelease: 'arch.txt',
      kvmDevice: true,
      modules: { 'kvm/parameters/ignore_msrs': 'Y', 'kvm/parameters/report_ignored_msrs': 'N', 'kvm_intel/parameters/nested': 'Y' },
    });
    expect(await probeKvmHost(resolveContext(intel.options))).toEqual({
      device: 'ok', module: 'kvm_intel', loadedModules: ['kvm', 'kvm_intel'], ignoreMsrs: true, reportIgnoredMsrs: false, nested: true,
    });
    // This machine: a nested kvm_pvm module, neither vendor module, no /dev/kvm in the tree.
    const pvm = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', modules: { 'kvm/parameters/ignore_msrs': 'N', 'kvm_pvm/parameters/x': '0' } });
    expect(await probeKvmHost(resolveContext(pvm.options))).toMatchObject({ device: 'absent', module: null, loadedModules: ['kvm', 'kvm_pvm'], ignoreMsrs: false, nested: null });
  });
});

describe('functional check', () => {
  it('the BIOS image: reset vector at 0xFFF0 jumps to a countdown loop, then writes 1 to port 0xf4 and halts', () => {
    const bios = kvmCheckBios(20_000_000);
    expect(bios.length).toBe(65536);
    expect([...bios.subarray(0xfff0, 0xfff3)]).toEqual([0xe9, 0x0d, 0x00]); // to offset 0
    expect([...bios.subarray(0, 6)]).toEqual([0x66, 0xb9, 0x00, 0x2d, 0x31, 0x01]); // mov ecx, 20000000
    expect([...bios.subarray(6, 17)]).toEqual([0x66, 0x49, 0x75, 0xfc, 0xb0, 0x01, 0xe6, 0xf4, 0xf4, 0xeb, 0xfd]);
  });

  it('runs the guest with -cpu host under KVM with isa-debug-exit', () => {
    const args = kvmCheckArgs('/tmp/x.bin');
    expect(args.join(' ')).toContain('-accel kvm -cpu host');
    expect(args.join(' ')).toContain('isa-debug-exit,iobase=0xf4,iosize=1');
  });

  it("reasons in QEMU's words, without prefixes and warnings", async () => {
    const stderr = await readFixture('kvm', 'msr-0x10a-7.2.stderr.txt');
    expect(kvmFailureReason(result({ exitCode: null, signal: 'SIGABRT', stderr }))).toBe('failed to set MSR 0x10a to 0x69');
    const internal = 'qemu-system-x86_64: warning: host doesn\'t support requested feature\nKVM internal error. Suberror: 1\nemulation failure\n';
    expect(kvmFailureReason(result({ exitCode: null, timedOut: true, stderr: internal }))).toBe('KVM internal error. Suberror: 1');
    expect(kvmFailureReason(result({ exitCode: null, timedOut: true }))).toMatch(/did not finish within 1.5 s: this KVM emulates guest code/);
    expect(kvmFailureReason(result({ exitCode: 1 }))).toMatch(/exit code 1 instead of 3/);
  });
});

describe('decideKvm', () => {
  const amd = parseCpuinfo('processor : 0\nvendor_id : AuthenticAMD\nflags : svm sse4_2\n');
  const nestedNoSvm = parseCpuinfo('processor : 0\nvendor_id : AuthenticAMD\nflags : hypervisor sse4_2\n');
  const base: KvmInputs = { host: host(), cpu: amd, qemuAccels: ['tcg', 'kvm'], check: { ran: true, reason: '', ms: 40 } };

  it('usable only when the test guest ran', () => {
    expect(decideKvm(base)).toMatchObject({ state: 'usable', module: 'kvm_amd', nested: true });
    const failed = decideKvm({ ...base, check: { ran: false, reason: 'failed to set MSR 0x10a to 0x69', ms: 30 } });
    expect(failed.state).toBe('unusable');
    expect(failed.reason).toBe('KVM cannot run a guest here: failed to set MSR 0x10a to 0x69 → using TCG (software emulation, ~10–50× slower)');
  });

  it('no device: says why (module, BIOS setting, nested VM)', () => {
    expect(decideKvm({ ...base, host: host({ device: 'absent', loadedModules: ['kvm'] }), check: null }).reason).toMatch(/kvm_amd module is not loaded/);
    expect(decideKvm({ ...base, cpu: nestedNoSvm, host: host({ device: 'absent' }), check: null }).reason).toMatch(/itself a virtual machine/);
    expect(decideKvm({ ...base, cpu: parseCpuinfo('vendor_id : GenuineIntel\nflags : sse4_2\n'), host: host({ device: 'absent' }), check: null }).reason).toMatch(/firmware \(BIOS\/UEFI\) settings/);
  });

  it('no permission, no QEMU, QEMU without KVM', () => {
    expect(decideKvm({ ...base, host: host({ device: 'no-access' }), check: null })).toMatchObject({ state: 'no-access', reason: expect.stringMatching(/kvm group/) });
    expect(decideKvm({ ...base, qemuAccels: null, check: null }).state).toBe('unusable');
    expect(decideKvm({ ...base, qemuAccels: ['tcg'] }).reason).toMatch(/built without KVM/);
  });
});
