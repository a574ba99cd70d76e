import type { GuestStateName, GuestStatusDto } from '../../shared/contract';
import { problemBadge } from './GuestProblems';

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

export function StateBadge({ state, testId, status }: { state: GuestStateName | 'damaged'; testId?: string; status?: GuestStatusDto }) {
  const problem = problemBadge(status);
  return (
    <>
      <span className={`badge badge-${state}`} data-testid={testId} data-state={state}>
        {STATE_LABELS[state]}
      </span>
      {problem && (
        <span className={`badge badge-${problem.kind}`} data-testid={testId && `${testId}-problem`}>
          {problem.label}
        </span>
      )}
    </>
  );
}
