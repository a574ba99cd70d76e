// Runs qemu-storage-daemon for the time a look inside takes: the image (or one partition)
// exported read-only over FUSE onto a file in a private temporary folder, readable by the
// current user alone, and gone again however the look ends.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { fuseExportArgs, type FuseExport } from '../../qemu/storage-daemon';
import { DiskRuleError } from '../context';

async function mounted(path: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  return info.split('\n').some((l) => l.split(' ')[4] === path);
}

export async function withFuseExport<T>(e: Omit<FuseExport, 'mountpoint'>, size: number, fn: (file: string) => Promise<T>, o: { binary?: string } = {}): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'guestbay-look-'));
  const file = join(dir, 'disk.raw');
  await writeFile(file, '', { mode: 0o600 });
  const daemon = execa(o.binary ?? 'qemu-storage-daemon', fuseExportArgs({ ...e, mountpoint: file }), { reject: false, stdin: 'ignore', all: true });
  let exited = false;
  void daemon.then(() => (exited = true));
  try {
    const deadline = Date.now() + 15_000;
    // Mounted once the file has the export's size (it was empty).
    while (!(await mounted(file)) || (await stat(file)).size !== size) {
      if (exited) {
        const r = await daemon;
        const why = (r.all ?? '').trim().split('\n').pop() || (r as { code?: string }).code || `exit ${r.exitCode}`;
        throw new DiskRuleError(`qemu-storage-daemon could not export the disk read-only: ${why}${/fuse|fusermount/i.test(why) ? ' (FUSE needs /dev/fuse and fusermount3, package fuse3)' : ''}`);
      }
      if (Date.now() > deadline) throw new DiskRuleError('qemu-storage-daemon did not export the disk within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return await fn(file);
  } finally {
    if (!exited) {
      daemon.kill('SIGTERM');
      await daemon;
    }
    if (await mounted(file)) await execa('fusermount3', ['-u', file], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
}
