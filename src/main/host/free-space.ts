// Free space for a folder (statfs), for the wizard's disk size and create's check. A folder that
// does not exist yet (the guests folder before the first guest) is measured at its nearest
// existing parent: that is where its files will land.
import { statfs } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';

export interface FreeSpace {
  /** The folder asked about. */
  path: string;
  /** The folder statfs measured (the nearest existing one). */
  measured: string;
  /** Bytes an unprivileged user can still write (f_bavail). */
  freeBytes: number;
  totalBytes: number;
}

export async function freeSpace(path: string): Promise<FreeSpace> {
  if (!isAbsolute(path)) throw new Error(`${path} is not an absolute path`);
  let dir = resolve(path);
  for (;;) {
    try {
      const s = await statfs(dir);
      return { path, measured: dir, freeBytes: Number(s.bavail) * Number(s.bsize), totalBytes: Number(s.blocks) * Number(s.bsize) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dir === '/') throw e;
      dir = dirname(dir);
    }
  }
}
