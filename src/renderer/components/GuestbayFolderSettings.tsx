// The Host page's "Guestbay folder": where the one folder every guest can open lives, and
// whether new guests get it. The same settings file `guestbay settings` changes (settings.get /
// settings.set); a refused path is said at the field and nothing is saved.
import { useEffect, useState, type FormEvent } from 'react';
import { CallError, type CallOutput } from '../../shared/contract';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';
import { PathField } from './PathField';

type Settings = CallOutput<'settings.get'>;

export function GuestbayFolderSettings() {
  const client = useClient();
  const [s, setS] = useState<Settings | null>(null);
  const [path, setPath] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    void client.call('settings.get', {}).then(
      (r) => {
        setS(r);
        setPath(r.sharedFolder.path);
      },
      setError,
    );
  }, [client]);

  const save = async (patch: { sharedFolder?: string | null; newGuestsGetFolder?: boolean }, what: string) => {
    setBusy(true);
    setSaved(null);
    setError(undefined);
    try {
      const r = await client.call('settings.set', patch);
      setS(r);
      setPath(r.sharedFolder.path);
      setFieldError(undefined);
      setSaved(what);
    } catch (e) {
      const field = e instanceof CallError ? e.fields.find((f) => f.field === 'sharedFolder') : undefined;
      if (field) setFieldError(field.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ sharedFolder: path.trim() }, 'The Guestbay folder is saved: each guest that has it sees the new one from its next start.');
  };

  if (!s) return error !== undefined ? <ErrorNotice error={error} title="The Guestbay folder setting could not be read" /> : null;
  const f = s.sharedFolder;
  return (
    <section className="host-section" aria-labelledby="guestbay-folder-title" data-testid="host-guestbay-folder">
      <h2 id="guestbay-folder-title">Guestbay folder</h2>
      <p className="hint">
        One folder of this computer that every guest can open (Linux and Windows over virtiofs, macOS over 9p, SMB where neither works), so there is one place to pass files
        between them. A change applies at each guest’s next start.
      </p>
      <form onSubmit={submit} noValidate>
        <PathField
          id="setting-shared-folder"
          label="Folder"
          mode="dir"
          value={path}
          onChange={(v) => {
            setPath(v);
            setFieldError(undefined);
            setSaved(null);
          }}
          error={fieldError}
          placeholder="/home/you/Guestbay Shared"
          hint={
            f.exists
              ? f.isDefault
                ? 'The default folder.'
                : undefined
              : 'It does not exist yet: Guestbay makes it (readable only by you) at the first start of a guest that has it.'
          }
        />
        <div className="host-section-actions">
          <button type="submit" className="btn btn-primary" data-testid="setting-shared-folder-save" disabled={busy || path.trim() === f.path}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          {!f.isDefault && (
            <button type="button" className="btn" data-testid="setting-shared-folder-default" disabled={busy} onClick={() => void save({ sharedFolder: null }, 'Back to the default folder, from each guest’s next start.')}>
              Use the default
            </button>
          )}
          {saved && (
            <span className="saved" role="status" data-testid="setting-shared-folder-saved">
              {saved}
            </span>
          )}
        </div>
      </form>
      <label className="check">
        <input
          type="checkbox"
          data-testid="setting-new-guests-get-folder"
          checked={s.newGuestsGetFolder}
          disabled={busy}
          onChange={(e) => void save({ newGuestsGetFolder: e.target.checked }, e.target.checked ? 'New guests get the Guestbay folder.' : 'New guests are made without the Guestbay folder.')}
        />
        <span>
          <strong>New guests get the Guestbay folder</strong>
          <span className="hint">The new-guest wizard’s “Share the Guestbay folder” starts ticked; untick it there for one guest.</span>
        </span>
      </label>
      {error !== undefined && <ErrorNotice error={error} title="The setting could not be saved" />}
    </section>
  );
}
