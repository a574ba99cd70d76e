// Where Guestbay keeps things, per the XDG base directory spec. Everything is derived from the
// environment passed in, so tests (and a second profile) can point it anywhere.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface GuestbayPaths {
  /** `$XDG_DATA_HOME/guestbay`: guests, their disks and state. */
  data: string;
  vms: string;
  /** `$XDG_CONFIG_HOME/guestbay`: settings. */
  config: string;
  /** `$XDG_CACHE_HOME/guestbay`: probe cache, downloads in progress. */
  cache: string;
  /** `$XDG_RUNTIME_DIR/guestbay` (else `$TMPDIR/guestbay-<uid>`): sockets and pidfiles, private to the user. */
  runtime: string;
  /** The user's home (`$HOME`): where the Guestbay folder is by default. */
  home?: string;
}

export function guestbayPaths(env: NodeJS.ProcessEnv = process.env): GuestbayPaths {
  const home = env.HOME || homedir();
  const data = join(env.XDG_DATA_HOME || join(home, '.local/share'), 'guestbay');
  return {
    home,
    data,
    vms: join(data, 'vms'),
    config: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'guestbay'),
    cache: join(env.XDG_CACHE_HOME || join(home, '.cache'), 'guestbay'),
    // Without a session runtime dir (cron, some SSH setups) fall back to a per-user folder in the
    // temporary folder, which others can write to: runtime-dir.ts checks it is really ours.
    runtime: env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'guestbay') : join(env.TMPDIR || '/tmp', `guestbay-${userInfo().uid}`),
  };
}

export function vmPaths(paths: GuestbayPaths, name: string) {
  const dir = join(paths.vms, name);
  return { dir, configFile: join(dir, 'vm.json'), logDir: join(dir, 'logs'), runtimeDir: join(paths.runtime, name) };
}
