// The floors a save and a restore are measured against: `dd` writing and reading as many bytes
// in the same folder, from the page cache and from the disk.
import { execa } from 'execa';
import { rm } from 'node:fs/promises';

/** Written back and dropped from the page cache: the next read comes from the disk (no root needed). */
export async function uncache(file: string): Promise<void> {
  await execa('sync', [file]);
  await execa('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
}

export interface DdRound {
  /** Into the page cache (absent when not asked for). */
  write?: number;
  /** To the disk: `conv=fdatasync`. */
  writeSynced: number;
  /** From the page cache. */
  read: number;
  /** From the disk. */
  readCold: number;
}

/** One round of every floor for `mib` MiB in `file` (removed after); `plainWrite: false` skips the unsynced write. */
export async function ddRound(file: string, mib: number, o: { plainWrite?: boolean } = {}): Promise<DdRound> {
  const time = async (args: string[]) => {
    const t0 = performance.now();
    await execa('dd', args, { stdio: 'ignore' });
    return performance.now() - t0;
  };
  const count = `count=${Math.ceil(mib)}`;
  let write: number | undefined;
  if (o.plainWrite !== false) {
    write = await time(['if=/dev/zero', `of=${file}`, 'bs=1M', count]);
    await rm(file, { force: true });
  }
  const writeSynced = await time(['if=/dev/zero', `of=${file}`, 'bs=1M', count, 'conv=fdatasync']);
  const read = await time([`if=${file}`, 'of=/dev/null', 'bs=1M']);
  await uncache(file);
  const readCold = await time([`if=${file}`, 'of=/dev/null', 'bs=1M']);
  await rm(file, { force: true });
  return { write, writeSynced, read, readCold };
}
