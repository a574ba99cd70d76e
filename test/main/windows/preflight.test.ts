// The Windows preflight on every host kind: KVM or an explicit allow, swtpm and OVMF with
// Secure Boot keys required for 11 unless the user asks Setup to skip its checks, a 64 GiB disk.
import { describe, expect, it } from 'vitest';
import { windowsPreflight, type WindowsFacts } from '../../../src/main/windows/preflight';
import { hostFixture } from '../../fixtures/caps/hosts';

const base = (over: Partial<WindowsFacts> = {}): WindowsFacts => ({
  caps: hostFixture('qemu-7.2', 'intel-kvm'),
  version: '11',
  diskGiB: 80,
  freeDiskBytes: 200 * 2 ** 30,
  hasMtools: true,
  hasXorriso: true,
  bypassRequirements: false,
  ...over,
});
const status = (f: WindowsFacts) => Object.fromEntries(windowsPreflight(f).map((x) => [x.id, x.status]));

describe('windows preflight', () => {
  it('a KVM host with swtpm and Secure Boot OVMF: all ok', () => {
    expect(status(base())).toEqual({ 'windows-kvm': 'ok', 'windows-swtpm': 'ok', 'windows-secure-boot': 'ok', 'windows-disk-size': 'ok', 'windows-free-space': 'ok' });
  });
  it("AArch64's Secure Boot firmware (AAVMF) does not count for an x86_64 Windows guest", () => {
    const real = hostFixture('qemu-7.2', 'intel-kvm');
    const caps = { ...real, firmware: real.firmware.map((x) => ({ ...x, architecture: 'aarch64', executable: x.executable.replace('OVMF', 'AAVMF') })) };
    expect(status(base({ caps }))['windows-secure-boot']).toBe('missing');
  });
  it('no KVM is a warning (the caller needs an explicit allow)', () => {
    expect(status(base({ caps: hostFixture('qemu-7.2', 'amd-tcg') }))['windows-kvm']).toBe('warning');
  });
  it('Windows 11 without swtpm or Secure Boot keys is stopped, unless the user asks for the bypass; 10 only warns', () => {
    const caps = { ...hostFixture('qemu-7.2', 'intel-kvm'), swtpm: null, firmware: [] };
    expect(status(base({ caps }))).toMatchObject({ 'windows-swtpm': 'missing', 'windows-secure-boot': 'missing' });
    expect(status(base({ caps, bypassRequirements: true }))).toMatchObject({ 'windows-swtpm': 'warning', 'windows-secure-boot': 'warning' });
    expect(status(base({ caps, version: '10' }))).toMatchObject({ 'windows-swtpm': 'warning', 'windows-secure-boot': 'warning' });
  });
  it('a disk under 64 GiB stops Windows 11; little free room only warns (the disk is sparse); missing tools are said', () => {
    expect(status(base({ diskGiB: 40 }))['windows-disk-size']).toBe('missing');
    expect(status(base({ diskGiB: 40, version: '10' }))['windows-disk-size']).toBe('ok');
    expect(status(base({ freeDiskBytes: 10 * 2 ** 30 }))['windows-free-space']).toBe('warning');
    expect(status(base({ hasMtools: false, hasXorriso: false }))).toMatchObject({ 'windows-mtools': 'missing', 'windows-xorriso': 'warning' });
  });
});
