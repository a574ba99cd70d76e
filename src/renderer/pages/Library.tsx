// The library: every guest as a compact card (or a list row), with search and sort, using the
// whole width of the window. The search and the order are pure (library/order.ts); cards are
// memoised, so typing in the search re-renders only what changes.
import { lazy, startTransition, Suspense, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApp } from '../store';
import { GuestCard } from '../library/GuestCard';
import { GuestRow } from '../library/GuestRow';
import { arrange, matchingNames, searchIndex, SORT_LABELS, VIEW_LABELS, type LibraryView, type SortKey } from '../library/order';

// Opened by a button: its own chunk, not evaluated before the library's first paint.
const ImportGuest = lazy(() => import('../components/disks/ImportGuest').then((m) => ({ default: m.ImportGuest })));

const PREFS = 'guestbay.library';

function loadPrefs(): { view: LibraryView; sort: SortKey } {
  try {
    const p = JSON.parse(globalThis.localStorage?.getItem(PREFS) ?? '{}') as { view?: string; sort?: string };
    return { view: p.view && p.view in VIEW_LABELS ? (p.view as LibraryView) : 'grid', sort: p.sort && p.sort in SORT_LABELS ? (p.sort as SortKey) : 'name' };
  } catch {
    return { view: 'grid', sort: 'name' };
  }
}

function savePrefs(p: { view: LibraryView; sort: SortKey }) {
  try {
    globalThis.localStorage?.setItem(PREFS, JSON.stringify(p));
  } catch {
    // private mode: the choice is just not remembered
  }
}

/**
 * How many cards fill the first screen of this window, with a row to spare: the grid's columns
 * (cards at least 232 px wide, 12-px gaps, the page's 24-px padding each side) times the rows
 * of ~290 px (a card is ~280 px tall) below the ~130 px of bars and heading. These are rendered
 * first, the rest right after; at least 24 (the list view's rows are short: 24 fill 800 px).
 * Until 2026-12 a card was taken as 180 px tall: 56 cards at 1920×1080, where 35 fill it.
 */
export function firstScreen(): number {
  const w = globalThis.innerWidth || 1280;
  const h = globalThis.innerHeight || 800;
  const cols = Math.max(1, Math.floor((w - 48 + 12) / 244));
  const rows = Math.ceil(Math.max(0, h - 130) / 290) + 1;
  return Math.max(24, cols * rows);
}

/**
 * The first screen of cards first, every card after it has been painted: with hundreds of guests
 * the first paint waits only for what it shows. The rest are rendered in a transition, which
 * React interrupts for a keystroke, and then stay mounted (the search hides, never unmounts).
 */
function useFirstScreenFirst(total: number): number {
  const [limit, setLimit] = useState(firstScreen);
  useEffect(() => {
    if (limit >= total) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const rest = () => (timer = setTimeout(() => startTransition(() => setLimit(Number.POSITIVE_INFINITY)), 0));
    // After the next frame (the first screen painted); a DOM without frames (tests) goes on at once.
    const hasFrames = typeof requestAnimationFrame === 'function';
    const frame = hasFrames ? requestAnimationFrame(rest) : (rest(), 0);
    return () => {
      if (hasFrames) cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [limit, total]);
  return limit;
}

/**
 * The search's verdict on each card, written straight onto the cards' `hidden` attribute (the
 * cards never render it): a keystroke that hides 199 of 200 cards re-renders none of them (with
 * 200 memoised cards re-rendered for their `hidden` prop, React took 50–80 ms per keystroke on
 * a loaded machine). Applied before paint, and again whenever cards are mounted or replaced.
 */
function useHiddenByName(container: React.RefObject<HTMLElement | null>, matching: Set<string>, ...mounted: unknown[]): void {
  useLayoutEffect(() => {
    const root = container.current;
    if (!root) return;
    for (const el of root.querySelectorAll<HTMLElement>('[data-testid^="guest-card-"]')) {
      const hide = !matching.has(el.dataset.testid!.slice('guest-card-'.length));
      if (el.hidden !== hide) el.hidden = hide;
    }
  }, [container, matching, ...mounted]);
}

export function LibraryPage() {
  const guests = useApp((s) => s.guests);
  const loaded = useApp((s) => s.guestsLoaded);
  const error = useApp((s) => s.guestsError);
  const navigate = useApp((s) => s.navigate);
  const deleted = useApp((s) => s.deleted);
  const setDeleted = useApp((s) => s.setDeleted);
  const [prefs, setPrefs] = useState(loadPrefs);
  const [query, setQuery] = useState('');
  const [importing, setImporting] = useState(false);
  // Every card stays mounted in the chosen order; the search only hides those that do not match,
  // so a keystroke changes a few attributes instead of unmounting and mounting hundreds of cards.
  // Sorted once per listing and order; a keystroke only looks names up in the lower-case index.
  const all = useMemo(() => arrange(guests, '', prefs.sort), [guests, prefs.sort]);
  const index = useMemo(() => searchIndex(guests), [guests]);
  const matching = useMemo(() => matchingNames(index, query), [index, query]);
  const shown = matching.size;
  const limit = useFirstScreenFirst(all.length);
  const mounted = useMemo(() => (limit >= all.length ? all : all.slice(0, limit)), [all, limit]);
  // The same elements while the guests and the order stay: typing re-renders the page's head, not the cards.
  const cards = useMemo(() => mounted.map((g) => <GuestCard key={g.name} g={g} />), [mounted]);
  const rows = useMemo(() => mounted.map((g) => <GuestRow key={g.name} g={g} />), [mounted]);
  const list = useRef<HTMLDivElement & HTMLTableSectionElement>(null);
  useHiddenByName(list, matching, mounted, prefs.view, shown > 0);
  const running = guests.filter((g) => g.status?.state === 'running' || g.status?.state === 'paused').length;
  const change = (p: Partial<typeof prefs>) => {
    const next = { ...prefs, ...p };
    setPrefs(next);
    savePrefs(next);
  };
  return (
    <section className="page page-wide" aria-labelledby="library-title">
      <header className="page-head library-head">
        <h1 id="library-title">Library</h1>
        {guests.length > 0 && (
          <div className="library-tools" role="search">
            <input
              type="search"
              className="search"
              placeholder="Search by name or system"
              aria-label="Search guests"
              data-testid="library-search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
            />
            <label className="inline-select">
              <span>Sort</span>
              <select data-testid="library-sort" value={prefs.sort} onChange={(e) => change({ sort: e.target.value as SortKey })}>
                {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
                  <option key={k} value={k}>
                    {SORT_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
            <div className="segmented" role="group" aria-label="Show as">
              {(Object.keys(VIEW_LABELS) as LibraryView[]).map((v) => (
                <button key={v} type="button" className="btn btn-small" aria-pressed={prefs.view === v} data-testid={`library-view-${v}`} onClick={() => change({ view: v })}>
                  {VIEW_LABELS[v]}
                </button>
              ))}
            </div>
          </div>
        )}
        <span className="page-actions">
          <button type="button" className="btn" data-testid="library-import" onClick={() => setImporting(true)}>
            Import…
          </button>
          <button type="button" className="btn btn-primary" data-testid="library-new" onClick={() => navigate({ page: 'new' })}>
            New guest
          </button>
        </span>
      </header>
      {importing && (
        <Suspense fallback={null}>
          <ImportGuest onClose={() => setImporting(false)} />
        </Suspense>
      )}
      {error !== undefined && <ErrorNotice error={error} title="The guests could not be listed" />}
      {deleted && (
        <div className="notice" role="status" data-testid="delete-kept">
          <strong>{deleted.title} is deleted; its disk images are kept</strong>
          <ul className="file-names">
            {deleted.kept.map((k) => (
              <li key={k}>
                <code>{k}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-small" onClick={() => setDeleted(undefined)}>
            Dismiss
          </button>
        </div>
      )}
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
      {guests.length > 0 && (
        <p className="library-count muted" data-testid="library-count" aria-live="polite">
          {shown === guests.length ? `${guests.length} ${guests.length === 1 ? 'guest' : 'guests'}` : `${shown} of ${guests.length} guests`}
          {running > 0 && ` · ${running} running`}
        </p>
      )}
      {guests.length > 0 && shown === 0 && (
        <p className="empty-search" data-testid="library-no-match">
          No guest matches “{query}”. Clear the search (Esc) to see them all.
        </p>
      )}
      {prefs.view === 'grid' ? (
        <div className="cards" data-testid="library-cards" ref={list}>
          {cards}
        </div>
      ) : (
        shown > 0 && (
          <table className="guest-table" data-testid="library-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">System</th>
                <th scope="col">State</th>
                <th scope="col">Size</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody ref={list}>{rows}</tbody>
          </table>
        )
      )}
    </section>
  );
}
