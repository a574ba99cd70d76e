// The guest page's actions, always in its header: each button on exactly when the guest-state
// model allows it, with the model's reason when not (as its tooltip, and in words in the More
// menu). Force off and Reset ask first (unsaved work in the guest is lost); Delete asks what to
// do with the disk images.
import { useState } from 'react';
import type { GuestStatusDto } from '../../shared/contract';
import { ACTION_HELP as MODEL_HELP, ACTION_LABELS as MODEL_LABELS, type GuestAction } from '../../shared/guest-state';
import { ACTION_KEYS, ACTION_LABELS, actionVerdicts, type ActionId } from '../actions';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApp, useClient } from '../store';
import { CloneDialog } from './CloneDialog';
import { DeleteDialog } from './DeleteDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { Mark } from '../components/Icons';

/** Actions that lose what the guest has not saved: a click asks first. */
export const ASKS_FIRST: Partial<Record<ActionId, { title: string; body: string; confirm: string }>> = {
  forceOff: { title: 'Force off', body: 'The guest ends at once, as if its plug were pulled: anything not saved inside it is lost.', confirm: 'Force off' },
  reset: { title: 'Reset', body: 'The guest restarts at once, like pressing its reset button: anything not saved inside it is lost.', confirm: 'Reset' },
};

/** The buttons in the header, in this order (pause and resume share a place). */
const BAR: ActionId[] = ['start', 'pause', 'stop', 'forceOff', 'save', 'reset', 'switch'];

export const testIdOf = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function GuestToolbar({ name, title, status, onRename }: { name: string; title: string; status: GuestStatusDto | undefined; onRename(): void }) {
  const client = useClient();
  const act = useApp((s) => s.act);
  const busy = useApp((s) => s.busy[name]);
  const failed = useApp((s) => s.actionErrors[name]);
  const [asking, setAsking] = useState<ActionId | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [cloning, setCloning] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const [folder, setFolder] = useState<string | null>(null);
  const [error, setError] = useState<{ what: string; error: unknown } | null>(null);
  const v = actionVerdicts(status, { name, title, busy });
  const bar = BAR.map((id) => (id === 'pause' && status?.state === 'paused' ? 'resume' : id));
  const click = (id: ActionId) => (ASKS_FIRST[id] ? setAsking(id) : void act(name, id));
  const openFolder = async () => {
    setError(null);
    try {
      const r = await client.call('guests.openFolder', { name });
      setFolder(r.opened ? null : r.path);
    } catch (e) {
      setError({ what: 'open the folder of', error: e });
    }
  };
  const discard = async () => {
    setError(null);
    try {
      await client.call('guests.discardSaved', { name });
    } catch (e) {
      setError({ what: 'discard the saved state of', error: e });
    }
  };
  const more: { id: GuestAction; run(): void }[] = [
    { id: 'rename', run: onRename },
    { id: 'openFolder', run: () => void openFolder() },
    { id: 'discardSaved', run: () => setDiscarding(true) },
    { id: 'delete', run: () => setDeleting(true) },
  ];
  // Clone is not a guest-state action (the tray and the CLI have their own ways): its disks are
  // copied at rest, so it waits for the guest to be off, and says so.
  const atRest = !status || status.state === 'stopped' || status.state === 'crashed';
  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label={`Actions for ${title}`}>
        {bar.map((id) => {
          const verdict = v[id];
          return (
            <button
              key={id}
              type="button"
              className={`btn btn-small${id === 'start' || id === 'resume' ? ' btn-primary' : ''}${id === 'forceOff' ? ' btn-quiet-danger' : ''}`}
              data-testid={`action-${testIdOf(id)}-${name}`}
              disabled={!verdict.ok || busy !== undefined}
              title={verdict.ok ? `${MODEL_HELP[id]} (${ACTION_KEYS[id]})` : verdict.reason}
              onClick={() => click(id)}
            >
              {busy === id ? `${ACTION_LABELS[id]}…` : ACTION_LABELS[id]}
            </button>
          );
        })}
        <details className="menu" data-testid={`action-more-${name}`}>
          <summary className="btn btn-small">
            More <Mark kind="menu" />
          </summary>
          <div className="menu-list" role="menu">
            {more.map(({ id, run }) => {
              const verdict = v[id];
              return (
                <button
                  key={id}
                  type="button"
                  role="menuitem"
                  className={`menu-item${id === 'delete' ? ' menu-danger' : ''}`}
                  data-testid={`action-${testIdOf(id)}-${name}`}
                  disabled={!verdict.ok}
                  onClick={(e) => {
                    (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
                    run();
                  }}
                >
                  <span>{MODEL_LABELS[id]}{id === 'delete' || id === 'discardSaved' ? '…' : ''}</span>
                  <span className="hint">{verdict.ok ? MODEL_HELP[id] : verdict.reason}</span>
                </button>
              );
            })}
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid={`action-clone-${name}`}
              disabled={!atRest}
              onClick={(e) => {
                (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
                setCloning(true);
              }}
            >
              <span>Clone…</span>
              <span className="hint">{atRest ? 'A new guest with a copy of its disks, or a linked clone over them' : 'Shut the guest down first: its disks are cloned at rest.'}</span>
            </button>
          </div>
        </details>
      </div>
      {failed && <ErrorNotice error={failed.error} title={`Could not ${ACTION_LABELS[failed.id].toLowerCase()} ${title}`} />}
      {error && <ErrorNotice error={error.error} title={`Could not ${error.what} ${title}`} />}
      {folder && (
        <p className="notice" data-testid="guest-folder" role="status">
          Its folder (configuration, disks, logs): <code>{folder}</code>. Guestbay cannot open a file manager from the browser.{' '}
          <button type="button" className="btn btn-small" onClick={() => setFolder(null)}>
            Close
          </button>
        </p>
      )}
      {asking && ASKS_FIRST[asking] && (
        <ConfirmDialog
          title={`${ASKS_FIRST[asking]!.title} ${title}?`}
          body={ASKS_FIRST[asking]!.body}
          confirm={ASKS_FIRST[asking]!.confirm}
          danger
          testId="confirm-action"
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            const id = asking;
            setAsking(null);
            void act(name, id);
          }}
        />
      )}
      {discarding && (
        <ConfirmDialog
          title={`Discard the saved state of ${title}?`}
          body="Its memory as it was saved is deleted: the next start boots it afresh, and anything not saved inside it is lost."
          confirm="Discard saved state"
          danger
          testId="confirm-discard"
          onCancel={() => setDiscarding(false)}
          onConfirm={() => {
            setDiscarding(false);
            void discard();
          }}
        />
      )}
      {deleting && <DeleteDialog name={name} title={title} onClose={() => setDeleting(false)} />}
      {cloning && <CloneDialog name={name} title={title} onClose={() => setCloning(false)} />}
    </div>
  );
}
