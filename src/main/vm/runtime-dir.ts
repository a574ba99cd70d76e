// The runtime folder holds every guest's sockets, pidfiles and runtime record. Guestbay reads
// pids from those records and connects to those sockets, so the folder must be the user's alone:
// without XDG_RUNTIME_DIR it lives in the shared temporary folder (/tmp/guestbay-<uid>), where
// anyone could have made it first and filled it. It is used only when it is a real folder (not
// a link), owned by this user, with no access for anyone else (mode 0700); otherwise Guestbay
// refuses, and says what to do.
import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export class RuntimeDirError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(
      `the runtime folder ${path} ${problem}. Guestbay keeps guests' sockets and process records only in a folder that is yours alone (mode 0700); ` +
        'remove it (or set XDG_RUNTIME_DIR to your session\'s runtime folder) and try again',
    );
    this.name = 'RuntimeDirError';
  }
}

const uid = () => process.getuid?.() ?? 0;

/** Throws unless `path` is a folder (not a link) owned by this user with mode 0700 or stricter; false if it does not exist. */
export async function checkPrivateDir(path: string): Promise<boolean> {
  const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (!st) return false;
  if (st.isSymbolicLink()) throw new RuntimeDirError(path, 'is a symbolic link');
  if (!st.isDirectory()) throw new RuntimeDirError(path, 'is not a folder');
  if (st.uid !== uid()) throw new RuntimeDirError(path, `belongs to another user (uid ${st.uid})`);
  if (st.mode & 0o077) throw new RuntimeDirError(path, `can be used by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`);
  return true;
}

/**
 * Checks a guest's runtime folder and the Guestbay runtime folder holding it. With `create`,
 * makes whichever is missing (mode 0700) first. Returns whether the guest's folder exists.
 */
export async function privateRuntimeDir(guestRuntimeDir: string, { create = false } = {}): Promise<boolean> {
  const root = dirname(guestRuntimeDir);
  if (create) await mkdir(root, { recursive: true, mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  if (!(await checkPrivateDir(root))) return false;
  if (create) await mkdir(guestRuntimeDir, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  return checkPrivateDir(guestRuntimeDir);
}
