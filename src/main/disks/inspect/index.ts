// Looking inside a guest's disk from the host, without root: the image exported read-only
// (fuse-export.ts), its partition table and file systems read, files copied out with tools that
// read those file systems as a normal user (debugfs for ext2/3/4, mtools for FAT, ntfs-3g's ntfscat
// for NTFS files). For everything else (LVM, btrfs, XFS, encrypted volumes) the exact privileged
// commands are given, and run through pkexec only when asked.
import { access, open, stat, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import { controlCharIn } from '../../../shared/control-chars';
import { shellCommand } from '../../qemu/shell-quote';
import { ConfigError } from '../../../shared/vm-config';
import { imageInfo } from '../../images';
import { type DiskContext, DiskRuleError } from '../context';
import { pickDisk } from '../guest-files';
import { detectFilesystem, FS_LABELS, READERS, type FsKind } from './filesystems';
import { withFuseExport } from './fuse-export';
import { readPartitionTable, type ReadAt } from './partitions';

export interface LookPartition {
  /** 0: the whole disk (a file system without a partition table). */
  index: number;
  start: number;
  size: number;
  type: string;
  name?: string;
  filesystem: FsKind;
  filesystemLabel: string;
  /** The tool that copies files out without root, or null: then `privileged` says how. */
  reader: 'debugfs' | 'mtools' | 'ntfs-3g' | null;
}

export interface LookResult {
  name: string;
  disk: string;
  file: string;
  format: string;
  size: number;
  scheme: 'gpt' | 'mbr' | 'none';
  partitions: LookPartition[];
  /** Commands a user runs as root to mount the disk read-only (qemu-nbd, then mount or LVM). */
  privileged: string[];
  notes: string[];
}

const reader = (file: string): ReadAt => async (offset, length) => {
  const h = await open(file, 'r');
  try {
    const b = Buffer.alloc(length);
    const { bytesRead } = await h.read(b, 0, length, offset);
    return b.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
};

/** What a user types as root to mount the disk read-only: qemu-nbd, then mount or LVM. */
export function privilegedCommands(name: string, file: string, format: string, parts: LookPartition[]): string[] {
  const mnt = `/mnt/guestbay-${name}`;
  const lines = [shellCommand(['modprobe', 'nbd', 'max_part=16'], { wrap: false }), shellCommand(['qemu-nbd', '--read-only', `--format=${format}`, '--connect=/dev/nbd0', file], { wrap: false })];
  for (const p of parts) {
    const dev = p.index === 0 ? '/dev/nbd0' : `/dev/nbd0p${p.index}`;
    if (p.filesystem === 'lvm') {
      lines.push(`vgscan --mknodes && vgchange -ay   # ${dev} is an LVM volume: its logical volumes appear as /dev/VG/LV (see lvs); mount those read-only`);
      continue;
    }
    if (p.filesystem === 'swap' || p.filesystem === 'unknown') continue;
    if (p.filesystem === 'luks') {
      lines.push(`${shellCommand(['cryptsetup', 'open', '--readonly', dev, `guestbay-${name}-p${p.index}`], { wrap: false })}   # then mount /dev/mapper/guestbay-${name}-p${p.index}`);
      continue;
    }
    const at = `${mnt}-p${p.index}`;
    lines.push(`${shellCommand(['mkdir', '-p', at], { wrap: false })} && ${shellCommand(['mount', '-o', 'ro', dev, at], { wrap: false })}`);
  }
  lines.push(`# when done: umount ${mnt}-p*; vgchange -an (LVM); qemu-nbd --disconnect /dev/nbd0`);
  return lines;
}

export async function lookInside(ctx: DiskContext, name: string, o: { disk?: string } = {}): Promise<LookResult> {
  const config = await ctx.store.get(name);
  const d = pickDisk(ctx.store, config, o.disk);
  const info = await imageInfo(d.path, { format: d.format, qemuImg: ctx.qemuImg });
  const status = await ctx.supervisor.status(name);
  const running = !['stopped', 'crashed', 'saved'].includes(status.state);
  const notes = running ? [`"${name}" is ${status.state}: its disk is read as it is on the host right now, which may be mid-write; shut it down for a consistent view`] : [];
  const parts = await withFuseExport({ file: d.path, format: d.format, forceShare: running }, info.virtualSize, async (file) => {
    const read = reader(file);
    const table = await readPartitionTable(read, info.virtualSize);
    const list = table.partitions.length ? table.partitions : [{ index: 0, start: 0, size: info.virtualSize, type: 'whole disk' }];
    const out: LookPartition[] = [];
    for (const p of list) {
      const fs = await detectFilesystem((off, len) => read(p.start + off, Math.max(0, Math.min(len, p.size - off))), p.size);
      out.push({ ...p, filesystem: fs, filesystemLabel: FS_LABELS[fs], reader: READERS[fs] ?? null });
    }
    return { scheme: table.scheme, list: out };
  });
  return { name, disk: d.id, file: d.path, format: d.format, size: info.virtualSize, scheme: parts.scheme, partitions: parts.list, privileged: privilegedCommands(name, d.path, d.format, parts.list), notes };
}

const exists = (p: string) => access(p).then(() => true, () => false);

/**
 * Copies `path` (a file or folder inside the guest's file system on partition `partition`, 0 for
 * a disk without a table) into the host folder `dest`, as `dest/<its name>`; never over a file.
 */
export async function copyOut(ctx: DiskContext, name: string, o: { disk?: string; partition: number; path: string; dest: string }): Promise<{ copied: string; tool: string; notes: string[] }> {
  if (!o.path.startsWith('/') || controlCharIn(o.path) || o.path.includes('"')) throw new ConfigError([{ field: 'path', message: 'a path inside the guest starts with "/" and holds no control characters or double quotes' }]);
  if (!isAbsolute(o.dest) || !(await stat(o.dest).then((s) => s.isDirectory(), () => false))) throw new ConfigError([{ field: 'dest', message: `${o.dest} is not an existing folder on this computer` }]);
  const look = await lookInside(ctx, name, { disk: o.disk });
  const p = look.partitions.find((x) => x.index === o.partition);
  if (!p) throw new ConfigError([{ field: 'partition', message: `disk "${look.disk}" of "${name}" has no partition ${o.partition} (it has ${look.partitions.map((x) => x.index).join(', ')})` }]);
  if (!p.reader) throw new DiskRuleError(`partition ${p.index} holds ${p.filesystemLabel}, which no tool here reads without root. As root, mount it read-only:\n${look.privileged.join('\n')}\n(or: guestbay look ${name} --mount, which runs them through pkexec)`);
  const target = join(o.dest, basename(o.path) || `${name}-p${p.index}`);
  if (await exists(target)) throw new ConfigError([{ field: 'dest', message: `${target} exists already: Guestbay does not write over it` }]);
  const config = await ctx.store.get(name);
  const d = pickDisk(ctx.store, config, o.disk);
  await withFuseExport({ file: d.path, format: d.format, offset: p.index === 0 ? undefined : p.start, size: p.index === 0 ? undefined : p.size, forceShare: look.notes.length > 0 }, p.size, async (file) => {
    if (p.reader === 'debugfs') {
      const r = await execa('debugfs', ['-R', `rdump "${o.path}" "${o.dest}"`, file], { reject: false, all: true });
      if (!(await exists(target))) throw new DiskRuleError(`debugfs could not copy ${o.path}: ${(r.all ?? '').split('\n').filter((l) => l && !/^debugfs \d/.test(l)).pop() ?? `exit ${r.exitCode}`}`);
    } else if (p.reader === 'mtools') {
      const r = await execa('mcopy', ['-s', '-p', '-m', '-i', file, `::${o.path}`, o.dest], { reject: false, all: true, env: { MTOOLS_SKIP_CHECK: '1' } });
      if (r.exitCode !== 0 || !(await exists(target))) throw new DiskRuleError(`mcopy could not copy ${o.path}: ${(r.all ?? '').trim().split('\n').pop() ?? `exit ${r.exitCode}`}`);
    } else {
      const r = await execa('ntfscat', [file, o.path], { reject: false, encoding: 'buffer', stderr: 'pipe' });
      if (r.exitCode !== 0) throw new DiskRuleError(`ntfscat could not copy ${o.path}: ${Buffer.from(r.stderr ?? []).toString().trim().split('\n').pop() ?? `exit ${r.exitCode}`} (ntfs-3g's tools copy single files; mount the partition as root for folders)`);
      await writeFile(target, r.stdout as Uint8Array, { flag: 'wx', mode: 0o600 });
    }
  });
  return { copied: target, tool: p.reader === 'ntfs-3g' ? 'ntfscat' : p.reader, notes: look.notes };
}

/** Runs the privileged commands through pkexec, one program per step (never a shell string). */
export async function mountPrivileged(ctx: DiskContext, name: string, o: { disk?: string; pkexec: string }): Promise<{ mounted: string[] }> {
  const look = await lookInside(ctx, name, { disk: o.disk });
  const run = (argv: string[]) => execa(o.pkexec, argv, { stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' });
  await run(['modprobe', 'nbd', 'max_part=16']);
  await run(['qemu-nbd', '--read-only', `--format=${look.format}`, '--connect=/dev/nbd0', look.file]);
  const mounted: string[] = [];
  for (const p of look.partitions) {
    if (!['ext', 'fat', 'ntfs', 'exfat', 'btrfs', 'xfs', 'iso9660'].includes(p.filesystem)) continue;
    const at = `/mnt/guestbay-${name}-p${p.index}`;
    await run(['mkdir', '-p', at]);
    await run(['mount', '-o', 'ro', p.index === 0 ? '/dev/nbd0' : `/dev/nbd0p${p.index}`, at]);
    mounted.push(at);
  }
  return { mounted };
}
