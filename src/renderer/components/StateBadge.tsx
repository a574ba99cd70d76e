import type { GuestStateName } from '../../shared/contract';

export const STATE_LABELS: Record<GuestStateName | 'damaged', string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  paused: 'Paused',
  saving: 'Saving…',
  saved: 'Saved',
  stopping: 'Stopping…',
  crashed: 'Crashed',
  damaged: 'Damaged',
};

export function StateBadge({ state, testId }: { state: GuestStateName | 'damaged'; testId?: string }) {
  return (
    <span className={`badge badge-${state}`} data-testid={testId} data-state={state}>
      {STATE_LABELS[state]}
    </span>
  );
}
