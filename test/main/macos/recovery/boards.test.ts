import { describe, expect, it } from 'vitest';
import { MACOS_RELEASES, macosRelease } from '../../../../src/shared/os/macos-releases';
import { APPLE_EFI_ROM_PUBLIC_KEY } from '../../../../src/main/macos/recovery/apple-key';
import { ALTERNATIVE_RECOVERY_REQUESTS, RECOVERY_REQUESTS, recoveryRequest } from '../../../../src/main/macos/recovery/boards';

describe('RECOVERY_REQUESTS', () => {
  it.each(MACOS_RELEASES.map((r) => [r.key, RECOVERY_REQUESTS[r.key]] as const))('%s: recovery request is well formed', (_k, r) => {
    expect(r.boardId).toMatch(/^Mac-[0-9A-F]{16}$/);
    expect(r.mlb).toMatch(/^[0-9A-Z]{17}$/);
    expect(['default', 'latest']).toContain(r.osType);
    expect(r.reason).toContain(r.boardId);
  });

  it('matches the requests OpenCorePkg publishes', () => {
    expect(recoveryRequest('high-sierra')).toMatchObject({ boardId: 'Mac-7BA5B2D9E42DDD94', mlb: '00000000000J80300' });
    expect(recoveryRequest('mojave')).toMatchObject({ boardId: 'Mac-7BA5B2DFE22DDD8C', mlb: '00000000000KXPG00' });
    expect(recoveryRequest('sonoma')).toMatchObject({ boardId: 'Mac-827FAC58A8FDFA22', mlb: '0'.repeat(17), osType: 'default' });
    expect(recoveryRequest('26')).toMatchObject({ boardId: 'Mac-CFF7D910A743CAAF', osType: 'latest' });
    expect(recoveryRequest('snow-leopard')).toBeUndefined();
  });

  it('keeps alternative requests well formed and different from the primary', () => {
    for (const [k, alts] of Object.entries(ALTERNATIVE_RECOVERY_REQUESTS)) {
      const r = macosRelease(k)!;
      expect(r).toBeDefined();
      for (const a of alts ?? []) {
        expect(a.boardId).toMatch(/^Mac-[0-9A-F]{16}$/);
        expect(a.mlb).toHaveLength(17);
        expect(a.boardId).not.toBe(RECOVERY_REQUESTS[r.key].boardId);
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
