// Every GuestStatus the supervisor reports, as a call's answer or in a 'state' event, is built
// here, from what is known of the guest at that moment: one shape, the same fields each time.
import type { LaunchPlan } from '../../qemu/plan';
import type { LastExit } from '../runtime-files';
import type { SavedStateMeta } from '../saved-state';
import type { NotAnsweringError, Session, SessionEnd } from '../session';
import type { GuestStatus } from './types';

export type StatusSource =
  /** QEMU is up (or coming up, or going down) and Guestbay holds its monitor. */
  | { kind: 'live'; session: Session }
  /** QEMU is being started; nothing answers yet. */
  | { kind: 'starting'; plan: LaunchPlan }
  /** QEMU could not be started. */
  | { kind: 'not-started'; reason: string }
  /** This run has just ended. */
  | { kind: 'ended'; end: SessionEnd }
  /** Nothing runs: what the guest's folder says (a saved state, how the last run ended). */
  | { kind: 'at-rest'; saved: SavedStateMeta | null; lastExit: LastExit | null }
  /** Its status could not be read (a listing shows the guest anyway, with the reason). */
  | { kind: 'unreadable'; reason: string }
  /** QEMU is there but does not answer (stopped by a signal, hung, both monitors held). */
  | { kind: 'not-answering'; error: NotAnsweringError };

export function savedDetail(meta: SavedStateMeta): string {
  return `saved ${meta.savedAt} (${Math.round(meta.bytes / 2 ** 20)} MiB)`;
}

export function guestStatus(name: string, from: StatusSource): GuestStatus {
  switch (from.kind) {
    case 'live': {
      const s = from.session;
      const problems = s.problems();
      return { name, state: s.state, pid: s.pid, accel: s.plan.accel, savable: s.plan.savable, ...(problems.length ? { problems } : {}) };
    }
    case 'not-answering': {
      // Its run state is unknown; the process runs, so it is shown running, with the problem.
      const { record, qemu, problem } = from.error;
      return { name, state: 'running', pid: qemu.pid, accel: record.plan.accel, problems: [problem] };
    }
    case 'starting':
      return { name, state: 'starting', accel: from.plan.accel, savable: from.plan.savable };
    case 'not-started':
    case 'unreadable':
      return { name, state: 'stopped', detail: from.reason };
    case 'ended':
      return { name, state: from.end.state, detail: from.end.reason, logTail: from.end.logTail };
    case 'at-rest': {
      if (from.saved) return { name, state: 'saved', detail: savedDetail(from.saved) };
      const last = from.lastExit;
      if (last?.state === 'crashed') return { name, state: 'crashed', detail: last.reason, logTail: last.logTail };
      return { name, state: 'stopped', detail: last?.reason };
    }
  }
}
