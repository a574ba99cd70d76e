import { describe, expect, it } from 'vitest';
import {
  ALTERNATIVE_RECOVERY_REQUESTS,
  APPLE_EFI_ROM_PUBLIC_KEY,
  MACOS_RELEASES,
  macosRelease,
  type MacosReleaseKey,
} from '../../../src/shared/os/macos-releases';

const ORDER: MacosReleaseKey[] = ['high-sierra', 'mojave', 'catalina', 'big-sur', 'monterey', 'ventura', 'sonoma', 'sequoia', 'tahoe'];
const from = (k: MacosReleaseKey) => ORDER.slice(ORDER.indexOf(k));
const before = (k: MacosReleaseKey) => ORDER.slice(0, ORDER.indexOf(k));

describe('MACOS_RELEASES', () => {
  it('lists every release once, oldest first', () => {
    expect(MACOS_RELEASES.map((r) => r.key)).toEqual(ORDER);
  });

  it.each(MACOS_RELEASES.map((r) => [r.key, r] as const))('%s: recovery request is well formed', (_k, r) => {
    expect(r.boardId).toMatch(/^Mac-[0-9A-F]{16}$/);
    expect(r.mlb).toMatch(/^[0-9A-Z]{17}$/);
    expect(['default', 'latest']).toContain(r.osType);
  });

  it.each(MACOS_RELEASES.map((r) => [r.key, r] as const))('%s: CPU, reasons and sources', (_k, r) => {
    expect(r.cpu.amdHost.flags).toContain('vendor=GenuineIntel');
    expect(r.cpu.amdHost.model).not.toBe('host');
    for (const c of [r.cpu.amdHost, r.cpu.intelHost]) {
      expect(c.flags).toContain('-pdpe1gb');
      expect(c.flags).toContain('vmware-cpuid-freq=on');
      expect(c.flags.every((f) => !f.includes(','))).toBe(true);
    }
    for (const k of ['recovery', 'diskBus', 'nic', 'needs', 'cpu', 'usb', 'display', 'cores', 'memory', 'disk']) {
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

  it('puts USB input on XHCI everywhere', () => {
    expect(MACOS_RELEASES.every((r) => r.usbInputOnXhci)).toBe(true);
  });

  it('matches the requests OpenCorePkg publishes', () => {
    expect(macosRelease('high-sierra')).toMatchObject({ boardId: 'Mac-7BA5B2D9E42DDD94', mlb: '00000000000J80300' });
    expect(macosRelease('mojave')).toMatchObject({ boardId: 'Mac-7BA5B2DFE22DDD8C', mlb: '00000000000KXPG00' });
    expect(macosRelease('sonoma')).toMatchObject({ boardId: 'Mac-827FAC58A8FDFA22', mlb: '0'.repeat(17), osType: 'default' });
    expect(macosRelease('tahoe')).toMatchObject({ boardId: 'Mac-CFF7D910A743CAAF', osType: 'latest', version: '26' });
  });

  it('finds releases by key or version, and nothing else', () => {
    expect(macosRelease('sonoma')?.version).toBe('14');
    expect(macosRelease('14')?.key).toBe('sonoma');
    expect(macosRelease('10.13')?.key).toBe('high-sierra');
    expect(macosRelease(' Ventura ')?.key).toBe('ventura');
    expect(macosRelease('snow-leopard')).toBeUndefined();
    expect(macosRelease('')).toBeUndefined();
  });

  it('keeps alternative requests well formed and different from the primary', () => {
    for (const [k, alts] of Object.entries(ALTERNATIVE_RECOVERY_REQUESTS)) {
      const r = macosRelease(k)!;
      expect(r).toBeDefined();
      for (const a of alts ?? []) {
        expect(a.boardId).toMatch(/^Mac-[0-9A-F]{16}$/);
        expect(a.mlb).toHaveLength(17);
        expect(a.boardId).not.toBe(r.boardId);
        expect(a.source).toBeTruthy();
      }
    }
  });
});

describe('APPLE_EFI_ROM_PUBLIC_KEY', () => {
  it('is a 2048-bit modulus with exponent 65537', () => {
    const { modulusHex, exponent } = APPLE_EFI_ROM_PUBLIC_KEY;
    expect(modulusHex).toMatch(/^[0-9A-F]{512}$/);
    expect(modulusHex.slice(0, 8)).toBe('C3E748CA');
    expect(modulusHex.slice(-8)).toBe('6B3EFDCF');
    expect(BigInt('0x' + modulusHex) >> 2047n).toBe(1n); // top bit set: really 2048 bits
    expect(BigInt('0x' + modulusHex) & 1n).toBe(1n); // odd, as an RSA modulus is
    expect(exponent).toBe(65537);
  });
});
