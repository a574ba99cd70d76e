// What a running guest gets only at its next start: the settings that changed, and the command
// it runs now beside the one it will run, one option a line, the differences marked.
import { useState } from 'react';
import type { PendingChanges as Pending } from '../../shared/contract';
import { sideBySide } from './pending-rows';

export function CommandDiff({ pending }: { pending: Pending }) {
  const rows = sideBySide(pending.lines);
  return (
    <div className="cmd-diff" data-testid="pending-diff" role="table" aria-label="The command now and at the next start">
      <div className="cmd-diff-row cmd-diff-head" role="row">
        <span role="columnheader">Running now</span>
        <span role="columnheader">At the next start</span>
      </div>
      {rows.map((r, i) => (
        <div key={i} className={`cmd-diff-row diff-${r.kind}`} role="row">
          <code role="cell" className={r.kind === 'same' ? '' : 'diff-old'}>
            {r.left ?? ''}
          </code>
          <code role="cell" className={r.kind === 'same' ? '' : 'diff-new'}>
            {r.right ?? ''}
          </code>
        </div>
      ))}
    </div>
  );
}

export function PendingChanges({ pending, open: startOpen = false }: { pending: Pending; open?: boolean }) {
  const [open, setOpen] = useState(startOpen);
  return (
    <section className="notice notice-pending" data-testid="pending" aria-labelledby="pending-title">
      <strong id="pending-title">
        {pending.changes.length === 1 ? '1 change applies' : `${pending.changes.length} changes apply`} at the next start
      </strong>
      <p>
        The guest runs with the settings it started with. Shut it down and start it again to apply:{' '}
        <span data-testid="pending-list">{pending.changes.map((c) => c.label).join(', ')}</span>.
      </p>
      <button type="button" className="btn btn-small" data-testid="pending-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide the command change' : 'Show the old and new command'}
      </button>
      {open && <CommandDiff pending={pending} />}
    </section>
  );
}
