// The guest tools disk itself: the files of files.ts on a GPT disk with one FAT32 partition of
// the "basic data" type (Windows gives it a letter; Linux and macOS mount it as a USB stick),
// built without root by the same mtools path as the Windows answer disk, made again at every
// insertion so it carries the guest's shares as they are. Sparse: ~100 KiB on the host.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildFatDisk } from '../macos/disk/fat-disk';
import { BASIC_DATA_TYPE_GUID } from '../macos/disk/gpt';
import { toolsFiles, type ToolsInput } from './files';

/** The disk's file in the guest's folder. */
export const TOOLS_DISK = 'guest-tools.img';
/** Its FAT volume label (at most 11 characters): how the guest names the stick. */
export const TOOLS_LABEL = 'GUESTTOOLS';
const SIZE_MIB = 40;

/** Builds the disk at `out` (replaced atomically) and returns its files as mdir lists them. */
export async function buildToolsDisk(i: ToolsInput & { out: string; mtoolsDir?: string; signal?: AbortSignal }): Promise<string[]> {
  const files = toolsFiles(i);
  const work = await mkdtemp(join(tmpdir(), 'guestbay-tools-'));
  try {
    for (const f of files) {
      const p = join(work, f.path);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.text, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
    }
    return await buildFatDisk({
      files: files.map((f) => ({ src: join(work, f.path), to: f.path })),
      out: i.out,
      format: 'raw',
      sizeMiB: SIZE_MIB,
      label: TOOLS_LABEL,
      typeGuid: BASIC_DATA_TYPE_GUID,
      partitionName: 'Guestbay guest tools',
      what: 'the guest tools disk',
      mtoolsDir: i.mtoolsDir,
      signal: i.signal,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
