import type { GuestStateName } from '../../shared/contract';

const LABELS: Record<GuestStateName, string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  paused: 'Paused',
  saving: 'Saving…',
  saved: 'Saved',
  stopping: 'Stopping…',
  crashed: 'Crashed',
};

export function StateBadge({ state, testId }: { state: GuestStateName | 'damaged'; testId?: string }) {
  return (
    <span className={`badge badge-${state}`} data-testid={testId} data-state={state}>
      {state === 'damaged' ? 'Damaged' : LABELS[state]}
    </span>
  );
}
