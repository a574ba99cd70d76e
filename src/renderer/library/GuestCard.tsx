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

/** What a card says to a screen reader: the guest and its state ("Debian, Running"). */
export function cardName(title: string, state: keyof typeof STATE_LABELS): string {
  return `${title}, ${STATE_LABELS[state].replace('…', '')}`;
}

/** The guest's name as a link to its page; on a card it is named with the state too (`named`). */
export function GuestLink({ g, className, named }: { g: GuestView; className?: string; named?: string }) {
  const navigate = useApp((s) => s.navigate);
  return (
    <a
      className={className}
      href={`#/guest/${encodeURIComponent(g.name)}`}
      data-testid={`guest-open-${g.name}`}
      aria-label={named}
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
function DamagedBody({ g }: { g: GuestView }) {
  // Still running from before its settings were damaged: shown as it runs, and it can be stopped.
  const live = g.status && LIVE.has(g.status.state) ? g.status : undefined;
  return (
    <>
      <header className="card-head">
        <h3 className="card-title">
          <GuestLink g={g} named={cardName(g.name, 'damaged')} />
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
    </>
  );
}

/** What a card shows of a readable guest: its name first, its screen or icon, facts, actions. */
/** `g.config` is there (Card sends the damaged ones to DamagedBody). */
function Body({ g }: { g: GuestView }) {
  const config = g.config!;
  const failed = useApp((s) => s.actionErrors[g.name]);
  const title = displayName(g);
  const state = g.status?.state ?? 'stopped';
  return (
    <>
      <header className="card-head">
        <h3 className="card-title">
          <GuestLink g={g} named={cardName(title, state)} />
        </h3>
        <StateBadge state={state} testId={`guest-state-${g.name}`} status={g.status} />
      </header>
      <p className="card-sub">
        {title !== g.name && <span className="card-name">{g.name}</span>}
        <span>{systemName(config.os)}</span>
        <ArchBadge arch={config.arch} testId={`guest-arch-${g.name}`} />
      </p>
      <GuestThumb name={g.name} state={state} title={title} family={config.os.family} />
      <p className="specs">
        {config.cpu.cores} {config.cpu.cores === 1 ? 'core' : 'cores'} · {formatSize(config.memoryMiB * 1024 * 1024)} RAM
        {g.status?.accel && <> · {g.status.accel === 'kvm' ? 'KVM' : 'emulated (slow)'}</>}
      </p>
      {g.status?.detail && <p className="hint">{g.status.detail}</p>}
      <GuestProblems name={g.name} status={g.status} />
      {g.progress && <ProgressBar progress={g.progress} testId={`guest-progress-${g.name}`} />}
      <CardActions name={g.name} title={title} status={g.status} />
      {failed && <ErrorNotice error={failed.error} title={`Could not ${failed.id === 'stop' ? 'shut down' : failed.id} ${title}`} />}
    </>
  );
}

/** Its contents change only with the guest: a search that hides or shows the card leaves them be. */
const CardBody = memo(Body);
const DamagedCardBody = memo(DamagedBody);

/** Left out by the library's search, a card stays mounted, hidden: the library sets its `hidden` attribute itself. */
function Card({ g }: { g: GuestView }) {
  const { selected, props } = useSelection(g.name);
  const config = g.config;
  const label = config ? cardName(displayName(g), g.status?.state ?? 'stopped') : cardName(g.name, 'damaged');
  return (
    <article className={`card${config ? '' : ' card-damaged'}${selected ? ' selected' : ''}`} data-testid={`guest-card-${g.name}`} aria-label={label} {...props}>
      {config ? <CardBody g={g} /> : <DamagedCardBody g={g} />}
    </article>
  );
}

/** Re-rendered only when its guest changes: a search over hundreds of cards stays quick. */
export const GuestCard = memo(Card);
