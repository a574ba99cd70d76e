import { describe, expect, it } from 'vitest';
import { MACOS_RELEASES, macosRelease, type MacosReleaseKey } from '../../../src/shared/os/macos-releases';
import { buildPreset } from '../../../src/shared/presets';
import { buildLaunchPlan } from '../../../src/main/qemu/plan';
import { hostFixture } from '../../fixtures/caps/hosts';

const ORDER: MacosReleaseKey[] = ['high-sierra', 'mojave', 'catalina', 'big-sur', 'monterey', 'ventura', 'sonoma', 'sequoia', 'tahoe'];
const from = (k: MacosReleaseKey) => ORDER.slice(ORDER.indexOf(k));
const before = (k: MacosReleaseKey) => ORDER.slice(0, ORDER.indexOf(k));

describe('MACOS_RELEASES', () => {
  it('lists every release once, oldest first', () => {
    expect(MACOS_RELEASES.map((r) => r.key)).toEqual(ORDER);
  });

  it.each(MACOS_RELEASES.map((r) => [r.key, r] as const))('%s: CPU, reasons and sources', (_k, r) => {
    expect(r.cpu.amdHost.flags).toContain('vendor=GenuineIntel');
    expect(r.cpu.amdHost.model).not.toBe('host');
    for (const c of [r.cpu.amdHost, r.cpu.intelHost]) {
      expect(c.flags).toContain('-pdpe1gb');
      expect(c.flags).toContain('vmware-cpuid-freq=on');
      expect(c.flags.every((f) => !f.includes(','))).toBe(true);
    }
    for (const k of ['diskBus', 'nic', 'needs', 'cpu', 'usb', 'display', 'cores', 'memory', 'disk']) {
      expect(r.reasons[k], k).toBeTruthy();
    }
    expect(r.sources.length).toBeGreaterThan(0);
    expect(r.qemuNote.length).toBeGreaterThan(40);
    expect(r.maxCoresPowerOfTwo).toBe(true);
    expect(r.minMemoryMiB).toBeLessThanOrEqual(r.recommendedMemoryMiB);
    expect(r.display).toBe('vmware-svga');
  });

  it('needs SSE4.2 from Catalina and AVX2 from Ventura', () => {
    for (const k of from('ventura')) expect(macosRelease(k)!.needs).toEqual({ sse42: true, avx2: true });
    for (const k of from('catalina')) expect(macosRelease(k)!.needs.sse42).toBe(true);
    for (const k of before('ventura')) expect(macosRelease(k)!.needs.avx2).toBe(false);
    for (const k of before('catalina')) expect(macosRelease(k)!.needs.sse42).toBe(false);
  });

  it('uses virtio-blk from Catalina and virtio-net from Big Sur', () => {
    for (const k of from('catalina')) expect(macosRelease(k)!.diskBus).toBe('virtio');
    for (const k of before('catalina')) expect(macosRelease(k)!.diskBus).toBe('sata');
    for (const k of from('big-sur')) expect(macosRelease(k)!.nic).toBe('virtio-net');
    for (const k of before('big-sur')) expect(macosRelease(k)!.nic).toBe('vmxnet3');
  });

  it('gives AMD hosts Haswell-noTSX up to Ventura and Skylake-Client-v4 after', () => {
    for (const k of before('sonoma')) expect(macosRelease(k)!.cpu.amdHost.model).toBe('Haswell-noTSX');
    for (const k of from('sonoma')) expect(macosRelease(k)!.cpu.amdHost.model).toBe('Skylake-Client-v4');
  });

  it('puts USB input on XHCI everywhere: every release\'s guest gets qemu-xhci with the keyboard and tablet on it', () => {
    // The launch plan is what QEMU is given (EHCI input died with macOS 14.4, reasons.usb).
    const caps = hostFixture('qemu-7.2', 'intel-kvm');
    for (const r of MACOS_RELEASES) {
      const { config } = buildPreset(`macos-${r.key}`, { name: 'mac', host: { threads: 8, memoryMiB: 16384 } });
      const devices = buildLaunchPlan(config, caps, { vmDir: '/v', runtimeDir: '/r', logDir: '/l' }).args.filter((_, i, a) => a[i - 1] === '-device');
      expect(devices, r.key).toEqual(expect.arrayContaining(['qemu-xhci,id=usb0', 'usb-kbd,bus=usb0.0', 'usb-tablet,bus=usb0.0']));
      expect(devices.some((d) => d.startsWith('usb-ehci')), r.key).toBe(false);
    }
  });

  it('recommends Sonoma alone; releases before Big Sur ship an APFS driver older than OpenCore\'s default minimum', () => {
    expect(MACOS_RELEASES.filter((r) => r.recommended).map((r) => r.key)).toEqual(['sonoma']);
    for (const k of before('big-sur')) expect(macosRelease(k)!.oldApfsDriver).toBe(true);
    for (const k of from('big-sur')) expect(macosRelease(k)!.oldApfsDriver).toBe(false);
  });

  it('finds releases by key or version, and nothing else', () => {
    expect(macosRelease('sonoma')?.version).toBe('14');
    expect(macosRelease('14')?.key).toBe('sonoma');
    expect(macosRelease('10.13')?.key).toBe('high-sierra');
    expect(macosRelease(' Ventura ')?.key).toBe('ventura');
    expect(macosRelease('snow-leopard')).toBeUndefined();
    expect(macosRelease('')).toBeUndefined();
  });
});
