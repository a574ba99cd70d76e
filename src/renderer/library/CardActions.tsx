// A card's (or a list row's) buttons: only what the guest's state allows now, at most three,
// so a card stays small. The guest page has every action, with the model's reason for those
// that are off.
import type { GuestStatusDto } from '../../shared/contract';
import { ACTION_HELP, ACTION_KEYS, ACTION_LABELS, actionVerdicts, type ActionId } from '../actions';
import { useApp } from '../store';

/** Which actions a card offers, by state, in this order; the first is the main one. */
const CARD_ACTIONS: ActionId[] = ['start', 'resume', 'stop', 'pause', 'save', 'switch'];
const MAX = 3;

export function CardActions({ name, title, status }: { name: string; title: string; status: GuestStatusDto | undefined }) {
  const act = useApp((s) => s.act);
  const busy = useApp((s) => s.busy[name]);
  const v = actionVerdicts(status, { name, title });
  const shown = CARD_ACTIONS.filter((id) => v[id].ok).slice(0, MAX);
  if (busy) shown.splice(0, shown.length, ...(shown.includes(busy) ? [busy] : []));
  return (
    <div className="actions actions-card" role="group" aria-label={`Actions for ${title}`}>
      {shown.map((id, i) => (
        <button
          key={id}
          type="button"
          className={`btn btn-small${i === 0 && (id === 'start' || id === 'resume') ? ' btn-primary' : ''}`}
          data-testid={`action-${id}-${name}`}
          disabled={busy !== undefined}
          title={`${ACTION_HELP[id]} (${ACTION_KEYS[id]})`}
          onClick={(e) => {
            e.stopPropagation();
            void act(name, id);
          }}
        >
          {busy === id ? `${ACTION_LABELS[id]}…` : ACTION_LABELS[id]}
        </button>
      ))}
    </div>
  );
}
