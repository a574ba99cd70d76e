import type { GuestStatusDto } from '../../shared/contract';
import { ACTION_HELP, ACTION_KEYS, ACTION_LABELS, actionVerdicts, type ActionId } from '../actions';
import { useApp } from '../store';
import { ErrorNotice } from './ErrorNotice';

/** The guest's action buttons: each on exactly when the guest-state model allows it, its reason as the tooltip when not. */
export function GuestActions({ name, title, status }: { name: string; title?: string; status: GuestStatusDto | undefined }) {
  const act = useApp((s) => s.act);
  const busy = useApp((s) => s.busy[name]);
  const failed = useApp((s) => s.actionErrors[name]);
  // The button of the action under way stays as it is ("Saving…"); the others are held by the model.
  const v = actionVerdicts(status, { name, title });
  const order: ActionId[] = status?.state === 'paused' ? ['start', 'resume', 'stop', 'save', 'switch'] : ['start', 'pause', 'stop', 'save', 'switch'];
  return (
    <div className="actions-wrap">
      <div className="actions" role="group" aria-label={`Actions for ${name}`}>
        {order.map((id) => {
          const verdict = v[id];
          return (
            <button
              key={id}
              type="button"
              className={`btn btn-small${id === 'start' ? ' btn-primary' : ''}`}
              data-testid={`action-${id}-${name}`}
              disabled={!verdict.ok || busy !== undefined}
              title={verdict.ok ? `${ACTION_HELP[id]} (${ACTION_KEYS[id]})` : verdict.reason}
              onClick={() => void act(name, id)}
            >
              {busy === id ? `${ACTION_LABELS[id]}…` : ACTION_LABELS[id]}
            </button>
          );
        })}
      </div>
      {failed && <ErrorNotice error={failed.error} title={`Could not ${ACTION_LABELS[failed.id].toLowerCase()} ${name}`} />}
    </div>
  );
}
