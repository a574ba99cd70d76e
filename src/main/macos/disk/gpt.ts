// A GPT disk with one EFI System Partition, written by hand (UEFI 2.10 §5.2–5.3): protective
// MBR, primary header and entry array at the start, their backups at the end. OVMF would also
// boot a bare FAT disk ("superfloppy"), but OpenCore and macOS expect their loader on an ESP
// inside a partition table, as OSX-KVM's image and every Mac has it.
import { randomUUID } from 'node:crypto';
import { crc32 } from '../../media/crc32';

export const SECTOR = 512;
const ENTRY_COUNT = 128;
const ENTRY_SIZE = 128;
/** 128 entries × 128 bytes = 32 sectors. */
const ENTRY_SECTORS = (ENTRY_COUNT * ENTRY_SIZE) / SECTOR;
/** 1 MiB, the alignment every partitioning tool uses. */
export const ESP_START_LBA = 2048;
export const ESP_TYPE_GUID = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
/** "Basic data": a plain FAT data partition (the recovery disk), not a boot loader's. */
export const BASIC_DATA_TYPE_GUID = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';

export interface GptLayout {
  totalSectors: number;
  espStartLba: number;
  espEndLba: number;
  /** Sectors 0..33: protective MBR, primary header, primary entries. */
  head: Buffer;
  /** The last 33 sectors: backup entries, then the backup header in the very last sector. */
  tail: Buffer;
}

export interface GptOptions {
  diskGuid?: string;
  partitionGuid?: string;
  partitionName?: string;
  /** Default ESP_TYPE_GUID. */
  typeGuid?: string;
}

export function gptWithEsp(totalSectors: number, o: GptOptions = {}): GptLayout {
  const lastUsable = totalSectors - 1 - ENTRY_SECTORS - 1;
  if (!Number.isSafeInteger(totalSectors) || lastUsable < ESP_START_LBA + 2048) {
    throw new Error(`a GPT disk of ${totalSectors} sectors is too small for an EFI partition`);
  }
  const entries = Buffer.alloc(ENTRY_COUNT * ENTRY_SIZE);
  guidBytes(o.typeGuid ?? ESP_TYPE_GUID).copy(entries, 0);
  guidBytes(o.partitionGuid ?? randomUUID()).copy(entries, 16);
  entries.writeBigUInt64LE(BigInt(ESP_START_LBA), 32);
  entries.writeBigUInt64LE(BigInt(lastUsable), 40);
  // Attributes 0: the firmware must see it as an ordinary, visible partition.
  entries.write((o.partitionName ?? 'EFI System Partition').slice(0, 36), 56, 'utf16le');
  const entriesCrc = crc32(entries);
  const diskGuid = guidBytes(o.diskGuid ?? randomUUID());

  const header = (myLba: number, altLba: number, entriesLba: number): Buffer => {
    const h = Buffer.alloc(SECTOR);
    h.write('EFI PART', 0, 'latin1');
    h.writeUInt32LE(0x00010000, 8); // revision 1.0
    h.writeUInt32LE(92, 12); // header size
    h.writeBigUInt64LE(BigInt(myLba), 24);
    h.writeBigUInt64LE(BigInt(altLba), 32);
    h.writeBigUInt64LE(BigInt(1 + 1 + ENTRY_SECTORS), 40); // first usable: after primary entries
    h.writeBigUInt64LE(BigInt(lastUsable), 48);
    diskGuid.copy(h, 56);
    h.writeBigUInt64LE(BigInt(entriesLba), 72);
    h.writeUInt32LE(ENTRY_COUNT, 80);
    h.writeUInt32LE(ENTRY_SIZE, 84);
    h.writeUInt32LE(entriesCrc, 88);
    // The header CRC covers its 92 bytes with the CRC field itself zero.
    h.writeUInt32LE(crc32(h.subarray(0, 92)), 16);
    return h;
  };

  const last = totalSectors - 1;
  const head = Buffer.concat([protectiveMbr(totalSectors), header(1, last, 2), entries]);
  const tail = Buffer.concat([entries, header(last, 1, last - ENTRY_SECTORS)]);
  return { totalSectors, espStartLba: ESP_START_LBA, espEndLba: lastUsable, head, tail };
}

/** One MBR partition of type 0xEE over the whole disk, so MBR-only tools leave it alone. */
function protectiveMbr(totalSectors: number): Buffer {
  const m = Buffer.alloc(SECTOR);
  const p = 446;
  m[p + 1] = 0x00; // CHS of LBA 1: head 0,
  m[p + 2] = 0x02; //   sector 2,
  m[p + 3] = 0x00; //   cylinder 0
  m[p + 4] = 0xee;
  m.fill(0xff, p + 5, p + 8); // CHS end: "too large to express"
  m.writeUInt32LE(1, p + 8);
  m.writeUInt32LE(Math.min(totalSectors - 1, 0xffffffff), p + 12);
  m[510] = 0x55;
  m[511] = 0xaa;
  return m;
}

/** GUID text → the on-disk form: the first three fields little-endian, the rest as written. */
export function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`"${guid}" is not a GUID`);
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}
