// One guest in the library's list view: a table row with the same facts and actions as a card.
import { memo } from 'react';
import { formatSize } from '../../shared/size';
import { ArchBadge } from '../components/ArchBadge';
import { OsIcon } from '../components/Icons';
import { ProgressBar } from '../components/ProgressBar';
import { StateBadge } from '../components/StateBadge';
import { systemName } from '../guest-words';
import type { GuestView } from '../store';
import { CardActions } from './CardActions';
import { cardName, GuestLink, useSelection } from './GuestCard';
import { displayName } from './order';

function Row({ g }: { g: GuestView }) {
  const { selected, props } = useSelection(g.name);
  const state = g.config ? (g.status?.state ?? 'stopped') : 'damaged';
  const title = displayName(g);
  return (
    <tr className={`guest-row${selected ? ' selected' : ''}`} data-testid={`guest-card-${g.name}`} aria-label={cardName(title, state)} {...props}>
      <td className="row-name">
        <OsIcon family={g.config?.os.family} size={24} />
        <span>
          <GuestLink g={g} named={cardName(title, state)} />
          {title !== g.name && <span className="card-name">{g.name}</span>}
        </span>
      </td>
      <td>{g.config ? <>{systemName(g.config.os)} <ArchBadge arch={g.config.arch} testId={`guest-arch-${g.name}`} /></> : <span className="field-error" data-testid={`guest-error-${g.name}`}>{g.error ?? 'Its settings file cannot be read'}</span>}</td>
      <td>
        <StateBadge state={state} testId={`guest-state-${g.name}`} />
        {g.progress && <ProgressBar progress={g.progress} testId={`guest-progress-${g.name}`} />}
      </td>
      <td className="muted">{g.config && `${g.config.cpu.cores} ${g.config.cpu.cores === 1 ? 'core' : 'cores'} · ${formatSize(g.config.memoryMiB * 1024 * 1024)}`}</td>
      <td>{g.config && <CardActions name={g.name} title={title} status={g.status} />}</td>
    </tr>
  );
}

export const GuestRow = memo(Row);
