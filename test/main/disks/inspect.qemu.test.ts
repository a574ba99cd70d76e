// Looking inside a guest's disk without root, on real qemu-storage-daemon (7.2 here, 10 in the
// chroot): a qcow2 disk with an MBR table holding FAT (mkfs.fat + mcopy), ext4 (mkfs.ext4 -d) and
// a partition with an LVM label, exported read-only over FUSE; partitions and file systems read,
// files and folders copied out with debugfs and mtools, the privileged commands for the LVM one,
// and nothing left mounted.
import { chmod, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiskContext, DiskRuleError } from '../../../src/main/disks/context';
import { ConfigError } from '../../../src/shared/vm-config';
import { copyOut, lookInside, mountPrivileged } from '../../../src/main/disks/inspect';
import { cli } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

const MiB = 1024 ** 2;
let w: Awaited<ReturnType<typeof guestWorld>>;
let ctx: DiskContext;
const NAME = 'inside';

async function place(disk: string, part: string, at: number) {
  const h = await open(disk, 'r+');
  try {
    await h.write(await readFile(part), 0, undefined, at);
  } finally {
    await h.close();
  }
}

const mounts = async () => (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((l) => l.includes('guestbay-look-'));

beforeAll(async () => {
  w = await guestWorld('gb-inspect-');
  ctx = { store: w.store, supervisor: w.supervisor() };
  await w.create(NAME);
  const raw = join(w.home, 'disk.raw');
  await execa('truncate', ['-s', '64M', raw]);
  // The MBR: FAT32 at 1 MiB (16 MiB), Linux at 17 MiB (32 MiB), Linux LVM at 49 MiB (8 MiB).
  const mbr = Buffer.alloc(512);
  [[0x0c, 1, 16], [0x83, 17, 32], [0x8e, 49, 8]].forEach(([type, start, size], i) => {
    const e = 446 + i * 16;
    mbr[e + 4] = type!;
    mbr.writeUInt32LE((start! * MiB) / 512, e + 8);
    mbr.writeUInt32LE((size! * MiB) / 512, e + 12);
  });
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  await writeFile(join(w.home, 'mbr'), mbr);
  await place(raw, join(w.home, 'mbr'), 0);
  const fat = join(w.home, 'fat.img');
  await execa('mkfs.fat', ['-C', fat, String(16 * 1024)]);
  await writeFile(join(w.home, 'hello.txt'), 'hello from FAT\n');
  await execa('mcopy', ['-i', fat, join(w.home, 'hello.txt'), '::/hello.txt'], { env: { MTOOLS_SKIP_CHECK: '1' } });
  await place(raw, fat, 1 * MiB);
  const tree = join(w.home, 'tree');
  await mkdir(join(tree, 'etc/conf.d'), { recursive: true });
  await writeFile(join(tree, 'etc/hostname'), 'inside-guest\n');
  await writeFile(join(tree, 'etc/conf.d/net'), 'dhcp\n');
  const ext = join(w.home, 'ext.img');
  await execa('mkfs.ext4', ['-q', '-F', '-d', tree, ext, '32M']);
  await place(raw, ext, 17 * MiB);
  const lvm = Buffer.alloc(1024);
  lvm.write('LABELONE', 512, 'latin1');
  await writeFile(join(w.home, 'lvm'), lvm);
  await place(raw, join(w.home, 'lvm'), 49 * MiB);
  const disk = join(w.store.dirs(NAME).dir, 'disk.qcow2');
  await execa('rm', ['-f', disk]);
  await execa('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, disk]);
});
afterAll(async () => {
  await w.cleanup();
});

describe('a look inside a disk, without root', () => {
  it('lists the partitions and file systems, gives the privileged commands, and leaves nothing mounted', async () => {
    const r = await lookInside(ctx, NAME);
    expect(r).toMatchObject({ disk: 'system', format: 'qcow2', scheme: 'mbr' });
    expect(r.partitions.map((p) => [p.index, p.start / MiB, p.size / MiB, p.type, p.filesystem, p.reader])).toEqual([
      [1, 1, 16, 'FAT32 (LBA)', 'fat', 'mtools'],
      [2, 17, 32, 'Linux', 'ext', 'debugfs'],
      [3, 49, 8, 'Linux LVM', 'lvm', null],
    ]);
    expect(r.privileged).toContain(`qemu-nbd --read-only --format=qcow2 --connect=/dev/nbd0 ${r.file}`);
    expect(r.privileged.join('\n')).toMatch(/mount -o ro \/dev\/nbd0p2 \/mnt\/guestbay-inside-p2/);
    expect(r.privileged.join('\n')).toMatch(/vgscan --mknodes && vgchange -ay/);
    expect(await mounts()).toEqual([]);
    const text = await cli(['look', NAME], w.env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/partition 2: 32 MiB at 17825792, Linux, ext2\/3\/4 — copy out: guestbay look inside --copy 2:\/PATH --to DIR/);
  });

  it('copies a file and a folder out of ext4 (debugfs) and a file out of FAT (mtools)', async () => {
    const out = join(w.home, 'out');
    await mkdir(out);
    expect((await copyOut(ctx, NAME, { partition: 2, path: '/etc', dest: out })).tool).toBe('debugfs');
    expect(await readFile(join(out, 'etc/hostname'), 'utf8')).toBe('inside-guest\n');
    expect(await readFile(join(out, 'etc/conf.d/net'), 'utf8')).toBe('dhcp\n');
    const r = await cli(['look', NAME, '--copy', '1:/hello.txt', '--to', out], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(out, 'hello.txt'), 'utf8')).toBe('hello from FAT\n');
    expect(await mounts()).toEqual([]);
  });

  it('refuses what it cannot do: a file system no tool reads without root, writing over a file, a missing path', async () => {
    const out = join(w.home, 'out2');
    await mkdir(out);
    const lvm = await copyOut(ctx, NAME, { partition: 3, path: '/x', dest: out }).catch((e: Error) => e);
    expect(lvm).toBeInstanceOf(DiskRuleError);
    expect((lvm as Error).message).toMatch(/partition 3 holds LVM physical volume, which no tool here reads without root\. As root, mount it read-only:\n[\s\S]*qemu-nbd --read-only/);
    await writeFile(join(out, 'hostname'), 'mine\n');
    await expect(copyOut(ctx, NAME, { partition: 2, path: '/etc/hostname', dest: out })).rejects.toThrow(ConfigError);
    expect(await readFile(join(out, 'hostname'), 'utf8')).toBe('mine\n');
    await expect(copyOut(ctx, NAME, { partition: 2, path: '/nope', dest: out })).rejects.toThrow(/debugfs could not copy \/nope/);
    await expect(copyOut(ctx, NAME, { partition: 9, path: '/x', dest: out })).rejects.toThrow(/has no partition 9 \(it has 1, 2, 3\)/);
    expect(await mounts()).toEqual([]);
  });

  it('--mount runs the root commands through pkexec, one program per step (a stand-in pkexec records them)', async () => {
    // pkexec needs a polkit agent and a person to type a password: a script in its place logs
    // the programs it was asked to run, which is all Guestbay decides.
    const log = join(w.home, 'pkexec.log');
    const fake = join(w.home, 'pkexec');
    await writeFile(fake, `#!/bin/sh\nprintf '%s\\n' "$*" >>'${log}'\n`);
    await chmod(fake, 0o755);
    const r = await mountPrivileged(ctx, NAME, { pkexec: fake });
    expect(r.mounted).toEqual(['/mnt/guestbay-inside-p1', '/mnt/guestbay-inside-p2']);
    const disk = join(w.store.dirs(NAME).dir, 'disk.qcow2');
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      'modprobe nbd max_part=16',
      `qemu-nbd --read-only --format=qcow2 --connect=/dev/nbd0 ${disk}`,
      'mkdir -p /mnt/guestbay-inside-p1',
      'mount -o ro /dev/nbd0p1 /mnt/guestbay-inside-p1',
      'mkdir -p /mnt/guestbay-inside-p2',
      'mount -o ro /dev/nbd0p2 /mnt/guestbay-inside-p2',
    ]);
  });
});
