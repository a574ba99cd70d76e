// What the supervisor tells its callers (statuses, events, errors), and the core its
// operations share: the guests' sessions, one operation per guest at a time, the event stream.
import type { GuestStateName, GuestStatusDto } from '../../../shared/contract';
import type { HostCaps } from '../../../shared/host-caps';
import type { ProbeOptions } from '../../host/options';
import type { HelperRunner } from '../../passthrough/helper-runner';
import type { SingleGpuHost } from '../single-gpu-run';
import type { LaunchStage, Session } from '../session';
import type { Store } from '../store';

export type GuestState = GuestStateName;

/**
 * A guest's status, as the contract declares it (src/shared/contract.ts): name, state, and
 * pid, accel, detail (why it is in this state), logTail, savable where they apply. Built only
 * by guestStatus() in status.ts.
 */
export type GuestStatus = GuestStatusDto;

export type SupervisorEvent =
  /** The guest's whole status, each time its state changes. */
  | { type: 'state'; status: GuestStatus }
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

/** A start stopped by Ctrl-C, SIGTERM or its caller: everything it had started was ended. */
export class StartInterruptedError extends Error {
  override name = 'StartInterruptedError';
  constructor(
    readonly vmName: string,
    readonly reason: unknown,
  ) {
    super(`the start of "${vmName}" was interrupted${typeof reason === 'string' ? ` (${reason})` : ''}; everything it had started was ended`);
  }
}

/** Called at each stage of a start; a test uses it to stop a start at a chosen stage. */
export type StageHook = (stage: LaunchStage, signal?: AbortSignal) => Promise<void>;

export interface StartOptions {
  accel?: 'kvm' | 'tcg';
  headless?: boolean;
  /** CPUs stopped until `resume`. */
  paused?: boolean;
  /** Start from power-on even if a saved state exists (the saved state is discarded). */
  fresh?: boolean;
  /** Interrupts the start (Ctrl-C): what it had started is ended, and it fails with StartInterruptedError. */
  signal?: AbortSignal;
}

export interface SupervisorOptions {
  store: Store;
  /** The host's capabilities; defaults to the (cached) probe. */
  probe?: () => Promise<HostCaps>;
  /** How long an ACPI power-down may take before QEMU is told to quit. */
  stopTimeoutMs?: number;
  /** Tests only (the CLI's GUESTBAY_TEST_PAUSE_AT): runs at each stage of a start. */
  stageHook?: StageHook;
  /** What a running guest's serial log may grow to before it is rotated (vm/log-rotation.ts). */
  logMaxBytes?: number;
  /**
   * Passthrough's host: where sysfs is read for the checks before a start (tests: a fixture
   * tree) and what runs the privileged helper's operations for single-GPU passthrough (default:
   * pkexec and the installed helper; tests: a stub that records them).
   */
  passthrough?: { probe?: ProbeOptions; runner?: HelperRunner };
}

/** What the operations (lifecycle, save/restore, switch) share; the Supervisor holds it. */
export interface SupervisorCore {
  readonly store: Store;
  probe(): Promise<HostCaps>;
  readonly stopTimeoutMs: number;
  readonly stageHook?: StageHook;
  emit(e: SupervisorEvent): void;
  progress(name: string, operation: string, message: string, fraction?: number): void;
  /** One operation per guest at a time, in this process (other processes: the start lock). */
  exclusive<T>(name: string, operation: string, fn: () => Promise<T>): Promise<T>;
  /** The live session of a guest, found again if another process started it. */
  session(name: string): Promise<Session | null>;
  /** The session this process holds, without looking for one elsewhere. */
  held(name: string): Session | undefined;
  /** Holds a session: its state changes and its end become events. */
  adopt(s: Session): Session;
  /** Where passthrough's checks read the host, and single-GPU passthrough's host (report + helper). */
  readonly passthrough: { probe: ProbeOptions; singleGpu: SingleGpuHost };
}
