// Owns the guests' lifecycles: start, stop, pause, save, restore, switch, and finding guests
// again after a restart. One operation per guest at a time; every state change is an event.
// Plain Node: the app, the CLI and the headless server all drive guests through this class.
import { stat } from 'node:fs/promises';
import type { HostCaps } from '../../shared/host-caps';
import { probeHost } from '../host/probe';
import { buildLaunchPlan, type LaunchPlan } from '../qemu/plan';
import { shellQuote } from '../qemu/shell-quote';
import { runPrepare } from './prepare';
import { acquireStartLock, clearLastExit, readLastExit, readRecord } from './runtime-files';
import {
  argsDigest,
  commitSave,
  discardSaved,
  fingerprint,
  prepareSaveDir,
  readSavedMeta,
  restoreBlocker,
  savedPaths,
  writableFiles,
} from './saved-state';
import { Session, type RunState } from './session';
import { Store } from './store';
import { decideSwitch, type RunningGuest, type SwitchDecision } from './switch-policy';
import { mkdir } from 'node:fs/promises';
import { ConfigError, type VmConfig } from '../../shared/vm-config';

export type GuestState = RunState | 'stopped' | 'saved' | 'crashed';

export interface GuestStatus {
  name: string;
  state: GuestState;
  pid?: number;
  accel?: 'kvm' | 'tcg';
  /** Why it is in this state: the crash reason, why it stopped, what a save holds. */
  detail?: string;
  logTail?: string;
  savable?: LaunchPlan['savable'];
}

export type SupervisorEvent =
  | { type: 'state'; name: string; state: GuestState; detail?: string }
  | { type: 'progress'; name: string; operation: string; message: string; fraction?: number };

export class GuestBusyError extends Error {
  constructor(
    readonly vmName: string,
    readonly operation: string,
  ) {
    super(`"${vmName}" is busy: ${operation} is in progress`);
    this.name = 'GuestBusyError';
  }
}

export class GuestStateError extends Error {
  override name = 'GuestStateError';
}

export interface StartOptions {
  accel?: 'kvm' | 'tcg';
  headless?: boolean;
  /** CPUs stopped until `resume`. */
  paused?: boolean;
  /** Start from power-on even if a saved state exists (the saved state is discarded). */
  fresh?: boolean;
}

export interface SupervisorOptions {
  store: Store;
  /** The host's capabilities; defaults to the (cached) probe. */
  probe?: () => Promise<HostCaps>;
  /** How long an ACPI power-down may take before QEMU is told to quit. */
  stopTimeoutMs?: number;
}

/** Whether `p` settles within `ms`; the timer is always cleared, so it never holds the process. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export class Supervisor {
  readonly store: Store;
  private readonly probe: () => Promise<HostCaps>;
  private readonly stopTimeoutMs: number;
  private readonly sessions = new Map<string, Session>();
  private readonly busy = new Map<string, string>();
  private readonly listeners = new Set<(e: SupervisorEvent) => void>();

  constructor(o: SupervisorOptions) {
    this.store = o.store;
    this.probe = o.probe ?? (() => probeHost());
    this.stopTimeoutMs = o.stopTimeoutMs ?? 60_000;
  }

  onEvent(fn: (e: SupervisorEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: SupervisorEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  private progress(name: string, operation: string, message: string, fraction?: number): void {
    this.emit({ type: 'progress', name, operation, message, fraction });
  }

  /** One operation per guest at a time, in this process (other processes: the start lock). */
  private async exclusive<T>(name: string, operation: string, fn: () => Promise<T>): Promise<T> {
    const current = this.busy.get(name);
    if (current) throw new GuestBusyError(name, current);
    this.busy.set(name, operation);
    try {
      return await fn();
    } finally {
      this.busy.delete(name);
    }
  }

  private adopt(s: Session): Session {
    this.sessions.set(s.name, s);
    this.emit({ type: 'state', name: s.name, state: s.state });
    s.onState((state) => this.emit({ type: 'state', name: s.name, state }));
    void s.ended.then((end) => {
      if (this.sessions.get(s.name) === s) this.sessions.delete(s.name);
      this.emit({ type: 'state', name: s.name, state: end.state, detail: end.reason });
    });
    return s;
  }

  /** The live session of a guest, found again if another process started it. */
  private async session(name: string): Promise<Session | null> {
    const known = this.sessions.get(name);
    if (known) return known;
    const found = await Session.attach(name, this.store.dirs(name));
    return found ? this.adopt(found) : null;
  }

  /** Re-attaches to every guest still running (after the app or the machine's session restarted). */
  async attachAll(): Promise<GuestStatus[]> {
    const out: GuestStatus[] = [];
    for (const g of await this.store.list()) if (g.config) out.push(await this.status(g.name));
    return out;
  }

  async status(name: string): Promise<GuestStatus> {
    await this.store.get(name);
    const s = await this.session(name);
    if (s) return { name, state: s.state, pid: s.pid, accel: s.plan.accel, savable: s.plan.savable };
    const { dir, logDir } = this.store.dirs(name);
    const saved = await readSavedMeta(dir);
    if (saved) return { name, state: 'saved', detail: `saved ${saved.savedAt} (${Math.round(saved.bytes / 2 ** 20)} MiB)` };
    const last = await readLastExit(logDir);
    if (last?.state === 'crashed') return { name, state: 'crashed', detail: last.reason, logTail: last.logTail };
    return { name, state: 'stopped', detail: last?.reason };
  }

  async statusAll(): Promise<GuestStatus[]> {
    return this.attachAll();
  }

  private async plan(config: VmConfig, o: StartOptions & { incoming?: boolean }): Promise<LaunchPlan> {
    const d = this.store.dirs(config.name);
    return buildLaunchPlan(config, await this.probe(), {
      vmDir: d.dir,
      runtimeDir: d.runtimeDir,
      logDir: d.logDir,
      headless: o.headless,
      accel: o.accel,
      paused: o.paused,
      incoming: o.incoming,
    });
  }

  /** What must hold before anything is started: shares still there, as folders. */
  private async preflight(config: VmConfig): Promise<void> {
    const errors = [];
    for (const [i, s] of config.sharedFolders.entries()) {
      const st = await stat(s.hostPath).catch(() => null);
      if (!st) errors.push({ field: `sharedFolders.${i}.hostPath`, message: `the shared folder ${s.hostPath} ("${s.tag}") no longer exists` });
      else if (!st.isDirectory()) errors.push({ field: `sharedFolders.${i}.hostPath`, message: `the shared folder ${s.hostPath} ("${s.tag}") is not a folder` });
    }
    if (errors.length) throw new ConfigError(errors);
  }

  /** Starts a guest; a saved guest is restored unless `fresh`. */
  async start(name: string, o: StartOptions = {}): Promise<GuestStatus> {
    const config = await this.store.get(name);
    if (!o.fresh && (await readSavedMeta(this.store.dirs(name).dir))) return this.restore(name, o);
    return this.exclusive(name, 'start', async () => {
      const running = await this.session(name);
      if (running) throw new GuestStateError(`"${name}" is already ${running.state}`);
      if (o.fresh) await discardSaved(this.store.dirs(name).dir);
      return this.launch(config, o, 'start');
    });
  }

  private async launch(config: VmConfig, o: StartOptions & { incoming?: boolean }, operation: string): Promise<GuestStatus> {
    const { name } = config;
    const dirs = this.store.dirs(name);
    const plan = await this.plan(config, o);
    await this.preflight(config);
    await mkdir(dirs.runtimeDir, { recursive: true, mode: 0o700 });
    const release = await acquireStartLock(dirs.runtimeDir, name);
    try {
      // A guest another process started since we looked: never start it twice.
      const other = await Session.attach(name, dirs);
      if (other) {
        await other.detach(); // only looked: let go of its monitor, leave the guest running
        throw new GuestStateError(`"${name}" is already running`);
      }
      this.progress(name, operation, 'preparing files');
      await runPrepare(plan);
      this.emit({ type: 'state', name, state: 'starting' });
      await clearLastExit(dirs.logDir);
      this.progress(name, operation, plan.sidecars.length ? `starting ${plan.sidecars.map((s) => s.kind).join(', ')} and QEMU` : 'starting QEMU');
      let session: Session;
      try {
        session = await Session.launch(name, plan, dirs);
      } catch (e) {
        this.emit({ type: 'state', name, state: 'stopped', detail: (e as Error).message });
        throw e;
      }
      this.adopt(session);
      return { name, state: session.state, pid: session.pid, accel: plan.accel, savable: plan.savable };
    } finally {
      await release();
    }
  }

  /**
   * ACPI power-down first, so the guest shuts down cleanly; after `timeoutMs` QEMU is told to
   * quit. `force` skips the power-down.
   */
  async stop(name: string, o: { force?: boolean; timeoutMs?: number } = {}): Promise<GuestStatus> {
    return this.exclusive(name, 'stop', async () => {
      const s = await this.session(name);
      if (!s) {
        const st = await this.status(name);
        if (st.state === 'saved') throw new GuestStateError(`"${name}" is saved, not running; restore it or start it fresh`);
        return st;
      }
      s.intent = 'stop';
      s.setState('stopping');
      if (!o.force) {
        const timeoutMs = o.timeoutMs ?? this.stopTimeoutMs;
        this.progress(name, 'stop', `asking the guest to shut down (forced after ${Math.round(timeoutMs / 1000)} s)`);
        await s.client.execute('system_powerdown').catch(() => {});
        const done = await settlesWithin(s.ended, timeoutMs);
        if (!done) this.progress(name, 'stop', 'the guest did not shut down in time: quitting QEMU');
      }
      if (!(await settlesWithin(s.ended, 0))) await s.quit();
      const end = await s.ended;
      return { name, state: end.state, detail: end.reason, logTail: end.logTail };
    });
  }

  async pause(name: string): Promise<GuestStatus> {
    return this.simple(name, 'pause', 'stop', 'paused');
  }

  async resume(name: string): Promise<GuestStatus> {
    return this.simple(name, 'resume', 'cont', 'running');
  }

  async reset(name: string): Promise<GuestStatus> {
    return this.simple(name, 'reset', 'system_reset', undefined);
  }

  private async simple(name: string, op: string, command: string, expect: RunState | undefined): Promise<GuestStatus> {
    return this.exclusive(name, op, async () => {
      const s = await this.session(name);
      if (!s) throw new GuestStateError(`"${name}" is not running`);
      await s.client.execute(command);
      if (expect) s.setState(expect);
      return { name, state: s.state, pid: s.pid, accel: s.plan.accel };
    });
  }

  /**
   * Writes the guest's whole state to a file in its folder and ends QEMU. Refused, with the
   * reason and the guest left running, when this guest cannot be migrated.
   */
  async save(name: string): Promise<GuestStatus> {
    return this.exclusive(name, 'save', async () => {
      const s = await this.session(name);
      if (!s) throw new GuestStateError(`"${name}" is not running, so there is nothing to save`);
      if (!s.plan.savable.ok) throw new GuestStateError(`"${name}" cannot be saved: ${s.plan.savable.reason}`);
      const caps = await this.probe();
      const { dir } = this.store.dirs(name);
      const paths = await prepareSaveDir(dir);
      const wasPaused = s.state === 'paused';
      const before = s.state;
      s.setState('saving');
      this.progress(name, 'save', 'pausing the guest');
      await s.client.execute('stop');
      // QEMU 8.2+ writes straight to a file; older ones through a helper process it spawns.
      const uri = caps.qemu?.fileMigration ? `file:${paths.partial}` : `exec:cat > ${shellQuote(paths.partial)}`;
      try {
        await s.client.execute('migrate', { uri });
        await this.waitMigration(s, name, 'save');
      } catch (e) {
        // Leave the guest as it was: running if it was running.
        if (before === 'running') await s.client.execute('cont').catch(() => {});
        s.setState(before);
        await discardSaved(dir);
        throw new GuestStateError(`saving "${name}" failed, the guest keeps running: ${(e as Error).message}`);
      }
      s.intent = 'save';
      this.progress(name, 'save', 'state written; ending QEMU');
      await s.quit();
      const end = await s.ended;
      if (end.state !== 'saved') throw new GuestStateError(`QEMU did not end cleanly after saving "${name}": ${end.reason}`);
      const meta = await commitSave(dir, {
        savedAt: new Date().toISOString(),
        qemuVersion: caps.qemu?.version ?? '',
        argsDigest: argsDigest(s.plan),
        wasPaused,
        disks: await fingerprint(writableFiles(s.plan)),
      });
      return { name, state: 'saved', detail: `saved ${meta.savedAt} (${Math.round(meta.bytes / 2 ** 20)} MiB)` };
    });
  }

  private async waitMigration(s: Session, name: string, operation: string): Promise<void> {
    for (;;) {
      const m = await s.client.execute<{ status?: string; 'error-desc'?: string; ram?: { transferred: number; total: number } }>('query-migrate');
      if (m.status === 'completed') return;
      if (m.status === 'failed' || m.status === 'cancelled') throw new Error(m['error-desc'] ?? `migration ${m.status}`);
      if (m.ram && m.ram.total > 0) this.progress(name, operation, 'writing memory', Math.min(1, m.ram.transferred / m.ram.total));
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Starts QEMU waiting for the saved state, loads it, and the guest continues where it was. */
  async restore(name: string, o: Omit<StartOptions, 'fresh' | 'paused'> = {}): Promise<GuestStatus> {
    return this.exclusive(name, 'restore', async () => {
      const config = await this.store.get(name);
      if (await this.session(name)) throw new GuestStateError(`"${name}" is already running`);
      const { dir } = this.store.dirs(name);
      const meta = await readSavedMeta(dir);
      if (!meta) throw new GuestStateError(`"${name}" has no saved state to restore`);
      const plan = await this.plan(config, { ...o, incoming: true, paused: meta.wasPaused });
      const blocker = await restoreBlocker(meta, plan);
      if (blocker) throw new GuestStateError(`cannot restore "${name}": ${blocker}. Start it fresh (start --fresh) to discard the saved state.`);
      const status = await this.launch(config, { ...o, incoming: true, paused: meta.wasPaused }, 'restore');
      const s = this.sessions.get(name)!;
      const caps = await this.probe();
      const file = savedPaths(dir).state;
      try {
        this.progress(name, 'restore', 'loading the saved state');
        await s.client.execute('migrate-incoming', { uri: caps.qemu?.fileMigration ? `file:${file}` : `exec:cat ${shellQuote(file)}` });
        await this.waitMigration(s, name, 'restore');
        // The stream carries the run state it was saved in, and a save pauses the guest first
        // (so the disks stop changing): resume it, unless the user had paused it.
        if (!meta.wasPaused) await s.client.execute('cont');
        await s.refreshStatus();
      } catch (e) {
        s.intent = 'stop';
        await s.quit();
        throw new GuestStateError(`restoring "${name}" failed; the saved state is kept: ${(e as Error).message}`);
      }
      // The disks move on from here: the saved state no longer matches them.
      await discardSaved(dir);
      return { ...status, state: s.state };
    });
  }

  /** Decides with the one switch policy, carries it out, and reports what happened. */
  async switchTo(name: string, o: StartOptions = {}): Promise<{ decision: SwitchDecision; status: GuestStatus; elapsedMs: number }> {
    const started = performance.now();
    const target = await this.store.get(name);
    const caps = await this.probe();
    const running: RunningGuest[] = [];
    for (const g of await this.store.list()) {
      if (!g.config || g.name === name) continue;
      const s = await this.session(g.name);
      if (s && (s.state === 'running' || s.state === 'paused' || s.state === 'starting')) {
        running.push({ config: g.config, state: s.state, savable: s.plan.savable });
      }
    }
    const targetState = (await this.status(name)).state;
    const decision = decideSwitch(
      target,
      targetState === 'running' || targetState === 'paused' || targetState === 'saved' || targetState === 'crashed' ? targetState : 'stopped',
      running,
      { memoryMiB: caps.memory.totalMiB, availableMiB: caps.memory.availableMiB },
      { iommuGroups: caps.iommu.groups },
    );
    for (const step of decision.evict) {
      this.progress(name, 'switch', `${step.action === 'save' ? 'saving' : 'shutting down'} ${step.guest}: ${step.because}`);
      if (step.action === 'save') await this.save(step.guest);
      else await this.stop(step.guest);
    }
    let status: GuestStatus;
    switch (decision.then) {
      case 'restore':
        status = await this.restore(name, o);
        break;
      case 'resume':
        status = await this.resume(name);
        break;
      case 'start':
        status = await this.start(name, { ...o, fresh: true });
        break;
      default:
        status = await this.status(name);
    }
    return { decision, status, elapsedMs: performance.now() - started };
  }

  /** The QMP client of a running guest, for screenshots and the like. */
  async monitor(name: string) {
    const s = await this.session(name);
    if (!s) throw new GuestStateError(`"${name}" is not running`);
    return s.client;
  }

  /** Lets go of every guest without stopping them (the app quits; guests keep running). */
  async detach(): Promise<void> {
    for (const s of this.sessions.values()) await s.detach();
    this.sessions.clear();
  }

  /** Runtime record of a guest, if any process started it. */
  async record(name: string) {
    return readRecord(this.store.dirs(name).runtimeDir);
  }
}
