// Deleting a guest: its disk images are kept unless the user ticks that they are to be deleted
// too, with each file named. After the delete, the library, which names what was kept.
import { useContext, useState } from 'react';
import { GuestEditContext } from './edit-context';
import type { VmConfig } from '../../shared/vm-config';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApp, useClient } from '../store';

export function DeleteDialog({ name, title, onClose }: { name: string; title: string; onClose(): void }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  // The page's own config (read with guests.get) before the library's list, which may come later.
  const page = useContext(GuestEditContext);
  const listed = useApp((s) => s.guests.find((g) => g.name === name)?.config) as VmConfig | undefined;
  const config = page?.config ?? listed;
  const [disks, setDisks] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const setDeleted = useApp((s) => s.setDeleted);
  const files = config?.disks.map((d) => d.path) ?? [];
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('guests.delete', { name, deleteDisks: disks });
      // This page goes with the guest: the library says which files were kept.
      setDeleted(r.kept.length ? { title, kept: r.kept } : undefined);
      onClose();
      navigate({ page: 'library' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog label={`Delete ${title}`} testId="delete-dialog" onClose={onClose} initialFocus="[data-cancel]">
      <header className="dialog-head">
        <h2>Delete {title}?</h2>
      </header>
      <p>Its settings, logs and saved screen go. {files.length ? 'Its disk images are kept unless you tick the box below:' : 'It has no disk images.'}</p>
      {files.length > 0 && (
        <>
          <ul className="file-names">
            {files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
          <label className="check check-danger">
            <input type="checkbox" data-testid="delete-disks" checked={disks} onChange={(e) => setDisks(e.target.checked)} />
            <span>
              <strong>Also delete {files.length === 1 ? 'this disk image' : `these ${files.length} disk images`}</strong>
              <span className="hint">Everything installed in the guest is lost. This cannot be undone.</span>
            </span>
          </label>
        </>
      )}
      {error !== null && <ErrorNotice error={error} title={`${title} was not deleted`} />}
      <footer className="dialog-foot">
        <button type="button" className="btn" data-cancel data-testid="delete-cancel" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" data-testid="delete-confirm" disabled={busy} onClick={() => void remove()}>
          {busy ? 'Deleting…' : disks ? 'Delete the guest and its disks' : 'Delete the guest, keep its disks'}
        </button>
      </footer>
    </Dialog>
  );
}
