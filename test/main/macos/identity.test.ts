import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSerial, defaultModelFor, ensureIdentity, generateIdentity, MAC_MODELS, mlbChecksumOk, type RandomBytes } from '../../../src/main/macos/identity';
import { MACOS_RELEASES } from '../../../src/shared/os/macos-releases';
import { vmConfig } from '../../../src/shared/vm-config';

/** A reproducible byte stream (SHA-256 in counter mode) standing in for crypto.randomBytes. */
function seeded(seed: string): RandomBytes {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (n) => {
    while (pool.length < n) pool = Buffer.concat([pool, createHash('sha256').update(`${seed}:${counter++}`).digest()]);
    const out = pool.subarray(0, n);
    pool = pool.subarray(n);
    return out;
  };
}

const macosSchema = vmConfig.shape.macos.unwrap();

describe('per-guest macOS identity', () => {
  it('has the formats macserial and the VmConfig schema expect', () => {
    for (const model of Object.keys(MAC_MODELS)) {
      const id = generateIdentity({ model, random: seeded(model) });
      expect(id.model).toBe(model);
      expect(id.serial).toMatch(/^C02[CDFGHJKLMNPQRSTVWXYZ][1-9CDFGHJKLMNPQRTVWX][0-9A-HJ-NP-Z]{3}[0-9A-Z]{4}$/);
      expect(id.serial.endsWith(MAC_MODELS[model]!.productCode)).toBe(true);
      expect(id.mlb).toHaveLength(17);
      expect(id.mlb.slice(11, 15)).toBe(MAC_MODELS[model]!.boardCode);
      expect(id.rom).toMatch(/^[0-9a-f]{12}$/);
      expect(id.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
      expect(macosSchema.parse(id)).toEqual(id);
    }
  });

  it('is deterministic for a given random source, and different for another', () => {
    expect(generateIdentity({ random: seeded('a') })).toEqual(generateIdentity({ random: seeded('a') }));
    expect(generateIdentity({ random: seeded('a') })).not.toEqual(generateIdentity({ random: seeded('b') }));
  });

  it('never repeats across calls with the real random source', () => {
    const ids = Array.from({ length: 300 }, () => generateIdentity());
    // ROM (46 random bits) and UUID (122) never collide in practice; they are what makes the
    // identity unique. Serials (~5 years × 52 weeks × 3400 lines) and MLBs (~11 000 per model
    // under macserial's fixed blocks) are narrower spaces: only the whole identity must differ.
    expect(new Set(ids.map((i) => i.rom)).size).toBe(ids.length);
    expect(new Set(ids.map((i) => i.uuid)).size).toBe(ids.length);
    expect(new Set(ids.map((i) => `${i.serial}/${i.mlb}`)).size).toBe(ids.length);
  });

  it('decodes back to a year the model was made in, a valid week and line (macserial -i)', () => {
    for (let i = 0; i < 500; i++) {
      const model = i % 2 ? 'iMac20,1' : 'iMacPro1,1';
      const id = generateIdentity({ model, random: seeded(`d${i}`) });
      const d = decodeSerial(id.serial);
      expect(d.problems).toEqual([]);
      expect(d.model).toBe(model);
      expect(MAC_MODELS[model]!.years).toContain(d.year);
      expect(d.week).toBeGreaterThanOrEqual(1);
      expect(d.week).toBeLessThanOrEqual(52);
      // The board is one week older than the Mac (week 0 → week 53 of the year before).
      const mlbYear = Number(id.mlb[3]);
      const mlbWeek = Number(id.mlb.slice(4, 6));
      if (d.week === 1) expect([mlbYear, mlbWeek]).toEqual([(d.year + 9) % 10, 53]);
      else expect([mlbYear, mlbWeek]).toEqual([d.year % 10, d.week - 1]);
    }
  });

  it('decodes serials exactly as macserial 2.1.8 does (values from `macserial -i`)', () => {
    // macserial's own base serials for the two models.
    expect(decodeSerial('C02VV5RFHX87')).toMatchObject({ location: 'C02', year: 2017, week: 50, line: 1205, model: 'iMacPro1,1', problems: [] });
    expect(decodeSerial('C02D38RCPN5T')).toMatchObject({ year: 2020, week: 29, line: 1406, model: 'iMac20,1', problems: [] });
    expect(decodeSerial('C02C5DYRHX87')).toMatchObject({ year: 2020, week: 5, line: 1997 });
    expect(decodeSerial('C02AV5RFHX87').problems).toContain("'A' is not a year character");
    expect(decodeSerial('C02VO5RFHX87').problems.length).toBeGreaterThan(0);
  });

  it('MLB checksum as macserial verifies it', () => {
    // OSX-KVM's shared MLB and one of ours pass `macserial --verify`; the Sample.plist
    // placeholder and a one-character change fail it.
    expect(mlbChecksumOk('C02119700QXJG36JC')).toBe(true);
    expect(mlbChecksumOk('C02004310QXJG361F')).toBe(true);
    expect(mlbChecksumOk('C02004310QXJG361H')).toBe(false);
    expect(mlbChecksumOk('M0000000000000001')).toBe(false);
    expect(mlbChecksumOk('C0211970OQXJG36JC')).toBe(false); // O is not in Apple's base 34
    for (let i = 0; i < 200; i++) expect(mlbChecksumOk(generateIdentity({ random: seeded(`m${i}`) }).mlb)).toBe(true);
  });

  it('ROM is a locally administered unicast MAC address', () => {
    for (let i = 0; i < 100; i++) {
      const first = parseInt(generateIdentity({ random: seeded(`r${i}`) }).rom.slice(0, 2), 16);
      expect(first & 0b11).toBe(0b10);
    }
  });

  it('a model Apple supports for the release; an existing identity is kept', () => {
    expect(defaultModelFor('sequoia')).toBe('iMacPro1,1');
    expect(defaultModelFor('high-sierra')).toBe('iMacPro1,1');
    expect(defaultModelFor('tahoe')).toBe('iMac20,1');
    const kept = generateIdentity({ random: seeded('k') });
    expect(ensureIdentity(kept, 'tahoe')).toBe(kept);
    expect(ensureIdentity(undefined, 'tahoe').model).toBe('iMac20,1');
    expect(() => generateIdentity({ model: 'Macmini9,1' })).toThrow(/no serial rules/);
  });

  it('every release\'s model in the release table has serial rules, and Apple supports the release on it', () => {
    const majorMinor = (v: string) => v.split('.').slice(0, 2).map(Number);
    const atMost = (a: string, b: string) => {
      const [a1 = 0, a2 = 0] = majorMinor(a);
      const [b1 = 0, b2 = 0] = majorMinor(b);
      return a1 < b1 || (a1 === b1 && a2 <= b2);
    };
    for (const r of MACOS_RELEASES) {
      const facts = MAC_MODELS[r.macModel];
      expect(facts, r.key).toBeDefined();
      expect(atMost(facts!.minOs, r.version), `${r.key} on ${r.macModel}`).toBe(true);
      if (facts!.maxOs) expect(atMost(r.version, facts!.maxOs), `${r.key} on ${r.macModel}`).toBe(true);
      expect(defaultModelFor(r.key)).toBe(r.macModel);
    }
  });

  it('a constant random source is caught instead of looping forever', () => {
    expect(() => generateIdentity({ random: (n) => Buffer.alloc(n, 0) })).toThrow(/is the random source constant/);
  });
});
