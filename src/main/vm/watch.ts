// Every client live: guests created, changed, renamed or deleted by another process (the CLI,
// another server, an editor on vm.json), and guests started or stopped elsewhere, become the
// same events the API sends for its own changes. fs.watch on the guests' folder and on each
// guest's folder (vm.json is replaced by rename, so the folder is what sees it), and on the
// runtime folder and each guest's runtime folder (guest.json comes and goes with a run),
// debounced; a slow rescan every few seconds re-arms watches on folders that appeared or
// disappeared and catches anything a watch missed. The API's own changes go through `check`,
// so each change is announced once, whoever made it.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestChange, GuestStatusDto } from '../../shared/contract';
import { parseVmConfig } from '../../shared/migrations';
import { vmName, type VmConfig } from '../../shared/vm-config';
import { revisionOf, type Store } from './store';

export interface GuestsWatcherDeps {
  store: Store;
  /** A guest's status now (re-attaching to one another process started). */
  status(name: string): Promise<GuestStatusDto>;
  onChange(change: GuestChange): void;
  onState(status: GuestStatusDto): void;
  /** How long a burst of file events is gathered before a look (default 100 ms). */
  debounceMs?: number;
  /** The safety rescan's period (default 5 s). */
  rescanMs?: number;
}

interface Known {
  revision: string;
  /** Size and mtime of vm.json when last read: unchanged files are not read again. */
  stamp: string;
  config?: VmConfig;
  error?: string;
}

/** How a watcher reads a guest: without the store's side effects (a damaged file is not copied aside here). */
async function readGuest(file: string): Promise<Known | null> {
  let st;
  try {
    st = await stat(file);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const stamp = `${st.size}:${st.mtimeMs}`;
  // A vm.json is small; a huge one is damaged, and reading it would cost the memory it claims.
  if (st.size > 4 * 1024 * 1024) return { revision: `size-${st.size}`, stamp, error: 'its vm.json is larger than 4 MiB' };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const revision = revisionOf(text);
  try {
    return { revision, stamp, config: parseVmConfig(JSON.parse(text)) };
  } catch (e) {
    return { revision, stamp, error: `its configuration cannot be read (${(e as Error).message.split('\n')[0]})` };
  }
}

const sameExceptName = (a: VmConfig, b: VmConfig) => JSON.stringify({ ...a, name: '' }) === JSON.stringify({ ...b, name: '' });

export class GuestsWatcher {
  private readonly known = new Map<string, Known>();
  private readonly states = new Map<string, string>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private rescanTimer?: NodeJS.Timeout;
  private scanning: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: GuestsWatcherDeps) {}

  private get vmsDir() {
    return this.deps.store.paths.vms;
  }

  private get runtimeDir() {
    return this.deps.store.paths.runtime;
  }

  /** Reads what is there now (no events for it) and starts watching; looks asked for meanwhile wait for it. */
  start(): Promise<void> {
    const init = this.init();
    this.scanning = init.catch(() => undefined);
    return init;
  }

  private async init(): Promise<void> {
    await mkdir(this.vmsDir, { recursive: true, mode: 0o700 }).catch(() => {});
    await mkdir(this.runtimeDir, { recursive: true, mode: 0o700 }).catch(() => {});
    for (const name of await this.folders(this.vmsDir)) {
      const g = await readGuest(join(this.vmsDir, name, 'vm.json'));
      if (g) this.known.set(name, g);
    }
    this.arm();
    const tick = () => {
      if (this.closed) return;
      void this.check().finally(() => {
        if (!this.closed) this.rescanTimer = setTimeout(tick, this.deps.rescanMs ?? 5000);
      });
    };
    this.rescanTimer = setTimeout(tick, this.deps.rescanMs ?? 5000);
    this.rescanTimer.unref?.();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.rescanTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** This process renamed `oldName` to `newName`: the next look announces a rename, not a delete and a create. */
  noteRename(oldName: string, newName: string): void {
    this.renames.set(newName, oldName);
  }

  private readonly renames = new Map<string, string>();
  /** Guest folders seen without a vm.json (being created): their folder is watched for it. */
  private readonly unready = new Set<string>();

  /** A status this process announced itself (the supervisor's events): not announced again. */
  noteState(status: GuestStatusDto): void {
    this.states.set(status.name, status.state);
  }

  /**
   * Looks at one guest (or all) now and announces what changed since the last look: what the
   * API calls after each change it makes, and what the file events lead to.
   */
  check(name?: string): Promise<void> {
    // One look at a time, so two looks never announce the same change twice.
    const run = this.scanning.then(() => (this.closed ? undefined : this.look(name)));
    this.scanning = run.catch(() => undefined);
    return run;
  }

  private async folders(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && vmName.safeParse(d.name).success).map((d) => d.name);
    } catch {
      return [];
    }
  }

  private async look(only?: string): Promise<void> {
    const names = only === undefined ? new Set([...(await this.folders(this.vmsDir)), ...this.known.keys()]) : new Set([only]);
    const created: { name: string; g: Known }[] = [];
    const deleted: string[] = [];
    const gone = new Map<string, Known>();
    for (const name of names) {
      const before = this.known.get(name);
      const file = join(this.vmsDir, name, 'vm.json');
      if (before && only === undefined) {
        // The periodic rescan reads only files whose size or time moved.
        const st = await stat(file).catch(() => null);
        if (st && `${st.size}:${st.mtimeMs}` === before.stamp) continue;
      }
      // Whatever moved, the store's kept parse of it is dropped too (it checks the file's stat
      // on every read anyway).
      this.deps.store.forget(name);
      const now = await readGuest(file);
      if (!now) {
        // A folder without its vm.json yet (a create still making its disks): watched, so the
        // file's arrival is seen at once instead of at the next rescan.
        if (!before && (await this.folders(this.vmsDir)).includes(name)) this.unready.add(name);
        else this.unready.delete(name);
        if (before) {
          this.known.delete(name);
          deleted.push(name);
          gone.set(name, before);
        }
        continue;
      }
      this.known.set(name, now);
      this.unready.delete(name);
      if (!before) created.push({ name, g: now });
      else if (before.revision !== now.revision) {
        if (now.config) this.deps.onChange({ change: 'changed', name, config: now.config, revision: now.revision });
        else this.deps.onChange({ change: 'damaged', name, error: now.error! });
      }
    }
    // A folder that went and one that came with the same config, but for its name: a rename.
    for (const c of [...created]) {
      if (!c.g.config) continue;
      const hinted = this.renames.get(c.name);
      const from = deleted.find((d) => {
        if (d === hinted) return true;
        const old = gone.get(d)?.config;
        return old !== undefined && sameExceptName(old, c.g.config!);
      });
      this.renames.delete(c.name);
      if (from === undefined) continue;
      created.splice(created.indexOf(c), 1);
      deleted.splice(deleted.indexOf(from), 1);
      this.deps.onChange({ change: 'renamed', name: c.name, oldName: from, config: c.g.config, revision: c.g.revision });
    }
    for (const name of deleted) {
      this.states.delete(name);
      this.deps.onChange({ change: 'deleted', name });
    }
    for (const { name, g } of created) {
      if (!g.config) {
        this.deps.onChange({ change: 'damaged', name, error: g.error! });
        continue;
      }
      const status = await this.deps.status(name).catch(() => ({ name, state: 'stopped' as const }));
      this.states.set(name, status.state);
      this.deps.onChange({ change: 'created', name, config: g.config, revision: g.revision, status });
    }
    this.arm();
  }

  private schedule(key: string, fn: () => Promise<void>): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(key));
    const t = setTimeout(() => {
      this.timers.delete(key);
      void fn().catch(() => undefined);
    }, this.deps.debounceMs ?? 100);
    t.unref?.();
    this.timers.set(key, t);
  }

  /** A guest's runtime folder changed: started or stopped by someone; its status says which. */
  private async lookRuntime(name: string): Promise<void> {
    if (!this.known.get(name)?.config) return;
    const status = await this.deps.status(name);
    if (this.states.get(name) === status.state) return;
    this.states.set(name, status.state);
    this.deps.onState(status);
  }

  private watchDir(key: string, dir: string, on: (file: string | null) => void): void {
    if (this.watchers.has(key) || this.closed) return;
    try {
      const w = watch(dir, { persistent: false }, (_event, file) => on(file ? String(file) : null));
      // The folder went away: forget the watch; the next look re-arms it if it comes back.
      w.on('error', () => {
        w.close();
        this.watchers.delete(key);
      });
      this.watchers.set(key, w);
    } catch {
      // Not there (yet): the periodic look tries again.
    }
  }

  /** Watches the guests' folder, each guest's folder, the runtime folder and each guest's runtime folder. */
  private arm(): void {
    this.watchDir('vms', this.vmsDir, () => this.schedule('vms', () => this.check()));
    this.watchDir('run', this.runtimeDir, (file) => {
      if (file && vmName.safeParse(file).success) this.schedule(`run:${file}`, () => this.lookRuntime(file));
      this.arm();
    });
    for (const [key, w] of this.watchers) {
      const name = key.split(':')[1];
      if (name && !this.known.has(name) && !(key.startsWith('vm:') && this.unready.has(name))) {
        w.close();
        this.watchers.delete(key);
      }
    }
    for (const name of this.unready) {
      if (this.watchers.has(`vm:${name}`)) continue;
      this.watchDir(`vm:${name}`, join(this.vmsDir, name), (file) => {
        if (file === null || file === 'vm.json') this.schedule(`vm:${name}`, () => this.check(name));
      });
      // Its vm.json may have come between the look and this watch.
      this.schedule(`vm:${name}`, () => this.check(name));
    }
    for (const name of this.known.keys()) {
      this.watchDir(`vm:${name}`, join(this.vmsDir, name), (file) => {
        if (file === null || file === 'vm.json') this.schedule(`vm:${name}`, () => this.check(name));
      });
      this.watchDir(`rt:${name}`, join(this.runtimeDir, name), (file) => {
        if (file === null || file === 'guest.json') this.schedule(`run:${name}`, () => this.lookRuntime(name));
      });
    }
  }
}
