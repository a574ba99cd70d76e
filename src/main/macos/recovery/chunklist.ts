// Apple's chunklist: the signed list of SHA-256 hashes, one per slice ("chunk") of the
// recovery image. Layout and checks as OpenCorePkg implements them: Utilities/macrecovery/
// macrecovery.py (ChunkListHeader '<4sIBBBxQQQ', Chunk '<I32s', verify_chunklist). All
// integers little-endian.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { APPLE_EFI_ROM_PUBLIC_KEY } from './apple-key';
import { RecoveryError } from './errors';

export const CHUNKLIST_MAGIC = 'CNKL';
export const CHUNKLIST_HEADER_SIZE = 0x24;
/** u32 length + 32-byte SHA-256. */
export const CHUNKLIST_ENTRY_SIZE = 0x24;
export const CHUNKLIST_SIGNATURE_SIZE = 256;
/** Method 1 = RSA-2048 signature; macrecovery.py refuses method 2 (a bare digest, no signature). */
export const SIGNATURE_METHOD_RSA = 1;
/**
 * Apple's chunks are a few MiB; anything far larger is a broken or hostile chunklist, and each
 * chunk is held in memory while it is verified.
 */
export const MAX_CHUNK_BYTES = 64 * 2 ** 20;

export interface ChunkEntry {
  index: number;
  /** Where the chunk starts in the image. */
  offset: number;
  length: number;
  sha256: Buffer;
}

export interface Chunklist {
  chunks: ChunkEntry[];
  /** Sum of the chunk lengths: the exact size of the image. */
  imageBytes: number;
}

/** Apple's EFI ROM RSA-2048 key (modulus from macrecovery.py), as a Node KeyObject. */
export function appleEfiRomPublicKey(): KeyObject {
  return publicKeyFromModulus(APPLE_EFI_ROM_PUBLIC_KEY.modulusHex, APPLE_EFI_ROM_PUBLIC_KEY.exponent);
}

export function publicKeyFromModulus(modulusHex: string, exponent: number): KeyObject {
  const n = Buffer.from(modulusHex, 'hex');
  let e = Buffer.alloc(4);
  e.writeUInt32BE(exponent);
  while (e.length > 1 && e[0] === 0) e = e.subarray(1);
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
}

function bad(message: string): RecoveryError {
  return new RecoveryError('chunklist', message);
}

/**
 * Parses a chunklist and checks Apple's signature over it. Throws a RecoveryError with a plain
 * message for anything that isn't a well-formed, Apple-signed (method 1) chunklist.
 */
export function parseChunklist(data: Uint8Array, publicKey: KeyObject | string = appleEfiRomPublicKey()): Chunklist {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 4 || buf.toString('latin1', 0, 4) !== CHUNKLIST_MAGIC) {
    const magic = buf.subarray(0, 4).toString('hex');
    throw bad(`This file is not an Apple chunklist (magic ${magic ? `0x${magic}` : 'missing'} instead of "CNKL").`);
  }
  if (buf.length < CHUNKLIST_HEADER_SIZE) {
    throw bad(`The chunklist is cut short: ${buf.length} bytes, less than its ${CHUNKLIST_HEADER_SIZE}-byte header.`);
  }
  const headerSize = buf.readUInt32LE(4);
  const version = buf.readUInt8(8);
  const chunkMethod = buf.readUInt8(9);
  const signatureMethod = buf.readUInt8(10);
  const count = buf.readBigUInt64LE(12);
  const chunkOffset = buf.readBigUInt64LE(20);
  const signatureOffset = buf.readBigUInt64LE(28);
  if (headerSize !== CHUNKLIST_HEADER_SIZE) {
    throw bad(`This is not a chunklist we understand: its header claims ${headerSize} bytes instead of ${CHUNKLIST_HEADER_SIZE}.`);
  }
  if (version !== 1) throw bad(`This is not a chunklist we understand: version ${version} instead of 1.`);
  if (chunkMethod !== 1) throw bad(`This is not a chunklist we understand: chunk method ${chunkMethod} instead of 1 (SHA-256).`);
  if (count === 0n) throw bad('The chunklist lists no chunks.');
  if (chunkOffset !== BigInt(CHUNKLIST_HEADER_SIZE)) {
    throw bad(`The chunklist is malformed: its chunk table starts at ${chunkOffset} instead of right after the header.`);
  }
  if (signatureOffset !== chunkOffset + BigInt(CHUNKLIST_ENTRY_SIZE) * count) {
    throw bad(`The chunklist is malformed: its signature offset (${signatureOffset}) does not follow its ${count} chunks.`);
  }
  if (signatureMethod !== SIGNATURE_METHOD_RSA) {
    // macrecovery.py: method 2 carries only a SHA-256 digest ("Chunklist missing digital
    // signature"); anyone could write one, so it proves nothing about where the image came from.
    throw bad(`This chunklist is not signed by Apple (signature method ${signatureMethod}), so the image can't be trusted.`);
  }
  const expected = signatureOffset + BigInt(CHUNKLIST_SIGNATURE_SIZE);
  if (BigInt(buf.length) < expected) {
    throw bad(`The chunklist is cut short: ${buf.length} bytes where its header promises ${expected}.`);
  }
  if (BigInt(buf.length) > expected) {
    throw bad(`The chunklist has ${BigInt(buf.length) - expected} unexpected bytes after its signature.`);
  }
  const sigAt = Number(signatureOffset);
  // Stored little-endian (macrecovery.py reads it with int_from_unsigned_bytes(…, 'little'));
  // RSA signatures are big-endian integers, so reverse before verifying.
  const signature = Buffer.from(buf.subarray(sigAt, sigAt + CHUNKLIST_SIGNATURE_SIZE)).reverse();
  // PKCS#1 v1.5 over SHA-256(header + chunk table): macrecovery.py builds exactly that padded
  // DigestInfo and compares it with signature^65537 mod N; Node's RSA verify does the same.
  let ok = false;
  try {
    ok = verify('sha256', buf.subarray(0, sigAt), publicKey, signature);
  } catch (err) {
    throw bad(`The chunklist's signature could not be checked (${(err as Error).message}).`);
  }
  if (!ok) throw bad("This chunklist is not signed by Apple: its signature doesn't match Apple's key, so the image can't be trusted.");

  const chunks: ChunkEntry[] = [];
  let offset = 0;
  for (let i = 0; i < Number(count); i++) {
    const at = CHUNKLIST_HEADER_SIZE + i * CHUNKLIST_ENTRY_SIZE;
    const length = buf.readUInt32LE(at);
    if (length === 0 || length > MAX_CHUNK_BYTES) {
      throw bad(`The chunklist is malformed: chunk ${i + 1} claims ${length} bytes.`);
    }
    chunks.push({ index: i, offset, length, sha256: Buffer.from(buf.subarray(at + 4, at + CHUNKLIST_ENTRY_SIZE)) });
    offset += length;
  }
  return { chunks, imageBytes: offset };
}

export function chunkMatches(chunk: ChunkEntry, bytes: Uint8Array): boolean {
  return bytes.byteLength === chunk.length && createHash('sha256').update(bytes).digest().equals(chunk.sha256);
}
