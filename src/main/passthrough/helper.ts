// Calls to the privileged helper (build/linux/guestbay-vfio-helper), the only program Guestbay
// runs as root for passthrough. Its actions are read from the helper itself (`--dry-run`, as
// the user) and shown before pkexec asks for the password, so what is shown is what runs.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type HelperOp =
  | { op: 'bind-vfio'; addresses: string[] }
  | { op: 'release'; addresses: string[]; to?: string }
  | { op: 'vtconsoles'; action: 'unbind' | 'bind' }
  | { op: 'framebuffer'; action: 'unbind' | 'bind' }
  | { op: 'display-manager'; action: 'stop' | 'start' }
  | { op: 'load-vfio' };

export function helperArgs(o: HelperOp): string[] {
  switch (o.op) {
    case 'bind-vfio':
      return ['bind-vfio', ...o.addresses];
    case 'release':
      return ['release', ...o.addresses, ...(o.to ? ['--to', o.to] : [])];
    case 'load-vfio':
      return ['load-vfio'];
    default:
      return [o.op, o.action];
  }
}

// This file's folder. In the app's CommonJS bundle (the supervisor, which single-GPU passthrough
// runs in, imports this file) import.meta.url is empty: only the installed helper is looked for there.
const here = typeof import.meta.url === 'string' && import.meta.url ? dirname(fileURLToPath(import.meta.url)) : null;
/** Installed (the pacman package puts it there, owned by root), then the source tree's copy. */
export const HELPER_CANDIDATES = [
  '/usr/lib/guestbay/guestbay-vfio-helper',
  ...(here ? [join(here, '../../../build/linux/guestbay-vfio-helper'), join(here, '../build/linux/guestbay-vfio-helper')] : []),
];

export class HelperError extends Error {
  override name = 'HelperError';
}

/** What pkexec may run: a file owned by root that no one else can write, as system-binary.ts asks. */
export async function findHelper(candidates: readonly string[] = HELPER_CANDIDATES): Promise<string> {
  const refused: string[] = [];
  for (const p of candidates) {
    const s = await stat(p).catch(() => null);
    if (!s?.isFile()) continue;
    if (s.uid !== 0 || (s.mode & 0o022) !== 0) {
      refused.push(`${p} (${s.uid !== 0 ? 'not owned by root' : 'writable by others'})`);
      continue;
    }
    if (await access(p, constants.X_OK).then(() => true, () => false)) return p;
  }
  throw new HelperError(`Guestbay's passthrough helper was not found${refused.length ? `; refused: ${refused.join(', ')}` : ''}. Install Guestbay's package (it puts the helper in /usr/lib/guestbay).`);
}

/** Every action the helper would take, as it prints them, without root and without changing anything. */
export async function previewHelper(helper: string, o: HelperOp, sysfsRoot?: string): Promise<string[]> {
  const { execa } = await import('execa'); // lazily: the supervisor imports this file on every start
  const r = await execa(helper, ['--dry-run', ...(sysfsRoot ? ['--sysfs-root', sysfsRoot] : []), ...helperArgs(o)], { reject: false });
  if (r.exitCode !== 0) throw new HelperError(r.stderr.trim().replace(/^guestbay-vfio-helper: /, '') || `the helper failed (exit ${r.exitCode})`);
  return r.stdout.split('\n').filter(Boolean);
}

/** The real run: pkexec (absolute path, from system-binary.ts) asks for the password. */
export async function runHelper(pkexec: string, helper: string, o: HelperOp): Promise<string[]> {
  // stdin stays the terminal's, so pkexec's own text agent can ask there when no graphical
  // agent runs (single-GPU passthrough gives the GPU back after the graphical session ended).
  const { execa } = await import('execa'); // lazily: the supervisor imports this file on every start
  const r = await execa(pkexec, [helper, ...helperArgs(o)], { reject: false, stdin: 'inherit' });
  if (r.exitCode === 126 || r.exitCode === 127) throw new HelperError('Not done: the password was not given (pkexec was dismissed or refused).');
  if (r.exitCode !== 0) throw new HelperError(r.stderr.trim().replace(/^guestbay-vfio-helper: /, '') || `the helper failed (exit ${r.exitCode})`);
  return r.stdout.split('\n').filter(Boolean);
}
