// What every disk operation on guests needs: the guests (store), their live states (the
// supervisor), where progress goes, and how to cancel.
import type { Store } from '../vm/store';
import type { Supervisor } from '../vm/supervisor';

export interface DiskContext {
  store: Store;
  supervisor: Supervisor;
  qemuImg?: string;
  /** Progress of long operations, as the contract's `progress` event carries it. */
  progress?: (name: string, operation: string, message: string, fraction?: number) => void;
  signal?: AbortSignal;
}

/** A disk operation refused by a rule (in use, a base with clones, a missing confirmation). */
export class DiskRuleError extends Error {
  override name = 'DiskRuleError';
}

/** Refused until the caller confirms; `message` says what would be lost. */
export class ConfirmationNeededError extends Error {
  override name = 'ConfirmationNeededError';
}
