// "Disks and snapshots" on a guest's page: each image with its size, what it sits on (a base)
// and what sits on it (linked clones); grow (or shrink, once the user has read what is cut off),
// convert and compact with the progress bar the page shows for the guest; the snapshot tree; and
// Clone (a copy, or a linked clone over this guest, which then becomes a read-only base).
import { useCallback, useState } from 'react';
import { CallError } from '../../../shared/contract';
import { formatSize, parseSize } from '../../../shared/size';
import { useApp, useClient } from '../../store';
import { ErrorNotice } from '../ErrorNotice';
import { useRefreshed } from './use-refreshed';
import { SnapshotTree } from './SnapshotTree';
import { Mark } from '../Icons';


export function DisksSection({ name, state }: { name: string; state: string }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const loadGuests = useApp((s) => s.loadGuests);
  const [sizes, setSizes] = useState<Record<string, string>>({});
  const [shrink, setShrink] = useState<{ disk: string; size: number; message: string } | null>(null);
  const [cloneName, setCloneName] = useState('');
  const [linked, setLinked] = useState(true);

  const read = useCallback(() => client.call('disks.report', { name }), [client, name]);
  const { data: report, error, busy, done, run } = useRefreshed(read, state);
  const resize = (disk: string, confirmShrink = false) =>
    run(async () => {
      const parsed = parseSize(sizes[disk] ?? '');
      if (!parsed.ok) throw new Error(parsed.error);
      try {
        const r = await client.call('disks.resize', { name, disk, size: parsed.bytes, confirmShrink: confirmShrink || undefined });
        setShrink(null);
        return r.from === r.to ? `Disk ${r.disk} is ${formatSize(r.to)} already.` : `Disk ${r.disk}: ${formatSize(r.from)} → ${formatSize(r.to)}.${r.to > r.from ? ' Grow the partition inside the guest to use it.' : ''}`;
      } catch (e) {
        if (!(e instanceof CallError && e.wire.name === 'ConfirmationNeededError')) throw e;
        setShrink({ disk, size: parsed.bytes, message: e.message });
        return '';
      }
    });
  const convert = (disk: string, to: 'qcow2' | 'raw') => run(async () => `Disk ${disk} is ${to} now: ${(await client.call('disks.convert', { name, disk, to })).file} (the old file is kept).`);
  const compact = (disk: string) =>
    run(async () => {
      const r = await client.call('disks.compact', { name, disk });
      return `Disk ${disk}: ${formatSize(r.before)} → ${formatSize(r.after)} on the host.`;
    });
  const clone = () =>
    run(async () => {
      const r = await client.call('guests.clone', { source: name, name: cloneName.trim(), linked });
      await loadGuests();
      // The clone's disks tab: it shows the new guest and the base it stands on.
      navigate({ page: 'guest', name: r.config.name, tab: 'disks' });
      return '';
    });

  const atRest = state === 'stopped' || state === 'crashed';
  return (
    <section className="panel" aria-labelledby="disks-title" data-testid="disks-section">
      <header className="panel-head">
        <h2 id="disks-title">Disks and snapshots</h2>
        {report?.base && <span className="badge" data-testid="disks-base">read-only base</span>}
      </header>
      {!atRest && <p className="muted">The guest is {state}: its disks change only when it is shut down (snapshots work while it runs).</p>}
      {report?.disks.map((d) => (
        <div key={`${d.kind}-${d.id}`} className="disk" data-testid={`disk-${d.id}`}>
          <p>
            <strong>{d.kind === 'vars' ? 'UEFI variables' : `Disk ${d.id}`}</strong>{' '}
            <span className="muted">
              {d.error ? `unreadable: ${d.error}` : `${d.format}, ${formatSize(d.virtualSize)}, ${formatSize(d.actualSize)} used on the host${d.readOnly ? ', read-only' : ''}`}
            </span>
          </p>
          {d.chain.map((c) => (
            <p key={c.file} className="hint" data-testid={`disk-chain-${d.id}`}>
              <Mark kind="on" /> on {c.guest ? `the base “${c.guest}”` : c.file} ({c.format}, {formatSize(c.actualSize)})
            </p>
          ))}
          {d.clones.length > 0 && <p className="hint" data-testid={`disk-clones-${d.id}`}>Linked clones on it: {d.clones.map((c) => c.guest).join(', ')}</p>}
          {d.kind === 'disk' && !d.error && atRest && !report.base && (
            <div className="edit-row">
              <div className="edit-field">
                <label htmlFor={`disk-size-${d.id}`}>New size</label>
                <input id={`disk-size-${d.id}`} data-testid={`disk-size-${d.id}`} placeholder={formatSize(d.virtualSize).replace(' GiB', 'G').replace(' MiB', 'M')} value={sizes[d.id] ?? ''} onChange={(e) => setSizes({ ...sizes, [d.id]: e.target.value })} />
              </div>
              <button type="button" className="btn btn-small" disabled={busy || !sizes[d.id]} data-testid={`disk-resize-${d.id}`} onClick={() => void resize(d.id)}>
                Resize
              </button>
              <button type="button" className="btn btn-small" disabled={busy} data-testid={`disk-compact-${d.id}`} onClick={() => void compact(d.id)}>
                Compact
              </button>
              <button type="button" className="btn btn-small" disabled={busy} data-testid={`disk-convert-${d.id}`} onClick={() => void convert(d.id, d.format === 'qcow2' ? 'raw' : 'qcow2')}>
                Convert to {d.format === 'qcow2' ? 'raw' : 'qcow2'}
              </button>
            </div>
          )}
        </div>
      ))}
      {shrink && (
        <div className="notice notice-warning" role="alertdialog" data-testid="disk-shrink-confirm">
          <p>{shrink.message}</p>
          <button type="button" className="btn btn-danger" disabled={busy} data-testid="disk-shrink-go" onClick={() => void resize(shrink.disk, true)}>
            Shrink and cut it off
          </button>
          <button type="button" className="btn" onClick={() => setShrink(null)}>
            Keep the size
          </button>
        </div>
      )}
      <SnapshotTree name={name} state={state} />
      <div className="clone">
        <h3>Clone</h3>
        <form
          className="edit-row"
          onSubmit={(e) => {
            e.preventDefault();
            void clone();
          }}
        >
          <div className="edit-field">
            <label htmlFor="clone-name">New guest’s name</label>
            <input id="clone-name" data-testid="clone-name" value={cloneName} onChange={(e) => setCloneName(e.target.value)} />
          </div>
          <label className="check">
            <input type="checkbox" data-testid="clone-linked" checked={linked} onChange={(e) => setLinked(e.target.checked)} /> Linked (instant, copy-on-write; “{name}” becomes a read-only base)
          </label>
          <button type="submit" className="btn" disabled={busy || !cloneName.trim() || !atRest} data-testid="clone-go">
            Clone
          </button>
        </form>
      </div>
      {done && <p className="hint" data-testid="disks-done">{done}</p>}
      {error !== null && <ErrorNotice error={error} title="Disks" testId="disks-error" />}
    </section>
  );
}
