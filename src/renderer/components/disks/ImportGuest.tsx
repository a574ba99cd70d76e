// Import on the library: a libvirt domain (virsh dumpxml), a quickemu .conf or a VirtualBox .vbox
// on this computer becomes a guest; the report says which disks are used in place or were copied,
// and what could not be carried over.
import { useState } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { useApp, useClient } from '../../store';
import { ErrorNotice } from '../ErrorNotice';
import { PathField } from '../PathField';

type Result = CallOutput<'guests.import'>;

export function ImportGuest({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const loadGuests = useApp((s) => s.loadGuests);
  const navigate = useApp((s) => s.navigate);
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [copyDisks, setCopyDisks] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Result | null>(null);

  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('guests.import', { path: path.trim(), name: name.trim() || undefined, copyDisks: copyDisks || undefined });
      setResult(r);
      await loadGuests();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel import-guest" aria-labelledby="import-title" data-testid="import-guest">
      <header className="panel-head">
        <h2 id="import-title">Import a guest</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </header>
      {!result && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void go();
          }}
        >
          <p className="muted">From virt-manager or virsh (domain XML), quickemu (.conf) or VirtualBox (.vbox). The file is only read; its disks stay where they are unless copied.</p>
          <PathField id="import-path" label="File" value={path} onChange={setPath} filters={[{ name: 'libvirt, quickemu, VirtualBox', extensions: ['xml', 'conf', 'vbox'] }]} placeholder="/home/you/VMs/debian.xml" />
          <div className="edit-row">
            <div className="edit-field">
              <label htmlFor="import-name">Name (optional)</label>
              <input id="import-name" data-testid="import-name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <label className="check">
              <input type="checkbox" data-testid="import-copy" checked={copyDisks} onChange={(e) => setCopyDisks(e.target.checked)} /> Copy the disks into Guestbay’s folder
            </label>
            <button type="submit" className="btn btn-primary" disabled={busy || !path.trim()} data-testid="import-go">
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </form>
      )}
      {result && (
        <div data-testid="import-result">
          <p>
            Imported <strong>{result.config.title || result.config.name}</strong> from {result.source === 'libvirt' ? 'libvirt' : result.source === 'quickemu' ? 'quickemu' : 'VirtualBox'}.
          </p>
          <ul>
            {result.inPlace.map((f) => (
              <li key={f}>Uses {f} where it is</li>
            ))}
            {result.copied.map((f) => (
              <li key={f}>Copied {f}</li>
            ))}
          </ul>
          {result.notCarried.length > 0 && (
            <>
              <h3>Not carried over</h3>
              <ul data-testid="import-not-carried">
                {result.notCarried.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="btn btn-primary" data-testid="import-open" onClick={() => navigate({ page: 'guest', name: result.config.name })}>
            Open {result.config.name}
          </button>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} title="The guest could not be imported" testId="import-error" />}
    </section>
  );
}
