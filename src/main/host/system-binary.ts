// Programs that run as root on the user's behalf (pkexec, and what it runs) are found in a
// fixed list of system folders, never through $PATH: a folder the user (or anything running
// as the user) can write, early on $PATH, would otherwise decide what runs as root. A program
// found there must belong to root and be writable by no one else.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const SYSTEM_DIRS: readonly string[] = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];

export class SystemBinaryError extends Error {
  override name = 'SystemBinaryError';
}

/** The absolute path of `name` in `dirs` (in that order), checked as above; throws if none fits. */
export async function systemBinary(name: string, dirs: readonly string[] = SYSTEM_DIRS): Promise<string> {
  if (name.includes('/')) throw new SystemBinaryError(`"${name}" is a path, not a program name`);
  const refused: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (!s || !s.isFile()) continue;
    if (s.uid !== 0 || (s.mode & 0o022) !== 0) {
      refused.push(`${path} (${s.uid !== 0 ? 'not owned by root' : 'writable by others'})`);
      continue;
    }
    if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
  }
  throw new SystemBinaryError(
    `${name} was not found in ${dirs.join(', ')}${refused.length ? `; refused: ${refused.join(', ')}` : ''}`,
  );
}
