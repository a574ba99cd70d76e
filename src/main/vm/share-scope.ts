// How much of the host a shared folder opens to the guest. Shares are writable, so a guest
// given the user's home can change ~/.bashrc or ~/.config/autostart: code that runs as the
// user on the host. The home folder (or a folder holding it) is the user's call, said out
// loud; the whole file system is refused, because nothing a guest needs takes all of it.
import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';

export type ShareScope = 'root' | 'home' | 'holds-home' | 'narrow';

async function real(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

/** Compared after links are followed: a link to `/` opens as much as `/`. */
export async function shareScope(folder: string, home: string): Promise<ShareScope> {
  const [f, h] = await Promise.all([real(folder), real(home)]);
  if (f === sep) return 'root';
  if (f === h) return 'home';
  if (h.startsWith(f + sep)) return 'holds-home';
  return 'narrow';
}

export const EMPTY_SHARE = (cwd: string) => `Choose a folder to share: an empty path would share the folder you are in (${cwd}).`;

export const ROOT_SHARE =
  'Sharing the whole file system (/) would let the guest read and change every file you can, anywhere on this machine. Share the folder the guest needs instead.';

/** The warning for a share that reaches the user's own files wholesale, or null. */
export function wideShareWarning(scope: ShareScope, folder: string, home: string): string | null {
  const reach = 'the guest can read and change all your files, your settings and keys (~/.ssh, ~/.config) among them';
  if (scope === 'home') return `This shares your whole home folder (${home}): ${reach}. Share a folder inside it if that is all the guest needs.`;
  if (scope === 'holds-home') return `This shares a folder that holds your home folder (${folder} holds ${home}): ${reach}. Share a folder inside your home if that is all the guest needs.`;
  return null;
}
