// Choosing files: the native dialogs when the shell has them (Electron), otherwise a folder
// listing the UI browses itself (the headless mode, where a dialog would open on the server).
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../../shared/vm-config';
import type { ApiContext, Handlers } from './context';

/** `~`, `~/x`, relative (to the home) or absolute, as a normalized absolute path. */
export function expandDir(dir: string, home: string): string {
  if (dir === '~') return home;
  if (dir.startsWith('~/')) return join(home, dir.slice(2));
  return isAbsolute(dir) ? resolve(dir) : resolve(home, dir);
}

export async function listDir(dir: string) {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : code === 'EACCES' ? 'cannot be read (permission denied)' : (e as Error).message;
    throw new ConfigError([{ field: 'dir', message: `${dir} ${why}` }]);
  }
  const stats = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      // stat, not lstat: a link to a folder is browsed as a folder; a dangling one is left out.
      const s = await stat(path).catch(() => null);
      if (!s) return null;
      return s.isDirectory() ? { name, path, kind: 'dir' as const } : { name, path, kind: 'file' as const, size: s.size };
    }),
  );
  const entries = stats.filter((e) => e !== null);
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  return { dir, parent: dir === '/' ? null : dirname(dir), entries };
}

export function fileHandlers({ deps, home }: ApiContext): Handlers<'fs.list' | 'dialog.pickFile' | 'dialog.pickFolder'> {
  const { pickers } = deps;
  return {
    'fs.list': (i) => listDir(expandDir(i.dir ?? home, home)),
    'dialog.pickFile': async (i) => (pickers ? { supported: true, path: await pickers.file(i) } : { supported: false, path: null }),
    'dialog.pickFolder': async (i) => (pickers ? { supported: true, path: await pickers.folder(i) } : { supported: false, path: null }),
  };
}
