import { useState } from 'react';
import type { GuestStatusDto } from '../../shared/contract';
import { ACTION_HELP, ACTION_LABELS, allowed, runAction, type ActionId } from '../actions';
import { useApp, useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';

export function GuestActions({ name, status }: { name: string; status: GuestStatusDto | undefined }) {
  const client = useClient();
  const patchStatus = useApp((s) => s.patchStatus);
  const loadGuests = useApp((s) => s.loadGuests);
  const [busy, setBusy] = useState<ActionId | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ok = allowed(status?.state, status?.savable);
  const order: ActionId[] = status?.state === 'paused' ? ['start', 'resume', 'stop', 'save', 'switch'] : ['start', 'pause', 'stop', 'save', 'switch'];
  const act = async (id: ActionId) => {
    setBusy(id);
    setError(null);
    try {
      patchStatus(name, await runAction(client, id, name));
      if (id === 'switch') void loadGuests();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="actions-wrap">
      <div className="actions" role="group" aria-label={`Actions for ${name}`}>
        {order.map((id) => (
          <button
            key={id}
            type="button"
            className={`btn btn-small${id === 'start' ? ' btn-primary' : ''}`}
            data-testid={`action-${id}-${name}`}
            disabled={!ok[id] || busy !== null}
            title={id === 'save' && status?.savable?.ok === false ? status.savable.reason : ACTION_HELP[id]}
            onClick={() => void act(id)}
          >
            {busy === id ? `${ACTION_LABELS[id]}…` : ACTION_LABELS[id]}
          </button>
        ))}
      </div>
      {error !== null && <ErrorNotice error={error} title={`Could not ${ACTION_LABELS[busy ?? 'start'].toLowerCase()} ${name}`} />}
    </div>
  );
}
