// One guest in the library's card view: its name first, its screen (or last picture, or the
// system's icon), state, size and the actions its state allows. Focus or a click selects it
// (the action keys act on the selection); its name opens the guest page.
import { memo } from 'react';
import { formatSize } from '../../shared/size';
import { ArchBadge } from '../components/ArchBadge';
import { ErrorNotice } from '../components/ErrorNotice';
import { GuestProblems } from '../components/GuestProblems';
import { GuestThumb } from '../components/GuestThumb';
import { ProgressBar } from '../components/ProgressBar';
import { StateBadge, STATE_LABELS } from '../components/StateBadge';
import { systemName } from '../guest-words';
import { useApp, type GuestView } from '../store';
import { CardActions } from './CardActions';
import { displayName } from './order';

const LIVE = new Set(['starting', 'running', 'paused', 'saving', 'stopping']);

export function useSelection(name: string) {
  const selected = useApp((s) => s.selected === name);
  const select = useApp((s) => s.select);
  return {
    selected,
    props: {
      tabIndex: 0,
      'aria-current': selected ? ('true' as const) : undefined,
      'data-selected': selected ? 'true' : undefined,
      onFocus: () => select(name),
      onClick: () => select(name),
    },
  };
}

export function GuestLink({ g, className }: { g: GuestView; className?: string }) {
  const navigate = useApp((s) => s.navigate);
  return (
    <a
      className={className}
      href={`#/guest/${encodeURIComponent(g.name)}`}
      data-testid={`guest-open-${g.name}`}
      onClick={(e) => {
        e.preventDefault();
        navigate({ page: 'guest', name: g.name });
      }}
    >
      {displayName(g)}
    </a>
  );
}

/** A damaged guest: what is wrong and where, and the way to remove it (the guest page). */
function DamagedCard({ g, hidden }: { g: GuestView; hidden?: boolean }) {
  const { selected, props } = useSelection(g.name);
  // Still running from before its settings were damaged: shown as it runs, and it can be stopped.
  const live = g.status && LIVE.has(g.status.state) ? g.status : undefined;
  return (
    <article className={`card card-damaged${selected ? ' selected' : ''}`} data-testid={`guest-card-${g.name}`} aria-label={`${g.name}, damaged`} hidden={hidden} {...props}>
      <header className="card-head">
        <h3 className="card-title">
          <GuestLink g={g} />
        </h3>
        <StateBadge state="damaged" testId={live ? undefined : `guest-state-${g.name}`} />
        {live && <StateBadge state={live.state} testId={`guest-state-${g.name}`} status={live} />}
      </header>
      <p className="field-error" data-testid={`guest-error-${g.name}`}>
        Its settings file cannot be read: {g.error ?? 'unknown error'}
      </p>
      <p className="hint">{live ? 'It is still running: stop it here. ' : ''}Open it to remove it, or fix vm.json in its folder. Its disks are untouched.</p>
      <GuestProblems name={g.name} status={live} />
      {live && <CardActions name={g.name} title={g.name} status={live} />}
    </article>
  );
}

/** `hidden`: left out by the library's search (kept mounted: typing stays quick). */
function Card({ g, hidden }: { g: GuestView; hidden?: boolean }) {
  const { selected, props } = useSelection(g.name);
  const failed = useApp((s) => s.actionErrors[g.name]);
  if (!g.config) return <DamagedCard g={g} hidden={hidden} />;
  const title = displayName(g);
  const state = g.status?.state ?? 'stopped';
  return (
    <article className={`card${selected ? ' selected' : ''}`} data-testid={`guest-card-${g.name}`} aria-label={`${title}, ${STATE_LABELS[state].replace('…', '')}`} hidden={hidden} {...props}>
      <header className="card-head">
        <h3 className="card-title">
          <GuestLink g={g} />
        </h3>
        <StateBadge state={state} testId={`guest-state-${g.name}`} status={g.status} />
      </header>
      <p className="card-sub">
        {title !== g.name && <span className="card-name">{g.name}</span>}
        <span>{systemName(g.config.os)}</span>
        <ArchBadge arch={g.config.arch} testId={`guest-arch-${g.name}`} />
      </p>
      <GuestThumb name={g.name} state={state} title={title} family={g.config.os.family} />
      <p className="specs">
        {g.config.cpu.cores} {g.config.cpu.cores === 1 ? 'core' : 'cores'} · {formatSize(g.config.memoryMiB * 1024 * 1024)} RAM
        {g.status?.accel && <> · {g.status.accel === 'kvm' ? 'KVM' : 'emulated (slow)'}</>}
      </p>
      {g.status?.detail && <p className="hint">{g.status.detail}</p>}
      <GuestProblems name={g.name} status={g.status} />
      {g.progress && <ProgressBar progress={g.progress} testId={`guest-progress-${g.name}`} />}
      <CardActions name={g.name} title={title} status={g.status} />
      {failed && <ErrorNotice error={failed.error} title={`Could not ${failed.id === 'stop' ? 'shut down' : failed.id} ${title}`} />}
    </article>
  );
}

/** Re-rendered only when its guest changes: a search over hundreds of cards stays quick. */
export const GuestCard = memo(Card);
