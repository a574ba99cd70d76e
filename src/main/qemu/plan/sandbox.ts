// QEMU's seccomp sandbox (`-sandbox on,…`), as strict as this guest's features allow. Each
// setting is what a feature needs of QEMU itself or of what QEMU starts (a seccomp filter is
// inherited by every child):
// - spawn (fork/exec): user-net SMB (QEMU starts smbd when the guest connects to 10.0.2.4:445),
//   saving and restoring through `exec:` where QEMU has no `file:` migration (< 8.2), and the
//   GTK/SDL windows, whose toolkit may start helpers (not checked here: no GUI module on the
//   test machines). Denied otherwise.
// - elevateprivileges (set*uid/gid): smbd, which inherits the filter and switches ids. Denied
//   otherwise.
// - bridged networking gets no sandbox at all: libseccomp sets no_new_privs, so the setuid
//   qemu-bridge-helper QEMU runs would start without the privileges it needs for the tap.
// - obsolete and resourcecontrol: nothing Guestbay starts needs them; always denied.
import { opts } from '../qemu-opts';
import type { FamilyInput } from './types';

export interface SandboxChoice {
  /** The `-sandbox` value, or null when none is given (with `why`). */
  value: string | null;
  why: string;
}

/** `ownWindow`: the screen is in QEMU's own GTK/SDL window (display.ts decided, after its fallbacks). */
export function chooseSandbox(i: Pick<FamilyInput, 'config' | 'qemu'>, savable: boolean, ownWindow: boolean): SandboxChoice {
  const has = (o: string) => i.qemu.sandboxOptions.includes(o);
  if (!has('enable')) return { value: null, why: 'this QEMU was built without its seccomp sandbox' };
  if (i.config.network.mode === 'bridge') {
    return { value: null, why: 'bridged networking runs the setuid qemu-bridge-helper, which a sandboxed QEMU (no_new_privs) starts without its privileges' };
  }
  const smb = i.config.network.mode === 'user' && i.config.sharedFolders.some((s) => s.method === 'smb');
  const execMigration = savable && !i.qemu.fileMigration;
  const window = ownWindow;
  const spawn = smb || execMigration || window;
  const value = opts('on', {
    obsolete: has('obsolete') ? 'deny' : undefined,
    elevateprivileges: has('elevateprivileges') ? (smb ? 'allow' : 'deny') : undefined,
    spawn: has('spawn') ? (spawn ? 'allow' : 'deny') : undefined,
    resourcecontrol: has('resourcecontrol') ? 'deny' : undefined,
  });
  const needs = [smb && 'the SMB share (QEMU starts smbd)', execMigration && 'saving through exec: (QEMU < 8.2)', window && 'the GTK/SDL window'].filter(Boolean);
  return { value, why: needs.length ? `processes allowed for ${needs.join(', ')}` : 'no process may be started' };
}
