// The small disk Windows Setup finds autounattend.xml on: a GPT with one FAT32 partition (the
// "basic data" type, so Windows gives it a letter), built without root by the same mtools path
// as the macOS disks. It carries the account's password in Windows' answer-file encoding, so it
// lives in the guest's folder with mode 0600 and the user is told to remove it after the install.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFatDisk } from '../macos/disk/fat-disk';
import { BASIC_DATA_TYPE_GUID } from '../macos/disk/gpt';

/** The answer disk's file in the guest's folder. */
export const ANSWER_DISK = 'Autounattend.img';
/** FAT32 needs ~33 MiB at least; the disk is sparse, so this costs a few KiB on the host. */
const SIZE_MIB = 40;

export async function buildAnswerDisk(o: { xml: string; out: string; mtoolsDir?: string; signal?: AbortSignal }): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), 'guestbay-answer-'));
  try {
    const xml = join(work, 'autounattend.xml');
    await writeFile(xml, o.xml, { mode: 0o600 });
    const listed = await buildFatDisk({
      files: [{ src: xml, to: 'autounattend.xml' }],
      out: o.out,
      format: 'raw',
      sizeMiB: SIZE_MIB,
      label: 'UNATTEND',
      typeGuid: BASIC_DATA_TYPE_GUID,
      partitionName: 'Guestbay answer file',
      what: 'the answer disk',
      mtoolsDir: o.mtoolsDir,
      signal: o.signal,
    });
    await chmod(o.out, 0o600);
    return listed;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
