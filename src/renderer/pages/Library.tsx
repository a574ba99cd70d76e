// The library: one card per guest with its screen, state, size and actions.
import { formatSize } from '../../shared/size';
import { ErrorNotice } from '../components/ErrorNotice';
import { GuestActions } from '../components/GuestActions';
import { GuestThumb } from '../components/GuestThumb';
import { OsIcon } from '../components/Icons';
import { ProgressBar } from '../components/ProgressBar';
import { StateBadge } from '../components/StateBadge';
import { useApp, type GuestView } from '../store';

function GuestCard({ g }: { g: GuestView }) {
  const navigate = useApp((s) => s.navigate);
  const selected = useApp((s) => s.selected === g.name);
  const select = useApp((s) => s.select);
  const title = g.config?.title || g.name;
  const open = () => navigate({ page: 'guest', name: g.name });
  // A card is selected by a click or by focus (Tab, arrow keys): the action shortcuts act on it.
  const selection = {
    tabIndex: 0,
    'aria-current': selected ? ('true' as const) : undefined,
    'data-selected': selected ? 'true' : undefined,
    onFocus: () => select(g.name),
    onClick: () => select(g.name),
  };
  if (!g.config) {
    return (
      <article className={`card card-damaged${selected ? ' selected' : ''}`} data-testid={`guest-card-${g.name}`} {...selection}>
        <header className="card-head">
          <OsIcon family="other" />
          <div className="card-title">
            <h3>{g.name}</h3>
            <StateBadge state="damaged" testId={`guest-state-${g.name}`} />
          </div>
        </header>
        <p className="field-error" data-testid={`guest-error-${g.name}`}>
          Its settings file cannot be read: {g.error ?? 'unknown error'}
        </p>
        <p className="hint">Fix or remove vm.json in the guest's folder; its disks are untouched.</p>
      </article>
    );
  }
  const state = g.status?.state ?? 'stopped';
  return (
    <article className={`card${selected ? ' selected' : ''}`} data-testid={`guest-card-${g.name}`} {...selection}>
      <header className="card-head">
        <OsIcon family={g.config.os.family} />
        <div className="card-title">
          <h3>
            <a
              href={`#/guest/${encodeURIComponent(g.name)}`}
              onClick={(e) => {
                e.preventDefault();
                open();
              }}
            >
              {title}
            </a>
          </h3>
          {title !== g.name && <span className="card-name">{g.name}</span>}
          <StateBadge state={state} testId={`guest-state-${g.name}`} />
        </div>
      </header>
      <GuestThumb name={g.name} state={state} title={title} />
      <p className="specs">
        {g.config.cpu.cores} {g.config.cpu.cores === 1 ? 'core' : 'cores'} · {formatSize(g.config.memoryMiB * 1024 * 1024)} RAM
        {g.status?.accel && <> · {g.status.accel === 'kvm' ? 'KVM' : 'emulated (slow)'}</>}
      </p>
      {g.status?.detail && <p className="hint">{g.status.detail}</p>}
      {g.progress && <ProgressBar progress={g.progress} testId={`guest-progress-${g.name}`} />}
      <GuestActions name={g.name} title={g.config.title} status={g.status} />
    </article>
  );
}

export function LibraryPage() {
  const guests = useApp((s) => s.guests);
  const loaded = useApp((s) => s.guestsLoaded);
  const error = useApp((s) => s.guestsError);
  const navigate = useApp((s) => s.navigate);
  return (
    <section className="page" aria-labelledby="library-title">
      <header className="page-head">
        <h1 id="library-title">Library</h1>
        <button type="button" className="btn btn-primary" data-testid="library-new" onClick={() => navigate({ page: 'new' })}>
          New guest
        </button>
      </header>
      {error !== undefined && <ErrorNotice error={error} title="The guests could not be listed" />}
      {!loaded && <p className="muted">Loading guests…</p>}
      {loaded && guests.length === 0 && error === undefined && (
        <div className="empty" data-testid="library-empty">
          <h2>No guests yet</h2>
          <p>A guest is a virtual computer: pick an operating system and an installer, and Guestbay shows you every choice and the exact QEMU command.</p>
          <button type="button" className="btn btn-primary" data-testid="empty-new" onClick={() => navigate({ page: 'new' })}>
            Create your first guest
          </button>
        </div>
      )}
      <div className="cards">
        {guests.map((g) => (
          <GuestCard key={g.name} g={g} />
        ))}
      </div>
    </section>
  );
}
