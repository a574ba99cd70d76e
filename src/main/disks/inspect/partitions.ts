// Partition tables read from a disk's first sectors: GPT (with its protective MBR) and MBR with
// extended partitions. 512-byte sectors, which is what QEMU's virtual disks have.
export interface Partition {
  /** 1-based, as Linux numbers them (sda1, nbd0p1). */
  index: number;
  start: number;
  size: number;
  /** What the table says it is for, in words. */
  type: string;
  /** GPT's partition name, when it has one. */
  name?: string;
}

export interface PartitionTable {
  scheme: 'gpt' | 'mbr' | 'none';
  partitions: Partition[];
}

export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

const SECTOR = 512;

const GPT_TYPES: Record<string, string> = {
  'c12a7328-f81f-11d2-ba4b-00a0c93ec93b': 'EFI system',
  '21686148-6449-6e6f-744e-656564454649': 'BIOS boot',
  '0fc63daf-8483-4772-8e79-3d69d8477de4': 'Linux filesystem',
  '4f68bce3-e8cd-4db1-96e7-fbcaf984b709': 'Linux root (x86-64)',
  '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f': 'Linux swap',
  'e6d6d379-f507-44c2-a23c-238f2a3df928': 'Linux LVM',
  'a19d880f-05fc-4d3b-a006-743f0f84911e': 'Linux RAID',
  'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7': 'Microsoft basic data',
  'e3c9e316-0b5c-4db8-817d-f92df00215ae': 'Microsoft reserved',
  'de94bba4-06d1-4d40-a16a-bfd50179d6ac': 'Windows recovery',
  '48465300-0000-11aa-aa11-00306543ecac': 'Apple HFS+',
  '7c3457ef-0000-11aa-aa11-00306543ecac': 'Apple APFS',
};

const MBR_TYPES: Record<number, string> = {
  0x01: 'FAT12', 0x04: 'FAT16', 0x06: 'FAT16', 0x07: 'NTFS/exFAT', 0x0b: 'FAT32', 0x0c: 'FAT32 (LBA)', 0x0e: 'FAT16 (LBA)',
  0x27: 'Windows recovery', 0x82: 'Linux swap', 0x83: 'Linux', 0x8e: 'Linux LVM', 0xef: 'EFI system', 0xfd: 'Linux RAID',
};
const EXTENDED = new Set([0x05, 0x0f, 0x85]);

/** A GPT type GUID as text: the first three fields are little-endian. */
function guid(b: Buffer): string {
  const h = (x: Buffer) => x.toString('hex');
  const le = (o: number, n: number) => h(Buffer.from(b.subarray(o, o + n)).reverse());
  return `${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${h(b.subarray(8, 10))}-${h(b.subarray(10, 16))}`;
}

async function readGpt(read: ReadAt, diskSize: number): Promise<Partition[]> {
  const hdr = await read(SECTOR, SECTOR);
  if (hdr.toString('latin1', 0, 8) !== 'EFI PART') throw new Error('the protective MBR promises a GPT, but its header is missing');
  const entriesLba = Number(hdr.readBigUInt64LE(72));
  const count = Math.min(hdr.readUInt32LE(80), 1024);
  const entrySize = hdr.readUInt32LE(84);
  if (entrySize < 128 || entrySize > 4096) throw new Error(`the GPT's entries are ${entrySize} bytes, which no GPT has`);
  const table = await read(entriesLba * SECTOR, count * entrySize);
  const out: Partition[] = [];
  for (let i = 0; i < count; i++) {
    const e = table.subarray(i * entrySize, (i + 1) * entrySize);
    if (e.subarray(0, 16).every((x) => x === 0)) continue;
    const first = Number(e.readBigUInt64LE(32));
    const last = Number(e.readBigUInt64LE(40));
    if (last < first || (last + 1) * SECTOR > diskSize) continue;
    const type = guid(e.subarray(0, 16));
    const name = e.toString('utf16le', 56, 128).replace(/\0.*$/s, '');
    out.push({ index: i + 1, start: first * SECTOR, size: (last - first + 1) * SECTOR, type: GPT_TYPES[type] ?? type, name: name || undefined });
  }
  return out;
}

export async function readPartitionTable(read: ReadAt, diskSize: number): Promise<PartitionTable> {
  const mbr = await read(0, SECTOR);
  if (mbr.length < SECTOR || mbr[510] !== 0x55 || mbr[511] !== 0xaa) return { scheme: 'none', partitions: [] };
  const entries = [0, 1, 2, 3].map((i) => mbr.subarray(446 + i * 16, 462 + i * 16));
  if (entries.some((e) => e[4] === 0xee)) return { scheme: 'gpt', partitions: await readGpt(read, diskSize) };
  const out: Partition[] = [];
  // A boot sector of a file system on the whole disk (a FAT floppy) has 55 AA too, but no entries
  // that fit the disk: then there is no table.
  for (const [i, e] of entries.entries()) {
    const type = e[4]!;
    const start = e.readUInt32LE(8) * SECTOR;
    const size = e.readUInt32LE(12) * SECTOR;
    if (!type || !size || start + size > diskSize) continue;
    if (EXTENDED.has(type)) {
      // Logical partitions: a chain of EBRs, each relative to the extended partition's start.
      let ebr = start;
      for (let n = 5; n < 5 + 128 && ebr; n++) {
        const b = await read(ebr, SECTOR);
        if (b[510] !== 0x55 || b[511] !== 0xaa) break;
        const l = b.subarray(446, 462);
        const ls = l.readUInt32LE(8) * SECTOR;
        const lsize = l.readUInt32LE(12) * SECTOR;
        if (l[4] && lsize && ebr + ls + lsize <= diskSize) out.push({ index: n, start: ebr + ls, size: lsize, type: MBR_TYPES[l[4]] ?? `type 0x${l[4].toString(16)}` });
        const next = b.subarray(462, 478);
        ebr = next[4] && EXTENDED.has(next[4]) ? start + next.readUInt32LE(8) * SECTOR : 0;
      }
      continue;
    }
    out.push({ index: i + 1, start, size, type: MBR_TYPES[type] ?? `type 0x${type.toString(16)}` });
  }
  return { scheme: out.length ? 'mbr' : 'none', partitions: out };
}
