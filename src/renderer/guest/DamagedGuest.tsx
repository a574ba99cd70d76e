// A guest whose vm.json cannot be read: what is wrong, and the two ways out: fix the file (its
// folder), or remove the guest — its folder moved aside by default (nothing deleted), deleted
// only when asked, and its disk images kept unless asked too.
import { useState } from 'react';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { StateBadge } from '../components/StateBadge';
import { useApp, useClient } from '../store';

function RemoveDamaged({ name, onClose }: { name: string; onClose(): void }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const [how, setHow] = useState<'aside' | 'delete'>('aside');
  const [disks, setDisks] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ movedTo: string | null; kept: string[] } | null>(null);
  const remove = async () => {
    setError(null);
    try {
      setDone(await client.call('guests.removeDamaged', { name, deleteFolder: how === 'delete', deleteDisks: how === 'delete' && disks }));
    } catch (e) {
      setError(e);
    }
  };
  const leave = () => (onClose(), navigate({ page: 'library' }));
  return (
    <Dialog label={`Remove ${name}`} testId="remove-damaged-dialog" onClose={done ? leave : onClose} initialFocus="[data-cancel]">
      <header className="dialog-head">
        <h2>Remove {name}?</h2>
      </header>
      {done ? (
        <>
          <p data-testid="remove-damaged-done">
            {done.movedTo ? `Removed from the library. Its folder is kept as ${done.movedTo}.` : 'Removed.'}
            {done.kept.length ? ` Disk images kept: ${done.kept.join(', ')}.` : ''}
          </p>
          <footer className="dialog-foot">
            <button type="button" className="btn btn-primary" onClick={leave}>
              Back to the library
            </button>
          </footer>
        </>
      ) : (
        <>
          <fieldset className="choices">
            <legend className="visually-hidden">Its folder</legend>
            <label className={`choice${how === 'aside' ? ' selected' : ''}`}>
              <input type="radio" name="damaged-how" data-testid="remove-damaged-aside" checked={how === 'aside'} onChange={() => setHow('aside')} />
              <span>
                <strong>Move its folder aside</strong>
                <span className="hint">Nothing is deleted: the folder is renamed to .removed-{name}-… in the guests’ folder.</span>
              </span>
            </label>
            <label className={`choice choice-danger${how === 'delete' ? ' selected' : ''}`}>
              <input type="radio" name="damaged-how" data-testid="remove-damaged-delete" checked={how === 'delete'} onChange={() => setHow('delete')} />
              <span>
                <strong>Delete its folder</strong>
                <span className="hint">Its settings and logs are deleted; its disk images are kept unless ticked below.</span>
              </span>
            </label>
          </fieldset>
          {how === 'delete' && (
            <label className="check check-danger">
              <input type="checkbox" data-testid="remove-damaged-disks" checked={disks} onChange={(e) => setDisks(e.target.checked)} />
              <span>
                <strong>Also delete its disk images</strong>
                <span className="hint">Everything installed in the guest is lost. This cannot be undone.</span>
              </span>
            </label>
          )}
          {error !== null && <ErrorNotice error={error} title={`${name} was not removed`} />}
          <footer className="dialog-foot">
            <button type="button" className="btn" data-cancel onClick={onClose}>
              Cancel
            </button>
            <button type="button" className={`btn ${how === 'delete' ? 'btn-danger' : 'btn-primary'}`} data-testid="remove-damaged-confirm" onClick={() => void remove()}>
              Remove
            </button>
          </footer>
        </>
      )}
    </Dialog>
  );
}

export function DamagedGuest({ name, error }: { name: string; error: string }) {
  const client = useClient();
  const [removing, setRemoving] = useState(false);
  const [folder, setFolder] = useState<string | null>(null);
  const openFolder = async () => {
    const r = await client.call('guests.openFolder', { name }).catch(() => null);
    if (r && !r.opened) setFolder(r.path);
  };
  return (
    <section className="page" data-testid={`guest-page-${name}`} aria-labelledby="guest-title">
      <header className="guest-head">
        <div className="guest-name">
          <h1 id="guest-title">
            {name} <StateBadge state="damaged" testId={`guest-state-${name}`} />
          </h1>
        </div>
        <div className="toolbar" role="toolbar" aria-label={`Actions for ${name}`}>
          <button type="button" className="btn btn-small" data-testid={`action-open-folder-${name}`} onClick={() => void openFolder()}>
            Open folder
          </button>
          <button type="button" className="btn btn-small btn-quiet-danger" data-testid={`action-remove-damaged-${name}`} onClick={() => setRemoving(true)}>
            Remove…
          </button>
        </div>
      </header>
      <div className="notice notice-error" role="alert" data-testid={`guest-error-${name}`}>
        <strong>Its settings file (vm.json) cannot be read</strong>
        <p>{error}</p>
        <p>Fix vm.json in its folder (Open folder), or remove the guest. Its disk images are untouched either way.</p>
      </div>
      {folder && (
        <p className="notice" data-testid="guest-folder">
          Its folder: <code>{folder}</code>
        </p>
      )}
      {removing && <RemoveDamaged name={name} onClose={() => setRemoving(false)} />}
    </section>
  );
}
