import { describe, expect, it } from 'vitest';
import { ESP_START_LBA, gptWithEsp, guidBytes, SECTOR } from '../../../../src/main/macos/disk/gpt';
import { crc32 } from '../../../../src/main/media/crc32';

const total = (128 * 2 ** 20) / SECTOR;
const g = gptWithEsp(total, { diskGuid: '11111111-2222-3333-4444-555555555555', partitionGuid: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE' });

function header(buf: Buffer) {
  return {
    sig: buf.toString('latin1', 0, 8),
    size: buf.readUInt32LE(12),
    crc: buf.readUInt32LE(16),
    my: Number(buf.readBigUInt64LE(24)),
    alt: Number(buf.readBigUInt64LE(32)),
    first: Number(buf.readBigUInt64LE(40)),
    last: Number(buf.readBigUInt64LE(48)),
    entriesLba: Number(buf.readBigUInt64LE(72)),
    count: buf.readUInt32LE(80),
    entrySize: buf.readUInt32LE(84),
    entriesCrc: buf.readUInt32LE(88),
  };
}

describe('GPT with one EFI System Partition', () => {
  it('protective MBR: one 0xEE partition over the disk, boot signature', () => {
    const mbr = g.head.subarray(0, 512);
    expect(mbr[446 + 4]).toBe(0xee);
    expect(mbr.readUInt32LE(446 + 8)).toBe(1);
    expect(mbr.readUInt32LE(446 + 12)).toBe(total - 1);
    expect(mbr.subarray(510)).toEqual(Buffer.from([0x55, 0xaa]));
  });

  it('primary and backup headers point at each other, with valid CRCs', () => {
    const primary = g.head.subarray(512, 1024);
    const backup = g.tail.subarray(g.tail.length - 512);
    const p = header(primary);
    const b = header(backup);
    expect(p).toMatchObject({ sig: 'EFI PART', size: 92, my: 1, alt: total - 1, first: 34, last: total - 34, entriesLba: 2, count: 128, entrySize: 128 });
    expect(b).toMatchObject({ sig: 'EFI PART', my: total - 1, alt: 1, first: 34, last: total - 34, entriesLba: total - 33 });
    for (const h of [primary, backup]) {
      const copy = Buffer.from(h.subarray(0, 92));
      copy.writeUInt32LE(0, 16);
      expect(crc32(copy)).toBe(h.readUInt32LE(16));
    }
    const entries = g.head.subarray(1024);
    expect(entries.length).toBe(128 * 128);
    expect(crc32(entries)).toBe(p.entriesCrc);
    expect(g.tail.subarray(0, 128 * 128)).toEqual(entries);
    expect(g.head.length).toBe(34 * SECTOR);
    expect(g.tail.length).toBe(33 * SECTOR);
  });

  it('one ESP entry from 1 MiB to the last usable sector', () => {
    const e = g.head.subarray(1024, 1024 + 128);
    // C12A7328-F81F-11D2-BA4B-00A0C93EC93B in GPT's mixed-endian byte order.
    expect(e.subarray(0, 16).toString('hex')).toBe('28732ac11ff8d211ba4b00a0c93ec93b');
    expect(e.subarray(16, 32)).toEqual(guidBytes('AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE'));
    expect(Number(e.readBigUInt64LE(32))).toBe(ESP_START_LBA);
    expect(Number(e.readBigUInt64LE(40))).toBe(total - 34);
    expect(e.toString('utf16le', 56, 56 + 40)).toBe('EFI System Partition');
    expect(g.head.subarray(1024 + 128, 1024 + 256)).toEqual(Buffer.alloc(128));
    expect([g.espStartLba, g.espEndLba]).toEqual([2048, total - 34]);
  });

  it('GUID byte order and size limits', () => {
    expect(guidBytes('00112233-4455-6677-8899-AABBCCDDEEFF').toString('hex')).toBe('33221100554477668899aabbccddeeff');
    expect(() => guidBytes('not-a-guid')).toThrow();
    expect(() => gptWithEsp(3000)).toThrow(/too small/);
  });
});
