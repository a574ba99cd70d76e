// One run of one guest's QEMU: launched here or found again after a restart, watched over QMP
// until it ends, then classified (stopped, saved or crashed) and cleaned up after: sidecars
// ended, runtime files removed. State comes from QMP events and the process, never guesses.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { spawnDetached, type DetachedChild } from './spawn-detached';
import { QmpClient, QmpConnectError, QmpTimeoutError } from '../qemu/qmp';
import type { QmpEvent } from '../qemu/qmp';
import { isWaitingForMigration, queryStatus, quit } from '../qemu/qmp/commands';
import type { LaunchPlan } from '../qemu/plan';
import { isQemuWithPidfile, killTree, procState, waitGone } from './process-info';
import { clearRuntime, readRecord, writeLastExit, writeRecord, type RuntimeRecord } from './runtime-files';
import { startSidecars, stopSidecars, tail } from './sidecars';

export type RunState = 'starting' | 'running' | 'paused' | 'saving' | 'stopping';
export type EndState = 'stopped' | 'saved' | 'crashed';

export interface SessionEnd {
  state: EndState;
  reason: string;
  logTail?: string;
}

export class LaunchError extends Error {
  constructor(
    message: string,
    readonly logTail: string,
  ) {
    super(logTail ? `${message}:\n${logTail}` : message);
    this.name = 'LaunchError';
  }
}

/** Connects to the guest's monitor; if another Guestbay holds the main one, uses the second. */
async function connectMonitor(plan: LaunchPlan, opts: { retryForMs: number; signal?: AbortSignal }): Promise<QmpClient> {
  try {
    // GUESTBAY_QMP_TRACE writes its record beside QEMU's own log.
    const traceDir = dirname(plan.runtime.qemuLog);
    return await QmpClient.connect(plan.runtime.qmpSocket, { timeoutMs: opts.retryForMs + 2000, retryForMs: opts.retryForMs, signal: opts.signal, traceDir });
  } catch (e) {
    // A held socket accepts the connection but never greets: that is a timeout, not a refusal.
    if (!(e instanceof QmpTimeoutError)) throw e;
    return QmpClient.connect(plan.runtime.qmpCtlSocket, { timeoutMs: 3000, signal: opts.signal, traceDir: dirname(plan.runtime.qemuLog) });
  }
}

export class Session {
  state: RunState = 'starting';
  /** What Guestbay asked for: tells a requested end from a crash. */
  intent: 'none' | 'stop' | 'save' = 'none';
  private sawShutdown = false;
  /** The guest's OS itself shut down (ACPI honoured), as opposed to QEMU being told to quit. */
  guestShutdown = false;
  private listeners = new Set<(s: RunState) => void>();
  readonly ended: Promise<SessionEnd>;
  private resolveEnded!: (e: SessionEnd) => void;

  private constructor(
    readonly name: string,
    readonly plan: LaunchPlan,
    readonly pid: number,
    readonly client: QmpClient,
    private readonly logDir: string,
    private readonly runtimeDir: string,
    private readonly sidecarPids: number[],
    private readonly child?: DetachedChild,
  ) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
    client.onEvent((ev) => this.onEvent(ev));
    void client.closed.then((info) => {
      // Letting go of a guest (the app quits) closes the monitor too; the guest runs on.
      if (info.by === 'client' && this.detached) return;
      void this.finish();
    });
  }

  onState(fn: (s: RunState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  setState(s: RunState): void {
    if (this.state === s) return;
    this.state = s;
    for (const fn of this.listeners) fn(s);
  }

  /** Starts sidecars, then QEMU in its own process group, and waits until QMP answers. */
  static async launch(name: string, plan: LaunchPlan, dirs: { logDir: string; runtimeDir: string }): Promise<Session> {
    await mkdir(dirs.logDir, { recursive: true, mode: 0o700 });
    const sidecars = await startSidecars(plan.sidecars);
    await appendFile(plan.runtime.qemuLog, `\n=== ${new Date().toISOString()} ${plan.binary} ${plan.args.length} arguments\n`, { mode: 0o600 });
    const child = spawnDetached(plan.binary, plan.args, plan.runtime.qemuLog);
    const failed = async (message: string): Promise<never> => {
      child.kill('SIGKILL');
      stopSidecars(sidecars);
      await child;
      await clearRuntime(dirs.runtimeDir);
      throw new LaunchError(message, await tail(plan.runtime.qemuLog, 15));
    };
    if (child.pid === undefined) {
      const r = await child;
      stopSidecars(sidecars);
      throw new LaunchError(`QEMU could not be started (${plan.binary}): ${r.message ?? 'unknown error'}`, '');
    }
    const ac = new AbortController();
    void child.finally(() => ac.abort());
    let client: QmpClient;
    try {
      client = await connectMonitor(plan, { retryForMs: 15_000, signal: ac.signal });
    } catch (e) {
      return failed(ac.signal.aborted ? 'QEMU ended before it was ready' : `QEMU did not answer on its monitor (${(e as Error).message})`);
    }
    child.unref();
    const record: RuntimeRecord = { plan, qemuPid: child.pid, sidecars: sidecars.map((s) => ({ id: s.sidecar.id, pid: s.pid })), startedAt: new Date().toISOString() };
    await writeRecord(dirs.runtimeDir, record);
    const s = new Session(name, plan, child.pid, client, dirs.logDir, dirs.runtimeDir, record.sidecars.map((x) => x.pid), child);
    await s.refreshStatus();
    return s;
  }

  /**
   * Finds a guest started by an earlier Guestbay process: the record and the pid must agree
   * and the pid must really be that guest's QEMU. Stale files are cleaned up; null if none runs.
   */
  static async attach(name: string, dirs: { logDir: string; runtimeDir: string }): Promise<Session | null> {
    const record = await readRecord(dirs.runtimeDir);
    if (!record) return null;
    if (!isQemuWithPidfile(record.qemuPid, record.plan.runtime.pidFile)) {
      for (const sc of record.sidecars) killTree(sc.pid);
      await clearRuntime(dirs.runtimeDir);
      return null;
    }
    let client: QmpClient;
    try {
      client = await connectMonitor(record.plan, { retryForMs: 1000 });
    } catch (e) {
      if (e instanceof QmpConnectError && procState(record.qemuPid) !== 'alive') {
        await clearRuntime(dirs.runtimeDir);
        return null;
      }
      throw e;
    }
    const s = new Session(name, record.plan, record.qemuPid, client, dirs.logDir, dirs.runtimeDir, record.sidecars.map((x) => x.pid));
    await s.refreshStatus();
    return s;
  }

  async refreshStatus(): Promise<void> {
    const st = await queryStatus(this.client);
    if (st.running) this.setState('running');
    else if (isWaitingForMigration(st)) this.setState('starting');
    else if (this.state !== 'saving' && this.state !== 'stopping') this.setState('paused');
  }

  private onEvent(ev: QmpEvent): void {
    switch (ev.event) {
      case 'SHUTDOWN':
        this.sawShutdown = true;
        if ((ev.data as { guest?: boolean } | undefined)?.guest) this.guestShutdown = true;
        break;
      case 'STOP':
        if (this.state === 'running' || this.state === 'starting') this.setState('paused');
        break;
      case 'RESUME':
        if (this.state !== 'saving' && this.state !== 'stopping') this.setState('running');
        break;
    }
  }

  private detached = false;

  /** Closes the monitor and stops watching; QEMU and its sidecars keep running. */
  async detach(): Promise<void> {
    this.detached = true;
    await this.client.close();
  }

  /** Asks QEMU to quit; after `graceMs` the process group is killed. */
  async quit(graceMs = 3000): Promise<void> {
    await quit(this.client).catch(() => {});
    if (!(await waitGone(this.pid, graceMs))) killTree(this.pid, 'SIGKILL');
  }

  private finishing = false;

  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    // The monitor closes a moment before the process is gone (and reaped). A QEMU that lives
    // on without its monitor is killed only when Guestbay asked it to end.
    while (!(await waitGone(this.pid, 5000))) {
      if (this.intent !== 'none') {
        killTree(this.pid, 'SIGKILL');
        await waitGone(this.pid, 2000);
        break;
      }
    }
    const exit = this.child ? await this.child : undefined;
    for (const pid of this.sidecarPids) killTree(pid);
    await clearRuntime(this.runtimeDir);
    const cleanExit = exit ? exit.exitCode === 0 && !exit.signal : true;
    let end: SessionEnd;
    if (this.intent === 'save' && cleanExit) {
      end = { state: 'saved', reason: 'saved' };
    } else if ((this.sawShutdown || this.intent === 'stop') && cleanExit) {
      end = { state: 'stopped', reason: this.guestShutdown ? 'the guest shut down' : 'QEMU was told to quit' };
    } else {
      const how = exit?.signal ? `killed by ${exit.signal}` : exit ? `exited with code ${exit.exitCode}` : 'ended without shutting down';
      end = { state: 'crashed', reason: `QEMU ${how}`, logTail: await tail(this.plan.runtime.qemuLog, 20) };
    }
    const st = end.state;
    if (st !== 'saved') await writeLastExit(this.logDir, { state: st, reason: end.reason, logTail: end.logTail, at: new Date().toISOString() });
    this.resolveEnded(end);
  }
}
