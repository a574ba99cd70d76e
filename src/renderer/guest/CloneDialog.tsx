// Clone from the guest page's More menu: a new guest with a copy of this one's disks, or a
// linked clone (instant, copy-on-write over this guest, which becomes a read-only base). The
// same guests.clone call as the Disks tab's form; the new guest's page opens on its Disks tab.
import { useState } from 'react';
import { vmName } from '../../shared/vm-config';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { described, Field } from '../components/Field';
import { useApp, useClient } from '../store';

export function CloneDialog({ name, title, onClose }: { name: string; title: string; onClose(): void }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const loadGuests = useApp((s) => s.loadGuests);
  const guests = useApp((s) => s.guests);
  const [clone, setClone] = useState(`${name}-clone`.slice(0, 64));
  const [linked, setLinked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parsed = vmName.safeParse(clone.trim());
  const problem = !parsed.success ? (parsed.error.issues[0]?.message ?? 'This name is not allowed.') : guests.some((g) => g.name === clone.trim()) ? `A guest named ${clone.trim()} exists already: choose another name.` : undefined;
  const go = async () => {
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('guests.clone', { source: name, name: clone.trim(), linked });
      await loadGuests();
      onClose();
      navigate({ page: 'guest', name: r.config.name, tab: 'disks' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog label={`Clone ${title}`} testId="clone-dialog" onClose={onClose}>
      <header className="dialog-head">
        <h2>Clone {title}</h2>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void go();
        }}
      >
        <Field id="clone-dialog-name" label="New guest’s name" error={clone.trim() ? problem : undefined}>
          <input {...described('clone-dialog-name', clone.trim() ? problem : undefined)} value={clone} spellCheck={false} onChange={(e) => setClone(e.target.value)} />
        </Field>
        <fieldset className="choices">
          <legend>Its disks</legend>
          <label className={`choice${!linked ? ' selected' : ''}`}>
            <input type="radio" name="clone-kind" data-testid="clone-dialog-copy" checked={!linked} onChange={() => setLinked(false)} />
            <span>
              <strong>A full copy</strong>
              <span className="hint">Takes the disks’ space again and a while to copy; the two guests are independent.</span>
            </span>
          </label>
          <label className={`choice${linked ? ' selected' : ''}`}>
            <input type="radio" name="clone-kind" data-testid="clone-dialog-linked" checked={linked} onChange={() => setLinked(true)} />
            <span>
              <strong>Linked</strong>
              <span className="hint">Instant, and only what changes takes space; “{title}” becomes a read-only base for it.</span>
            </span>
          </label>
        </fieldset>
        {error !== null && <ErrorNotice error={error} title={`Could not clone ${title}`} testId="clone-dialog-error" />}
        <footer className="dialog-foot">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="clone-dialog-go" disabled={busy || problem !== undefined}>
            {busy ? 'Cloning…' : 'Clone'}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
