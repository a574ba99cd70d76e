// The guest's snapshots as a tree (which one each was taken on), with "now" where the guest is:
// take one (live while it runs, memory included), revert (a running guest only after the user
// has read what is lost), delete.
import { useCallback, useState } from 'react';
import { CallError } from '../../../shared/contract';
import type { SnapshotNodeDto } from '../../../shared/contract-disks';
import { formatSize } from '../../../shared/size';
import { useClient } from '../../store';
import { ErrorNotice } from '../ErrorNotice';
import { useRefreshed } from './use-refreshed';


const when = (s: number) => new Date(s * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function SnapshotTree({ name, state }: { name: string; state: string }) {
  const client = useClient();
  const [tag, setTag] = useState('');
  const [confirm, setConfirm] = useState<{ tag: string; message: string } | null>(null);

  const read = useCallback(() => client.call('snapshots.list', { name }), [client, name]);
  const { data: list, error, busy, done, run } = useRefreshed(read, state);
  const create = () =>
    run(async () => {
      const r = await client.call('snapshots.create', { name, tag: tag.trim() });
      setTag('');
      return `Took “${r.tag}”${r.live ? ' with the guest’s memory' : ' of the disks'}.`;
    });
  // Reverting a running guest is refused until the user has read what is lost (the message).
  const revert = (t: string, confirmed = false) =>
    run(async () => {
      try {
        const r = await client.call('snapshots.revert', { name, tag: t, confirm: confirmed || undefined });
        setConfirm(null);
        return [`Back at “${r.tag}”.`, ...r.notes].join(' ');
      } catch (e) {
        if (!(e instanceof CallError && e.wire.name === 'ConfirmationNeededError')) throw e;
        setConfirm({ tag: t, message: e.message });
        return '';
      }
    });
  const remove = (t: string) => run(async () => (await client.call('snapshots.delete', { name, tag: t }), `Deleted “${t}”.`));

  const node = (n: SnapshotNodeDto) => (
    <li key={n.tag} data-testid={`snapshot-${n.tag}`}>
      <div className={`snap${n.current ? ' snap-now' : ''}`}>
        <span className="snap-name">{n.tag}</span>
        {n.current && <span className="badge" data-testid={`snapshot-now-${n.tag}`}>now</span>}
        <span className="muted">
          {when(n.date)} · {n.live ? `with memory (${formatSize(n.vmStateSize)})` : 'disks only'}
          {n.images.have < n.images.of ? ` · in ${n.images.have} of ${n.images.of} images` : ''}
        </span>
        <span className="snap-actions">
          <button type="button" className="btn btn-small" disabled={busy} data-testid={`snapshot-revert-${n.tag}`} onClick={() => void revert(n.tag)}>
            Revert
          </button>
          <button type="button" className="btn btn-small" disabled={busy} data-testid={`snapshot-delete-${n.tag}`} onClick={() => void remove(n.tag)}>
            Delete
          </button>
        </span>
      </div>
      {n.children.length > 0 && <ul>{n.children.map(node)}</ul>}
    </li>
  );

  const running = state === 'running' || state === 'paused';
  return (
    <div className="snapshots" data-testid="snapshots">
      <h3>Snapshots</h3>
      <p className="muted">
        {running ? 'The guest runs: a snapshot keeps its memory too, and reverting brings back that moment.' : 'A snapshot keeps the disks (and UEFI variables) as they are now; revert to come back to it.'}
      </p>
      {list && list.tree.length === 0 && <p className="muted" data-testid="snapshots-empty">No snapshots yet.</p>}
      {list && list.tree.length > 0 && <ul className="snap-tree">{list.tree.map(node)}</ul>}
      {list?.blocked ? (
        <p className="hint" data-testid="snapshots-blocked">New snapshots: {list.blocked}</p>
      ) : (
        <form
          className="edit-row"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <div className="edit-field">
            <label htmlFor="snapshot-tag">Name</label>
            <input id="snapshot-tag" data-testid="snapshot-tag" value={tag} placeholder="clean-install" onChange={(e) => setTag(e.target.value)} />
          </div>
          <button type="submit" className="btn" disabled={busy || !tag.trim()} data-testid="snapshot-create">
            Take snapshot
          </button>
        </form>
      )}
      {confirm && (
        <div className="notice notice-warning" role="alertdialog" data-testid="snapshot-confirm">
          <p>{confirm.message}</p>
          <button type="button" className="btn btn-danger" disabled={busy} data-testid="snapshot-confirm-revert" onClick={() => void revert(confirm.tag, true)}>
            Revert and lose it
          </button>
          <button type="button" className="btn" onClick={() => setConfirm(null)}>
            Keep running
          </button>
        </div>
      )}
      {done && <p className="hint" data-testid="snapshot-done">{done}</p>}
      {error !== null && <ErrorNotice error={error} title="Snapshot" testId="snapshot-error" />}
    </div>
  );
}
