// Partition tables and file system signatures, on tables built here byte by byte (the qemu test
// reads a real MBR disk made with mkfs tools): GPT with names and types, an extended MBR
// partition's logical ones, a disk without a table; and qemu-storage-daemon's export argv.
import { describe, expect, it } from 'vitest';
import { detectFilesystem } from '../../../src/main/disks/inspect/filesystems';
import { readPartitionTable, type ReadAt } from '../../../src/main/disks/inspect/partitions';
import { fuseExportArgs } from '../../../src/main/qemu/storage-daemon';

const MiB = 1024 ** 2;
const at = (disk: Buffer): ReadAt => async (o, n) => disk.subarray(o, o + n);

/** A GUID as GPT stores it (first three fields little-endian). */
function guidBytes(g: string): Buffer {
  const h = g.replace(/-/g, '');
  const b = Buffer.from(h, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

describe('partition tables', () => {
  it('reads a GPT: types in words, names, sizes', async () => {
    const disk = Buffer.alloc(4 * MiB);
    disk[446 + 4] = 0xee;
    disk[510] = 0x55;
    disk[511] = 0xaa;
    disk.write('EFI PART', 512, 'latin1');
    disk.writeBigUInt64LE(2n, 512 + 72);
    disk.writeUInt32LE(128, 512 + 80);
    disk.writeUInt32LE(128, 512 + 84);
    const entry = (i: number, type: string, first: number, last: number, name: string) => {
      const o = 1024 + i * 128;
      guidBytes(type).copy(disk, o);
      disk.writeBigUInt64LE(BigInt(first), o + 32);
      disk.writeBigUInt64LE(BigInt(last), o + 40);
      disk.write(name, o + 56, 'utf16le');
    };
    entry(0, 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b', 2048, 4095, 'EFI System Partition');
    entry(2, '0fc63daf-8483-4772-8e79-3d69d8477de4', 4096, 8191, 'root');
    const t = await readPartitionTable(at(disk), disk.length);
    expect(t).toEqual({
      scheme: 'gpt',
      partitions: [
        { index: 1, start: 1 * MiB, size: 1 * MiB, type: 'EFI system', name: 'EFI System Partition' },
        { index: 3, start: 2 * MiB, size: 2 * MiB, type: 'Linux filesystem', name: 'root' },
      ],
    });
  });

  it('reads logical partitions inside an extended one, numbered from 5', async () => {
    const disk = Buffer.alloc(8 * MiB);
    const put = (base: number, slot: number, type: number, startSectors: number, sizeSectors: number) => {
      const e = base + 446 + slot * 16;
      disk[e + 4] = type;
      disk.writeUInt32LE(startSectors, e + 8);
      disk.writeUInt32LE(sizeSectors, e + 12);
      disk[base + 510] = 0x55;
      disk[base + 511] = 0xaa;
    };
    put(0, 0, 0x83, 2048, 2048);
    put(0, 1, 0x05, 4096, 8192);
    put(4096 * 512, 0, 0x82, 2048, 2048); // logical 5: 1 MiB into the extended partition
    put(4096 * 512, 1, 0x05, 4096, 4096); // the next EBR, relative to the extended partition
    put(8192 * 512, 0, 0x83, 2048, 2048); // logical 6
    const t = await readPartitionTable(at(disk), disk.length);
    expect(t.partitions.map((p) => [p.index, p.start / MiB, p.type])).toEqual([
      [1, 1, 'Linux'],
      [5, 3, 'Linux swap'],
      [6, 5, 'Linux'],
    ]);
  });

  it('says "none" for a disk without a table, and a FAT file system on the whole disk is seen', async () => {
    const disk = Buffer.alloc(MiB);
    expect(await readPartitionTable(at(disk), disk.length)).toEqual({ scheme: 'none', partitions: [] });
    disk.write('FAT32', 0x52, 'latin1');
    disk[510] = 0x55;
    disk[511] = 0xaa;
    expect(await readPartitionTable(at(disk), disk.length)).toEqual({ scheme: 'none', partitions: [] });
    expect(await detectFilesystem(at(disk), disk.length)).toBe('fat');
  });
});

describe('qemu-storage-daemon export', () => {
  it('exports one partition read-only over FUSE through the raw driver\'s offset and size; commas doubled', () => {
    expect(fuseExportArgs({ file: '/d/a,b.qcow2', format: 'qcow2', offset: MiB, size: 2 * MiB, mountpoint: '/t/disk.raw' })).toEqual([
      '--blockdev', 'driver=file,filename=/d/a,,b.qcow2,node-name=file0,read-only=on',
      '--blockdev', 'driver=qcow2,file=file0,node-name=fmt0,read-only=on',
      '--blockdev', `driver=raw,file=fmt0,node-name=part0,offset=${MiB},size=${2 * MiB},read-only=on`,
      '--export', 'type=fuse,id=look0,node-name=part0,mountpoint=/t/disk.raw,writable=off,allow-other=off',
    ]);
  });
});
