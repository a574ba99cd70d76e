// One run of one guest's QEMU: launched here or found again after a restart, watched over QMP
// until it ends, then classified (stopped, saved or crashed) and cleaned up after: sidecars
// ended, runtime files removed. State comes from QMP events and the process, never guesses.
// Every process is known by its recorded identity (process-info.ts): a pid that now belongs to
// someone else is never signalled.
import { classifyEnd } from './end-state';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { spawnDetached, type DetachedChild } from './spawn-detached';
import { QmpClient, QmpConnectError, QmpTimeoutError } from '../qemu/qmp';
import type { QmpEvent } from '../qemu/qmp';
import { isWaitingForMigration, queryStatus, quit } from '../qemu/qmp/commands';
import type { LaunchPlan, Sidecar } from '../qemu/plan';
import type { GuestProblem } from '../../shared/contract';
import { readBoundedText } from '../host/bounded-read';
import { capLog, LOG_MAX_BYTES, rotateAtStart } from './log-rotation';
import { exitFromLog } from './exit-record';
import { endOwned, identify, identityState, isQemuWithPidfile, isStopped, signalOwned, waitGone, type ProcessIdentity } from './process-info';
import { clearRun, readRecord, writeLastExit, writeRecord, type RecordedSidecar, type RuntimeRecord } from './runtime-files';
import { privateRuntimeDir } from './runtime-dir';
import { explainStartFailure } from '../qemu/start-errors';
import { startSidecar, tail, type RunningSidecar } from './sidecars';
import type { StartJournal } from './start-journal';

export type RunState = 'starting' | 'running' | 'paused' | 'saving' | 'stopping';
export type EndState = 'stopped' | 'saved' | 'crashed';

/** How long a forced end waits for a killed QEMU to be gone before saying it is not. */
const FORCE_END_WAIT_MS = 30_000;

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
    // QEMU's words, then what they mean when Guestbay knows (a missing evdev node, /dev/vfio…).
    const meaning = explainStartFailure(logTail);
    super(`${logTail ? `${message}:\n${logTail}` : message}${meaning ? `\n${meaning}` : ''}`);
    this.name = 'LaunchError';
  }
}

/** The stages of a start at which it can be interrupted (and a test can stop it). */
export type LaunchStage = `after-sidecar:${string}` | 'after-qemu-spawn' | 'before-record';

export interface LaunchControl {
  /** The start's journal: every process is written down the moment it exists. */
  journal: StartJournal;
  /** Aborts the start (Ctrl-C, SIGTERM): what it spawned is undone by the caller. */
  signal?: AbortSignal;
  /** Called at each stage; throws to interrupt. */
  checkpoint?: (stage: LaunchStage) => Promise<void>;
}

/**
 * Connects to the guest's monitor; if another Guestbay holds the main one, uses the second.
 * `greetMs` bounds each socket's wait for QEMU's greeting (after `retryForMs` of retrying a
 * socket that is not there yet, at a start).
 */
async function connectMonitor(plan: LaunchPlan, opts: { retryForMs: number; greetMs: number; signal?: AbortSignal }): Promise<QmpClient> {
  try {
    // GUESTBAY_QMP_TRACE writes its record beside QEMU's own log.
    const traceDir = dirname(plan.runtime.qemuLog);
    return await QmpClient.connect(plan.runtime.qmpSocket, { timeoutMs: opts.retryForMs + opts.greetMs, retryForMs: opts.retryForMs, quickRetryForMs: 2000, signal: opts.signal, traceDir });
  } catch (e) {
    // A held socket accepts the connection but never greets: that is a timeout, not a refusal.
    // Its backlog (one) may already hold a connection an earlier process queued and gave up on,
    // which QEMU accepts only when the holder lets go: then connect says EAGAIN. Held too.
    if (!(e instanceof QmpTimeoutError) && !(e instanceof QmpConnectError && e.code === 'EAGAIN')) throw e;
    return QmpClient.connect(plan.runtime.qmpCtlSocket, { timeoutMs: opts.greetMs, signal: opts.signal, traceDir: dirname(plan.runtime.qemuLog) });
  }
}

/** How long a status waits for a running QEMU to answer before saying it does not. */
export const ANSWER_DEADLINE_MS = 1500;

/**
 * A guest whose QEMU is there (the process its record names) but does not answer: stopped by a
 * signal, hung, or with both monitors held by other clients. It cannot be asked anything, so
 * only `forceEnd` can end it.
 */
export class NotAnsweringError extends Error {
  constructor(
    readonly vmName: string,
    readonly record: RuntimeRecord,
    readonly qemu: ProcessIdentity,
    readonly problem: GuestProblem,
  ) {
    super(`"${vmName}" does not answer: ${problem.message}`);
    this.name = 'NotAnsweringError';
  }
}

/** A sidecar of a running guest has ended: what the guest lost, and what to do. */
function sidecarProblem(name: string, id: string, sc: Sidecar | undefined): GuestProblem {
  const what = sc ? `${sc.kind} (${sc.purpose})` : id;
  const log = sc ? ` Its log: ${sc.log}.` : '';
  switch (sc?.kind) {
    case 'virtiofsd':
      return {
        kind: 'sidecar-ended',
        message: `${what} has ended: the guest's shared folder no longer answers, and programs in the guest that use it wait`,
        fix: `shut the guest down and start it again (a share cannot be reconnected while the guest runs); if it does not shut down, \`guestbay stop ${name} --force\`.${log}`,
      };
    case 'swtpm':
      return {
        kind: 'sidecar-ended',
        message: `${what} has ended: the guest's TPM no longer answers (Windows needs it for BitLocker and Hello)`,
        fix: `shut the guest down and start it again; the TPM's state is kept in the guest's folder.${log}`,
      };
    default:
      return { kind: 'sidecar-ended', message: `${what} has ended`, fix: `shut the guest down and start it again.${log}` };
  }
}

/** The problem of a QEMU stopped by a signal (it cannot answer until it is continued). */
function stoppedProblem(name: string, pid: number): GuestProblem {
  return {
    kind: 'not-answering',
    message: `QEMU (pid ${pid}) is stopped by a signal (SIGSTOP, or Ctrl-Z in a terminal) and cannot answer`,
    fix: `\`kill -CONT ${pid}\` lets it go on; \`guestbay stop ${name} --force\` ends it (the guest loses what it has not written to its disks)`,
  };
}

/** QEMU's identity from a record; a record from before identities were kept is trusted only through its -pidfile argument. */
function recordedQemu(record: RuntimeRecord): ProcessIdentity | null {
  if (record.qemu) {
    return identityState(record.qemu) === 'same' && isQemuWithPidfile(record.qemu.pid, record.plan.runtime.pidFile) ? record.qemu : null;
  }
  return isQemuWithPidfile(record.qemuPid, record.plan.runtime.pidFile) ? identify(record.qemuPid) : null;
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
    readonly qemu: ProcessIdentity,
    readonly client: QmpClient,
    private readonly logDir: string,
    private readonly runtimeDir: string,
    private readonly runDir: string | undefined,
    readonly sidecars: RecordedSidecar[],
    private readonly child?: DetachedChild,
  ) {
    this.ended = new Promise((r) => (this.resolveEnded = r));
    this.startWatching();
    void this.ended.then(() => clearInterval(this.watch));
    client.onEvent((ev) => this.onEvent(ev));
    void client.closed.then((info) => {
      // Letting go of a guest (the app quits) closes the monitor too; the guest runs on.
      if (info.by === 'client' && this.detached) return;
      void this.finish();
    });
  }

  get pid(): number {
    return this.qemu.pid;
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

  /**
   * Starts sidecars, then QEMU in its own process group, waits until QMP answers and checks
   * that the process answering is the one it spawned, then writes the runtime record. Each
   * process is in the journal from the moment it exists; on any failure or interruption the
   * caller undoes the journal.
   */
  static async launch(name: string, plan: LaunchPlan, dirs: { logDir: string; runtimeDir: string; runDir: string }, ctl: LaunchControl): Promise<Session> {
    const { journal, signal } = ctl;
    const checkpoint = async (stage: LaunchStage) => {
      signal?.throwIfAborted();
      await ctl.checkpoint?.(stage);
      signal?.throwIfAborted();
    };
    await mkdir(dirs.logDir, { recursive: true, mode: 0o700 });
    const sidecars: RunningSidecar[] = [];
    for (const sc of plan.sidecars) {
      sidecars.push(await startSidecar(sc, { signal, onSpawn: (id) => journal.spawned(sc.id, id) }));
      await checkpoint(`after-sidecar:${sc.id}`);
    }
    // Each run's serial log starts empty; the previous run's is kept as serial.1.log. QEMU's
    // own log is appended to, and moved aside at a start once it is past the cap.
    await rotateAtStart(plan.runtime.serialLog);
    await capLog(plan.runtime.qemuLog);
    await appendFile(plan.runtime.qemuLog, `\n=== ${new Date().toISOString()} ${plan.binary} ${plan.args.length} arguments\n`, { mode: 0o600 });
    const child = spawnDetached(plan.binary, plan.args, plan.runtime.qemuLog);
    const qemu = child.pid === undefined ? null : identify(child.pid);
    if (!qemu) {
      const r = await child;
      throw new LaunchError(`QEMU could not be started (${plan.binary}): ${r.message ?? 'it ended at once'}`, await tail(plan.runtime.qemuLog, 15));
    }
    await journal.spawned('qemu', qemu);
    await checkpoint('after-qemu-spawn');
    const exited = new AbortController();
    void child.finally(() => exited.abort());
    let client: QmpClient | undefined;
    try {
      try {
        client = await connectMonitor(plan, { retryForMs: 15_000, greetMs: 3000, signal: signal ? AbortSignal.any([signal, exited.signal]) : exited.signal });
      } catch (e) {
        signal?.throwIfAborted();
        throw new LaunchError(exited.signal.aborted ? 'QEMU ended before it was ready' : `QEMU did not answer on its monitor (${(e as Error).message})`, await tail(plan.runtime.qemuLog, 15));
      }
      // The socket is in a folder this start made, so only what it spawned can listen there;
      // the pidfile QEMU wrote in this start says the same of the process that answered.
      const written = Number((await readBoundedText(plan.runtime.pidFile, 64).catch(() => '')).trim());
      if (written !== qemu.pid) throw new LaunchError(`the monitor at ${plan.runtime.qmpSocket} did not belong to the QEMU just started (pid ${qemu.pid}, its pidfile says ${written || 'nothing'})`, '');
      await checkpoint('before-record');
      const record: RuntimeRecord = {
        plan,
        qemuPid: qemu.pid,
        qemu,
        sidecars: sidecars.map((s) => ({ id: s.sidecar.id, pid: s.pid, identity: s.identity })),
        runDir: dirs.runDir,
        startedAt: new Date().toISOString(),
      };
      await writeRecord(dirs.runtimeDir, record);
      child.unref();
      const s = new Session(name, plan, qemu, client, dirs.logDir, dirs.runtimeDir, dirs.runDir, record.sidecars, child);
      await s.refreshStatus();
      return s;
    } catch (e) {
      client?.close().catch(() => {});
      throw e;
    }
  }

  /**
   * A run whose QEMU ended while no Guestbay process watched: its sidecars are ended, how it
   * ended is read from QEMU's own log and recorded (stopped or crashed, exit-record.ts), and its
   * runtime files are removed. The record is removed last, so a process that dies half-way
   * leaves it for the next one to finish.
   */
  private static async endedUnwatched(record: RuntimeRecord, dirs: { logDir: string; runtimeDir: string }): Promise<void> {
    for (const sc of record.sidecars) if (sc.identity) await endOwned(sc.identity, 1000);
    await writeLastExit(dirs.logDir, await exitFromLog(record.plan.runtime.qemuLog)).catch(() => {});
    await clearRun(dirs.runtimeDir, record.runDir);
  }

  /**
   * Finds a guest started by an earlier Guestbay process: the record and the process must agree
   * (same identity, same -pidfile). A record whose QEMU is gone is cleaned up after, its
   * sidecars ended if they are still the processes it names; null if nothing runs.
   */
  static async attach(name: string, dirs: { logDir: string; runtimeDir: string }): Promise<Session | null> {
    if (!(await privateRuntimeDir(dirs.runtimeDir))) return null;
    const record = await readRecord(dirs.runtimeDir);
    if (!record) return null;
    const qemu = recordedQemu(record);
    if (!qemu) {
      await Session.endedUnwatched(record, dirs);
      return null;
    }
    // A QEMU stopped by a signal cannot greet: say so at once instead of waiting for it.
    if (isStopped(qemu.pid)) throw new NotAnsweringError(name, record, qemu, stoppedProblem(name, qemu.pid));
    const silent = (): NotAnsweringError =>
      new NotAnsweringError(name, record, qemu, {
        kind: 'not-answering',
        message: `QEMU (pid ${qemu.pid}) does not answer on its monitor within ${ANSWER_DEADLINE_MS / 1000} s: it may be hung, or other Guestbay processes hold both of its monitors`,
        fix: `try again in a moment; if it stays so, \`guestbay stop ${name} --force\` ends it (the guest loses what it has not written to its disks)`,
      });
    let client: QmpClient;
    try {
      client = await connectMonitor(record.plan, { retryForMs: 500, greetMs: ANSWER_DEADLINE_MS });
    } catch (e) {
      if (e instanceof QmpConnectError && identityState(qemu) !== 'same') {
        await Session.endedUnwatched(record, dirs);
        return null;
      }
      if (e instanceof QmpTimeoutError) throw silent();
      throw e;
    }
    const s = new Session(name, record.plan, qemu, client, dirs.logDir, dirs.runtimeDir, record.runDir, record.sidecars);
    try {
      await s.refreshStatus(ANSWER_DEADLINE_MS);
    } catch (e) {
      await s.detach();
      if (e instanceof QmpTimeoutError) throw silent();
      throw e;
    }
    return s;
  }

  /**
   * Ends a guest that does not answer (the user asked to force it): QEMU is killed if it still is
   * the process its record names, then its sidecars, and its files are cleared.
   */
  static async forceEnd(e: NotAnsweringError, dirs: { logDir: string; runtimeDir: string }): Promise<SessionEnd> {
    signalOwned(e.qemu, 'SIGKILL');
    // A killed QEMU with gigabytes of guest RAM can take seconds to be torn down on a busy host;
    // "stopped" is said only once it is gone, never while it still holds the guest's files.
    if (!(await waitGone(e.qemu, FORCE_END_WAIT_MS))) {
      throw new Error(`QEMU (pid ${e.qemu.pid}) was killed but has not ended after ${FORCE_END_WAIT_MS / 1000} s: its run is left as it is; try again, or check \`ps -p ${e.qemu.pid} -o stat\` (D: stuck in the kernel)`);
    }
    for (const sc of e.record.sidecars) if (sc.identity) await endOwned(sc.identity, 1000);
    await clearRun(dirs.runtimeDir, e.record.runDir);
    const reason = 'QEMU did not answer and was ended';
    await writeLastExit(dirs.logDir, { state: 'stopped', reason, at: new Date().toISOString() });
    return { state: 'stopped', reason };
  }

  /**
   * What is wrong with this run while it goes on: QEMU stopped by a signal, a sidecar that has
   * ended (its recorded identity no longer runs). Read from /proc each time: cheap, and true for
   * any process that asks, not only the one that started the guest.
   */
  problems(): GuestProblem[] {
    const out: GuestProblem[] = [];
    if (isStopped(this.qemu.pid)) out.push(stoppedProblem(this.name, this.qemu.pid));
    // While the run ends, its sidecars are ended on purpose.
    if (this.finishing) return out;
    for (const sc of this.sidecars) {
      if (sc.identity && identityState(sc.identity) !== 'same') out.push(sidecarProblem(this.name, sc.id, this.plan.sidecars.find((p) => p.id === sc.id)));
    }
    return out;
  }

  private watch: NodeJS.Timeout | undefined;
  private lastProblems = '[]';
  /** What the serial log may grow to while this process watches (smaller in tests). */
  logMaxBytes = LOG_MAX_BYTES;

  /** Rotates the serial log if it is past its cap (QEMU appends, so truncating is safe). */
  async capLogs(): Promise<void> {
    if (this.finishing) return;
    await capLog(this.plan.runtime.serialLog, this.logMaxBytes).catch(() => false);
  }

  /**
   * While a Guestbay process holds the guest, its problems are looked at every 2 s and a change
   * is told to the listeners like a state change (the supervisor then sends the whole status).
   */
  private startWatching(): void {
    this.watch = setInterval(() => {
      void this.capLogs();
      const now = JSON.stringify(this.problems());
      if (now === this.lastProblems) return;
      this.lastProblems = now;
      for (const fn of this.listeners) fn(this.state);
    }, 2000);
    // Watching never keeps a process alive (a CLI command ends when its work is done).
    this.watch.unref();
  }

  async refreshStatus(timeoutMs?: number): Promise<void> {
    const st = await queryStatus(this.client, timeoutMs);
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
    clearInterval(this.watch);
    await this.client.close();
  }

  /** Asks QEMU to quit; after `graceMs` the process group is killed. */
  async quit(graceMs = 3000): Promise<void> {
    await quit(this.client).catch(() => {});
    if (!(await waitGone(this.qemu, graceMs))) signalOwned(this.qemu, 'SIGKILL');
  }

  private finishing = false;

  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    // The monitor closes a moment before the process is gone (and reaped). A QEMU that lives
    // on without its monitor is killed only when Guestbay asked it to end.
    while (!(await waitGone(this.qemu, 5000))) {
      if (this.intent !== 'none') {
        signalOwned(this.qemu, 'SIGKILL');
        await waitGone(this.qemu, 2000);
        break;
      }
    }
    const exit = this.child ? await this.child : undefined;
    for (const sc of this.sidecars) if (sc.identity) await endOwned(sc.identity, 1000);
    await clearRun(this.runtimeDir, this.runDir);
    const c = classifyEnd({ intent: this.intent, sawShutdown: this.sawShutdown, guestShutdown: this.guestShutdown, exit });
    const end: SessionEnd = c.state === 'crashed' ? { ...c, logTail: await tail(this.plan.runtime.qemuLog, 20) } : c;
    const st = end.state;
    try {
      if (st !== 'saved') await writeLastExit(this.logDir, { state: st, reason: end.reason, logTail: end.logTail, at: new Date().toISOString() });
    } finally {
      // Whatever happened to the log folder, the run is over: everyone waiting hears how it ended.
      this.resolveEnded(end);
    }
  }
}
