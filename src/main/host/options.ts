// Everything the probe reads from outside comes through here, so tests can point it at a
// fixture tree and canned command output instead of this machine.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execaRunner, type Runner } from './run';

export interface ProbeOptions {
  /** Prefix for /proc, /sys, /dev, /etc, /usr and PATH lookups (a fixture tree). Default: the real root. */
  root?: string;
  home?: string;
  /** Default `$XDG_CONFIG_HOME` or `~/.config`. Not prefixed by `root`. */
  xdgConfigHome?: string;
  /** Default `$XDG_CACHE_HOME` or `~/.cache`. Not prefixed by `root`. */
  xdgCacheHome?: string;
  /** Where the session's sockets live (PipeWire, PulseAudio). Default `$XDG_RUNTIME_DIR`. */
  xdgRuntimeDir?: string;
  /** Name on PATH or absolute path. Default `qemu-system-x86_64`. */
  qemuBinary?: string;
  /** Default `$PATH`; each entry is looked up under `root`. */
  path?: string;
  /** The host's CPU architecture as Node names it (`x64`, `arm64`). Default `process.arch`. */
  hostArch?: string;
  /** Read and write the per-binary QEMU capability cache. Default true. */
  useCache?: boolean;
  /** Runs host commands; tests replace it with canned output. */
  run?: Runner;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface ProbeContext {
  root: string;
  home: string;
  xdgConfigHome: string;
  xdgCacheHome: string;
  xdgRuntimeDir: string | null;
  qemuBinary: string;
  hostArch: string;
  pathDirs: string[];
  useCache: boolean;
  run: Runner;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Where a host path really is on this machine (under `root`). */
  host(path: string): string;
}

export function resolveContext(opts: ProbeOptions = {}): ProbeContext {
  const env = opts.env ?? process.env;
  const root = opts.root && opts.root !== '/' ? opts.root.replace(/\/+$/, '') : '';
  const home = opts.home ?? env.HOME ?? homedir();
  const path = opts.path ?? env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  return {
    root,
    home,
    xdgConfigHome: opts.xdgConfigHome ?? nonEmpty(env.XDG_CONFIG_HOME) ?? join(home, '.config'),
    xdgCacheHome: opts.xdgCacheHome ?? nonEmpty(env.XDG_CACHE_HOME) ?? join(home, '.cache'),
    xdgRuntimeDir: opts.xdgRuntimeDir ?? nonEmpty(env.XDG_RUNTIME_DIR) ?? null,
    qemuBinary: opts.qemuBinary ?? 'qemu-system-x86_64',
    hostArch: opts.hostArch ?? process.arch,
    // Relative PATH entries would depend on the app's working directory: ignore them.
    pathDirs: path.split(':').filter((d) => d.startsWith('/')),
    useCache: opts.useCache ?? true,
    run: opts.run ?? execaRunner,
    env,
    now: opts.now ?? (() => new Date()),
    host: (p) => (root ? join(root, p) : p),
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s ? s : undefined;
}
