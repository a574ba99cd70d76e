// Owns the guests' lifecycles: start, stop, pause, save, restore, switch, and finding guests
// again after a restart. One operation per guest at a time; every state change is an event.
// Plain Node: the app, the CLI and the headless server all drive guests through this class.
// The class holds the sessions, the busy marks and the listeners; the operations live beside
// it: lifecycle.ts (status, start, stop, pause, resume, reset, attach), save-restore.ts,
// switch.ts, and launch.ts (what a start and a restore share).
import { stateInput, verdict, type GuestAction } from '../../../shared/guest-state';
import { ConfigError } from '../../../shared/vm-config';
import type { HostCaps } from '../../../shared/host-caps';
import { probeHost } from '../../host/probe';
import { iommuReport } from '../../passthrough/iommu-report';
import { pkexecRunner } from '../../passthrough/helper-runner';
import { giveGpuBack, hasGiveBackRecord } from '../single-gpu-run';
import { readRecord } from '../runtime-files';
import { Session } from '../session';
import { CorruptConfigError, GuestNotFoundError, Store, type ListedGuest } from '../store';
import * as lifecycle from './lifecycle';
import * as saveRestore from './save-restore';
import { guestStatus } from './status';
import { agentReport, withFrozenFilesystems } from '../guest-agent';
import type { GuestAgentInfo } from '../../../shared/contract';
import { switchTo, type SwitchResult } from './switch';
import { GuestBusyError, GuestStateError, type GuestStatus, type StartOptions, type SupervisorCore, type SupervisorEvent, type SupervisorOptions } from './types';

export { GuestBusyError, GuestStateError, StartInterruptedError, type GuestState, type GuestStatus, type StageHook, type StartOptions, type SupervisorEvent, type SupervisorOptions } from './types';
export type { SwitchResult } from './switch';
export { guestStatus, type StatusSource } from './status';

export class Supervisor {
  readonly store: Store;
  private readonly core: SupervisorCore;
  private readonly sessions = new Map<string, Session>();
  private readonly busy = new Map<string, string>();
  private readonly listeners = new Set<(e: SupervisorEvent) => void>();

  private readonly logMaxBytes?: number;

  constructor(o: SupervisorOptions) {
    this.store = o.store;
    this.logMaxBytes = o.logMaxBytes;
    const probe: () => Promise<HostCaps> = o.probe ?? (() => probeHost());
    const passthroughProbe = o.passthrough?.probe ?? {};
    this.core = {
      store: o.store,
      probe,
      stopTimeoutMs: o.stopTimeoutMs ?? 60_000,
      stageHook: o.stageHook,
      emit: (e) => this.emit(e),
      progress: (name, operation, message, fraction) => this.emit({ type: 'progress', name, operation, message, fraction }),
      exclusive: (name, operation, fn) => this.exclusive(name, operation, fn),
      session: (name) => this.session(name),
      held: (name) => this.sessions.get(name),
      adopt: (s) => this.adopt(s),
      passthrough: { probe: passthroughProbe, singleGpu: { runner: o.passthrough?.runner ?? pkexecRunner(), report: () => iommuReport(passthroughProbe) } },
    };
  }

  onEvent(fn: (e: SupervisorEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: SupervisorEvent): void {
    for (const fn of this.listeners) fn(e);
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
    // Every process that holds or looks at a running guest keeps its log within bounds.
    if (this.logMaxBytes) s.logMaxBytes = this.logMaxBytes;
    void s.capLogs();
    const live = () => this.emit({ type: 'state', status: guestStatus(s.name, { kind: 'live', session: s }) });
    live();
    s.onState(live);
    void s.ended.then(async (end) => {
      if (this.sessions.get(s.name) === s) this.sessions.delete(s.name);
      // Single-GPU passthrough: the host gets its GPU back however the guest ended (shut down,
      // crashed, forced off), before the end is told. Only a run that took the GPU left the
      // record this needs: any other's end is told at once, as a stop's caller and its
      // listeners expect it (an awaited look for the record let `stopped` trail the stop).
      if (hasGiveBackRecord(this.store.dirs(s.name).dir)) await this.giveGpuBack(s.name);
      this.emit({ type: 'state', status: guestStatus(s.name, { kind: 'ended', end }) });
    });
    return s;
  }

  /** Gives back the GPU a single-GPU guest took, if it did and no one gave it back yet. */
  async giveGpuBack(name: string): Promise<{ ran: boolean; errors: string[] }> {
    const r = await giveGpuBack(this.core.passthrough.singleGpu, this.store.dirs(name).dir, (what) => this.emit({ type: 'progress', name, operation: 'give the GPU back', message: what })).catch(
      (e: Error) => ({ ran: true, errors: [e.message] }),
    );
    for (const err of r.errors) this.emit({ type: 'progress', name, operation: 'give the GPU back', message: `failed: ${err} (docs/single-gpu.md: the way back)` });
    return r;
  }

  /** The live session of a guest, found again if another process started it. */
  private async session(name: string): Promise<Session | null> {
    const known = this.sessions.get(name);
    if (known) return known;
    const found = await Session.attach(name, this.store.dirs(name));
    return found ? this.adopt(found) : null;
  }

  /**
   * Refuses, in the guest-state model's words (src/shared/guest-state.ts), an action the
   * guest's status does not allow: the window, the tray and the CLI all end up here, so a
   * refusal reads the same in each. The operations below check again inside their own lock.
   */
  async guard(name: string, action: GuestAction): Promise<GuestStatus> {
    // A running guest whose vm.json broke, or whose folder went, can still be ended: the model
    // hears it is damaged. A guest that is neither there nor running is not found.
    const st = await this.status(name);
    const config = await this.store.get(name).catch((e: unknown) => {
      if (e instanceof CorruptConfigError || e instanceof ConfigError) return null;
      if (e instanceof GuestNotFoundError && st.state !== 'stopped') return null;
      throw e;
    });
    const op = this.busy.get(name);
    if (op) throw new GuestBusyError(name, op);
    const v = verdict(stateInput(st, { title: config?.title, damaged: config === null }), action);
    if (!v.ok) throw new GuestStateError(v.reason);
    return st;
  }

  /** Every guest's status, re-attaching to those still running (after the app or the machine's session restarted). */
  /** `listed`: the store's listing the caller has just read (guests.list), so it is not read again. */
  attachAll(listed?: ListedGuest[]): Promise<GuestStatus[]> {
    return lifecycle.attachAll(this.core, listed);
  }

  status(name: string): Promise<GuestStatus> {
    return lifecycle.status(this.core, name);
  }

  /** What the running guest's agent reports; `connected: false` at once when it has none or is not running. */
  async agent(name: string): Promise<GuestAgentInfo> {
    const s = await this.core.session(name).catch(() => null);
    if (!s || s.state !== 'running') return { connected: false, os: null, addresses: [], mounts: null };
    return agentReport(s);
  }

  /** Starts a guest; a saved guest is restored unless `fresh`. */
  async start(name: string, o: StartOptions = {}): Promise<GuestStatus> {
    await this.guard(name, 'start');
    return lifecycle.start(this.core, name, o);
  }

  /**
   * ACPI power-down first, so the guest shuts down cleanly; after `timeoutMs` QEMU is told to
   * quit. `force` skips the power-down.
   */
  async stop(name: string, o: { force?: boolean; timeoutMs?: number } = {}): Promise<GuestStatus> {
    const held = this.sessions.get(name);
    if (o.force && held && this.busy.get(name) === 'stop') {
      // Force off while a shutdown waits for the guest: pull the plug now; the waiting stop
      // sees QEMU end and returns too.
      held.intent = 'stop';
      await held.quit();
      return guestStatus(name, { kind: 'ended', end: await held.ended });
    }
    // Stopping a guest no QEMU runs is done already (a stale record is not a running guest):
    // nothing is signalled, and its status says so.
    const now = await this.status(name);
    if (now.state === 'stopped' || now.state === 'crashed') return now;
    await this.guard(name, o.force ? 'forceOff' : 'stop');
    return lifecycle.stop(this.core, name, o);
  }

  /**
   * Deletes a guest that is not running (the guest-state model says when); disk images stay
   * unless `deleteDisks`.
   */
  async delete(name: string, o: { deleteDisks?: boolean } = {}): Promise<{ kept: string[] }> {
    await this.guard(name, 'delete');
    return lifecycle.remove(this.core, name, o);
  }

  async pause(name: string): Promise<GuestStatus> {
    await this.guard(name, 'pause');
    return lifecycle.pause(this.core, name);
  }

  async resume(name: string): Promise<GuestStatus> {
    await this.guard(name, 'resume');
    return lifecycle.resume(this.core, name);
  }

  async reset(name: string): Promise<GuestStatus> {
    await this.guard(name, 'reset');
    return lifecycle.reset(this.core, name);
  }

  /**
   * Writes the guest's whole state to a file in its folder and ends QEMU. Refused, with the
   * reason and the guest left running, when this guest cannot be migrated.
   */
  async save(name: string): Promise<GuestStatus> {
    await this.guard(name, 'save');
    return saveRestore.save(this.core, name);
  }

  /** Starts QEMU waiting for the saved state, loads it, and the guest continues where it was. */
  async restore(name: string, o: Omit<StartOptions, 'fresh' | 'paused'> = {}): Promise<GuestStatus> {
    await this.guard(name, 'restore');
    return saveRestore.restore(this.core, name, o);
  }

  /** Decides with the one switch policy, carries it out, and reports what happened. */
  async switchTo(name: string, o: StartOptions = {}): Promise<SwitchResult> {
    await this.guard(name, 'switch');
    return switchTo(this.core, name, o);
  }

  /**
   * Runs `fn` as this guest's one operation of the moment (a live snapshot, a disk change): a
   * start, stop or save asked meanwhile is refused as busy, and the other way round.
   */
  withGuest<T>(name: string, operation: string, fn: () => Promise<T>): Promise<T> {
    return this.exclusive(name, operation, fn);
  }

  /** The QMP client of a running guest, for screenshots and the like. */
  async monitor(name: string) {
    const s = await this.session(name);
    if (!s) throw new GuestStateError(`"${name}" is not running`);
    return s.client;
  }

  /**
   * Runs `fn` with the running guest's file systems frozen by its agent (thawed after, whatever
   * happens); plainly when it has no agent. Live snapshots are taken in it; their memory is that
   * frozen moment, so a revert to one thaws the guest again (disks/snapshots.ts, thawIfFrozen).
   */
  async withFrozenFilesystems<T>(name: string, fn: () => Promise<T>): Promise<{ value: T; frozen: boolean }> {
    const s = await this.session(name);
    if (!s) throw new GuestStateError(`"${name}" is not running`);
    return withFrozenFilesystems(s, fn);
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
