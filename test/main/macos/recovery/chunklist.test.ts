import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appleEfiRomPublicKey, parseChunklist } from '../../../../src/main/macos/recovery/chunklist';
import { RecoveryError } from '../../../../src/main/macos/recovery/errors';
import { MiB, buildChunklist, makeTestKey } from './fake-apple';

const key = makeTestKey();
const other = makeTestKey();
const image = randomBytes(2 * MiB + 777);

describe('chunklist', () => {
  it('parses a signed chunklist into chunks with offsets', () => {
    const list = parseChunklist(buildChunklist(image, MiB, key.privateKey), key.publicKeyPem);
    expect(list.imageBytes).toBe(image.length);
    expect(list.chunks.map((c) => [c.offset, c.length])).toEqual([
      [0, MiB],
      [MiB, MiB],
      [2 * MiB, 777],
    ]);
  });

  it('loads Apple’s EFI ROM key as RSA-2048 with e=65537', () => {
    const k = appleEfiRomPublicKey();
    expect(k.asymmetricKeyType).toBe('rsa');
    expect(k.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(k.asymmetricKeyDetails?.publicExponent).toBe(65537n);
  });

  it('refuses a chunklist signed by our test key when checked against Apple’s key', () => {
    expect(() => parseChunklist(buildChunklist(image, MiB, key.privateKey))).toThrow(/not signed by Apple/);
  });

  it('refuses a signature by another key, and a damaged signature', () => {
    expect(() => parseChunklist(buildChunklist(image, MiB, key.privateKey, { signWith: other.privateKey }), key.publicKeyPem)).toThrow(
      /not signed by Apple/,
    );
    expect(() => parseChunklist(buildChunklist(image, MiB, key.privateKey, { damageSignature: true }), key.publicKeyPem)).toThrow(
      /not signed by Apple/,
    );
  });

  it('refuses a big-endian signature (Apple stores it little-endian)', () => {
    const good = buildChunklist(image, MiB, key.privateKey);
    const sigAt = good.length - 256;
    const flipped = Buffer.concat([good.subarray(0, sigAt), Buffer.from(good.subarray(sigAt)).reverse()]);
    expect(() => parseChunklist(flipped, key.publicKeyPem)).toThrow(/not signed by Apple/);
  });

  it('refuses signature method 2 (a digest, no signature)', () => {
    expect(() => parseChunklist(buildChunklist(image, MiB, key.privateKey, { signatureMethod: 2 }), key.publicKeyPem)).toThrow(
      /not signed by Apple \(signature method 2\)/,
    );
  });

  it('refuses the wrong magic in plain words', () => {
    const err = captured(() => parseChunklist(buildChunklist(image, MiB, key.privateKey, { magic: 'XXXX' }), key.publicKeyPem));
    expect(err).toBeInstanceOf(RecoveryError);
    expect(err.message).toMatch(/not an Apple chunklist \(magic 0x58585858/);
    expect(() => parseChunklist(Buffer.from('<html>'), key.publicKeyPem)).toThrow(/not an Apple chunklist/);
  });

  it('refuses truncation, extra bytes and a wrong header size', () => {
    const good = buildChunklist(image, MiB, key.privateKey);
    expect(() => parseChunklist(good.subarray(0, good.length - 1), key.publicKeyPem)).toThrow(/cut short/);
    expect(() => parseChunklist(good.subarray(0, 20), key.publicKeyPem)).toThrow(/cut short/);
    expect(() => parseChunklist(Buffer.concat([good, Buffer.alloc(1)]), key.publicKeyPem)).toThrow(/unexpected bytes/);
    const odd = Buffer.from(good);
    odd.writeUInt32LE(0x28, 4);
    expect(() => parseChunklist(odd, key.publicKeyPem)).toThrow(/header claims 40 bytes/);
    const count = Buffer.from(good);
    count.writeBigUInt64LE(4n, 12);
    expect(() => parseChunklist(count, key.publicKeyPem)).toThrow(/signature offset/);
  });
});

function captured(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('did not throw');
}
