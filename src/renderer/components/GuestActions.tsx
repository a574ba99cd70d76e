import type { GuestStatusDto } from '../../shared/contract';
import { ACTION_HELP, ACTION_KEYS, ACTION_LABELS, allowed, type ActionId } from '../actions';
import { useApp } from '../store';
import { ErrorNotice } from './ErrorNotice';

export function GuestActions({ name, status }: { name: string; status: GuestStatusDto | undefined }) {
  const act = useApp((s) => s.act);
  const busy = useApp((s) => s.busy[name]);
  const failed = useApp((s) => s.actionErrors[name]);
  const ok = allowed(status?.state, status?.savable, status?.problems);
  const order: ActionId[] = status?.state === 'paused' ? ['start', 'resume', 'stop', 'save', 'switch'] : ['start', 'pause', 'stop', 'save', 'switch'];
  return (
    <div className="actions-wrap">
      <div className="actions" role="group" aria-label={`Actions for ${name}`}>
        {order.map((id) => (
          <button
            key={id}
            type="button"
            className={`btn btn-small${id === 'start' ? ' btn-primary' : ''}`}
            data-testid={`action-${id}-${name}`}
            disabled={!ok[id] || busy !== undefined}
            title={id === 'save' && status?.savable?.ok === false ? status.savable.reason : `${ACTION_HELP[id]} (${ACTION_KEYS[id]})`}
            onClick={() => void act(name, id)}
          >
            {busy === id ? `${ACTION_LABELS[id]}…` : ACTION_LABELS[id]}
          </button>
        ))}
      </div>
      {failed && <ErrorNotice error={failed.error} title={`Could not ${ACTION_LABELS[failed.id].toLowerCase()} ${name}`} />}
    </div>
  );
}
