// The guests on disk: one folder per guest under the XDG data dir, its config in vm.json.
// Writes are atomic; a corrupt file is reported and kept aside, never silently overwritten;
// disk images are deleted only when the caller says so explicitly.
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { configChanges, listLabels, type ConfigChange } from '../../shared/config-diff';
import { parseVmConfig } from '../../shared/migrations';
import { ConfigError, vmName, type VmConfig } from '../../shared/vm-config';
import { writeFileAtomic } from './atomic-file';
import { readBoundedText, readBoundedWithStat, UnreadableFileError } from '../host/bounded-read';

/** A guest's configuration is a few KiB; anything past this is not one (and is not read). */
export const MAX_CONFIG_BYTES = 2 ** 20;
import { vmPaths, type GuestbayPaths } from './paths';
import { isAlive } from './process-info';

/** A config's revision: its bytes' hash, so any change by anyone (an editor, another process) is a new one. */
export function revisionOf(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export class GuestNotFoundError extends Error {
  constructor(readonly vmName: string) {
    super(`there is no guest named "${vmName}"`);
    this.name = 'GuestNotFoundError';
  }
}

export class GuestExistsError extends Error {
  constructor(readonly vmName: string) {
    super(`a guest named "${vmName}" already exists`);
    this.name = 'GuestExistsError';
  }
}

export class CorruptConfigError extends Error {
  constructor(
    readonly vmName: string,
    readonly file: string,
    /** The copy kept aside; none for what was not read (too large, not a regular file). */
    readonly keptAs: string | null,
    readonly reason: string,
  ) {
    super(`the configuration of "${vmName}" is damaged (${reason}); ${keptAs ? `a copy was kept as ${keptAs}` : 'it was not read, so no copy was made'}. Fix or remove ${file}.`);
    this.name = 'CorruptConfigError';
  }
}

/**
 * The config on disk moved on since the caller read it (another window, a browser tab, the
 * CLI, an editor): nothing was written. `changes` names what changed, when this process saw
 * the version the caller edited; `revision` is the current one.
 */
export class ConflictError extends Error {
  constructor(
    readonly vmName: string,
    readonly changes: ConfigChange[],
    readonly revision: string,
    /** A sentence to add (where the refused work was kept). */
    also?: string,
  ) {
    super(
      `"${vmName}" was changed elsewhere since you opened it${changes.length ? ` (${listLabels(changes)})` : ''}: your change was not saved. Reload it and make your change again.${also ? ` ${also}` : ''}`,
    );
    this.name = 'ConflictError';
  }
}

/** Another process is writing this guest's config right now (and did not finish in time). */
export class ConfigBusyError extends Error {
  constructor(
    readonly vmName: string,
    readonly pid: number,
  ) {
    super(`Another Guestbay process (${pid}) is changing "${vmName}" right now: try again in a moment.`);
    this.name = 'ConfigBusyError';
  }
}

export interface ListedGuest {
  name: string;
  config?: VmConfig;
  /** The revision of its vm.json (absent when it could not be read). */
  revision?: string;
  error?: string;
}

/**
 * How long ago a vm.json must have been last written (mtime and ctime) for its stat alone to
 * vouch for its bytes. A write moves mtime and ctime to "now", but file-system clocks tick
 * coarsely (a few ms): two writes of the same size in one tick leave the same stat. Only a file
 * already this old when it was read is trusted by its stat (git's "racily clean" rule); a file
 * written since has a newer time, so a stale config is never served.
 */
export const SETTLED_MS = 2000;

/** What identifies the very file read: device, inode (an atomic replace is a new one), size, mtime and ctime (ns). */
function fingerprint(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The fingerprint, if the file was written long enough ago to be trusted by it (see SETTLED_MS). */
function settledFingerprint(st: BigIntStats, settledMs: number): string | undefined {
  const now = BigInt(Date.now()) * 1_000_000n;
  const settled = BigInt(settledMs) * 1_000_000n;
  return now - st.mtimeNs >= settled && now - st.ctimeNs >= settled ? fingerprint(st) : undefined;
}

/** How many past versions of each guest's config are remembered, to name what a conflict changed. */
const RECENT_VERSIONS = 8;
const LOCK_WAIT_MS = 5000;

export class Store {
  /** Versions of each guest's config this process read or wrote, by revision. */
  private readonly recent = new Map<string, Map<string, VmConfig>>();
  /**
   * The last config each guest's vm.json parsed to, by the revision of its bytes (read only),
   * and the fingerprint of the file it was read from once that file had settled: a listing of
   * hundreds of unchanged guests is then a stat per guest, not a read, a hash and a parse.
   */
  private readonly parsed = new Map<string, { revision: string; config: VmConfig; fingerprint?: string }>();
  /** One writer per guest in this process (other processes: the lock file). */
  private readonly writing = new Map<string, Promise<unknown>>();

  /** `settledMs`: see SETTLED_MS (tests shorten it to see the stat alone trusted at once). */
  constructor(
    readonly paths: GuestbayPaths,
    private readonly o: { settledMs?: number } = {},
  ) {}

  dirs(name: string) {
    this.checkName(name);
    return vmPaths(this.paths, name);
  }

  async list(): Promise<ListedGuest[]> {
    let names: string[];
    try {
      names = (await readdir(this.paths.vms, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    // Read side by side (a library of hundreds of guests lists in one round of reads, not one
    // after another), kept in name order.
    const read = await Promise.all(
      names
        .sort()
        .filter((name) => vmName.safeParse(name).success)
        .map(async (name): Promise<ListedGuest | null> => {
          try {
            return { name, ...(await this.read(name)) };
          } catch (e) {
            if (e instanceof GuestNotFoundError) return null; // a folder without vm.json: disks kept after delete
            return { name, error: (e as Error).message };
          }
        }),
    );
    return read.filter((g): g is ListedGuest => g !== null);
  }

  async exists(name: string): Promise<boolean> {
    return stat(this.dirs(name).configFile).then(() => true, () => false);
  }

  async get(name: string): Promise<VmConfig> {
    return (await this.read(name)).config;
  }

  /** The config and its revision (what an edit must name to be written). */
  async read(name: string): Promise<{ config: VmConfig; revision: string }> {
    const { configFile } = this.dirs(name);
    const known = this.parsed.get(name);
    if (known?.fingerprint) {
      // The same settled file as last time (same inode, size and times): its bytes are those
      // already parsed. Anything else (changed, replaced, gone, not a file) is read again below.
      const st = await stat(configFile, { bigint: true }).catch(() => null);
      if (st?.isFile() && fingerprint(st) === known.fingerprint) return { config: structuredClone(known.config), revision: known.revision };
    }
    let text: string;
    let st: BigIntStats;
    try {
      // Bounded, and never blocking: a FIFO or a 200 MB file in place of vm.json is refused
      // without being read (it would hang every list, or cost its size several times over).
      const r = await readBoundedWithStat(configFile, MAX_CONFIG_BYTES);
      text = r.bytes.toString('utf8');
      st = r.stat;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new GuestNotFoundError(name);
      if (e instanceof UnreadableFileError) {
        throw new CorruptConfigError(name, configFile, null, e.problem === 'too-large' ? 'it is larger than the 1 MiB a configuration may be' : 'it is not a regular file');
      }
      throw e;
    }
    const revision = revisionOf(text);
    // The same bytes parse to the same config: a version this process has checked already is
    // not checked again (a library of hundreds lists in a fraction of the time); a copy, so no
    // caller can change the remembered one.
    if (known?.revision === revision) {
      known.fingerprint = settledFingerprint(st, this.o.settledMs ?? SETTLED_MS);
      return { config: structuredClone(known.config), revision };
    }
    let config: VmConfig;
    try {
      config = parseVmConfig(JSON.parse(text));
    } catch (e) {
      const reason = e instanceof ConfigError ? e.message.split('\n')[0]! : `not valid JSON: ${(e as Error).message}`;
      throw new CorruptConfigError(name, configFile, await this.keepAside(configFile, text), reason);
    }
    if (config.name !== name) {
      throw new CorruptConfigError(name, configFile, await this.keepAside(configFile, text), `it names the guest "${config.name}"`);
    }
    this.remember(name, revision, config);
    this.parsed.set(name, { revision, config: structuredClone(config), fingerprint: settledFingerprint(st, this.o.settledMs ?? SETTLED_MS) });
    return { config, revision };
  }

  /**
   * Forgets what this guest's vm.json was last read as (the guests' folder watch saw it change):
   * the next read reads the file. Reads check the file's stat anyway; this is belt and braces.
   */
  forget(name: string): void {
    this.parsed.delete(name);
  }

  /** A version of the guest's config this process saw, by its revision. */
  seen(name: string, revision: string): VmConfig | undefined {
    return this.recent.get(name)?.get(revision);
  }

  private remember(name: string, revision: string, config: VmConfig): void {
    let m = this.recent.get(name);
    if (!m) this.recent.set(name, (m = new Map()));
    m.delete(revision);
    m.set(revision, config);
    while (m.size > RECENT_VERSIONS) m.delete(m.keys().next().value!);
  }

  /**
   * Writes a new guest's folder and config. `prepare` runs after the folder exists and before
   * the config is written (it creates disk images); if anything fails, only what this call
   * created is removed, so a failed create leaves the disk as it was.
   */
  async create(config: VmConfig, prepare?: (vmDir: string) => Promise<void>): Promise<void> {
    const { dir, configFile } = this.dirs(config.name);
    if (await this.exists(config.name)) throw new GuestExistsError(config.name);
    await mkdir(this.paths.vms, { recursive: true, mode: 0o700 });
    let madeDir = false;
    try {
      await mkdir(dir, { mode: 0o700 });
      madeDir = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // folder with kept disks: reuse
    }
    const before = new Set(await readdir(dir));
    try {
      await prepare?.(dir);
      this.forget(config.name);
      await writeFileAtomic(configFile, serialize(config));
    } catch (e) {
      for (const f of await readdir(dir)) if (!before.has(f)) await rm(join(dir, f), { recursive: true, force: true });
      if (madeDir) await rmdir(dir).catch(() => {});
      throw e;
    }
  }

  /**
   * Replaces an existing guest's config; refuses to write over a damaged one. With `expect`,
   * only if the file is still at that revision (ConflictError otherwise, naming what changed):
   * two clients editing one guest never overwrite each other silently. Returns the new revision.
   */
  async update(config: VmConfig, o: { expect?: string } = {}): Promise<{ revision: string }> {
    return this.locked(config.name, async () => {
      const current = await this.read(config.name); // throws NotFound / Corrupt
      this.expect(config.name, current, o.expect);
      return this.replace(config);
    });
  }

  /** Refuses with a ConflictError, naming what changed, when `expected` is not the current revision. */
  expect(name: string, current: { config: VmConfig; revision: string }, expected: string | undefined): void {
    if (expected === undefined || expected === current.revision) return;
    const base = this.seen(name, expected);
    throw new ConflictError(name, base ? configChanges(base, current.config) : [], current.revision);
  }

  /** Writes a guest's config; only inside `locked` (what `update` does after its checks). */
  async replace(config: VmConfig): Promise<{ revision: string }> {
    const text = serialize(config);
    this.forget(config.name);
    await writeFileAtomic(this.dirs(config.name).configFile, text);
    const revision = revisionOf(text);
    this.remember(config.name, revision, config);
    return { revision };
  }

  /**
   * Runs `fn` holding the guest's config lock: one writer at a time in this process, and a lock
   * file (`.vm.json.lock`, the owner's pid) against other Guestbay processes. A lock whose owner
   * is gone is taken over; a live owner is waited for, up to 5 s.
   */
  async locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const before = this.writing.get(name) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(async () => {
      const release = await this.lockFile(name);
      try {
        return await fn();
      } finally {
        await release();
      }
    });
    this.writing.set(name, run);
    try {
      return await run;
    } finally {
      if (this.writing.get(name) === run) this.writing.delete(name);
    }
  }

  private async lockFile(name: string): Promise<() => Promise<void>> {
    const file = join(this.dirs(name).dir, '.vm.json.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
        return () => rm(file, { force: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new GuestNotFoundError(name);
        if (code !== 'EEXIST') throw e;
      }
      // Bounded like every read of the guest's folder: a FIFO in its place must not hang the edit.
      const owner = Number(await readBoundedText(file, 64).catch(() => '0'));
      if (!owner || !isAlive(owner)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new ConfigBusyError(name, owner);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Removes a guest. Disk images (and media inside the folder) stay unless `deleteDisks` is
   * true; what was kept is returned so the caller can say where it is.
   */
  async delete(name: string, { deleteDisks = false } = {}): Promise<{ kept: string[] }> {
    const config = await this.get(name);
    const { dir } = this.dirs(name);
    this.forget(name);
    const images = new Set(
      [...config.disks.map((d) => d.path), ...config.media.flatMap((m) => (m.path === undefined ? [] : [m.path]))]
        .filter((p) => !isAbsolute(p))
        .map((p) => join(dir, p)),
    );
    const kept: string[] = [];
    for (const f of await readdir(dir)) {
      const full = join(dir, f);
      if (images.has(full) && !deleteDisks) {
        kept.push(full);
        continue;
      }
      await rm(full, { recursive: true, force: true });
    }
    if (kept.length === 0) await rmdir(dir).catch(() => {});
    return { kept };
  }

  private checkName(name: string): void {
    const r = vmName.safeParse(name);
    if (!r.success) throw new ConfigError([{ field: 'name', message: r.error.issues[0]!.message }]);
  }

  /** Named by content, so reading the same damaged file again does not pile up copies. */
  private async keepAside(file: string, text: string): Promise<string> {
    const aside = `${file}.damaged-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    await copyFile(file, aside, fsConstants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    return aside;
  }
}

function serialize(config: VmConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
