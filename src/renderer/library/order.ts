// The library's search and sort: pure, so they are tested directly and stay fast for hundreds of
// guests (the search narrows 200 cards in one render; bench/library.bench.ts measures it).
import { shownName } from '../guest-words';
import type { GuestStateName } from '../../shared/contract';
import type { GuestView } from '../store';

export type SortKey = 'name' | 'state' | 'system' | 'memory';

export const SORT_LABELS: Record<SortKey, string> = {
  name: 'Name',
  state: 'Running first',
  system: 'System',
  memory: 'Memory',
};

export type LibraryView = 'grid' | 'list';

export const VIEW_LABELS: Record<LibraryView, string> = {
  grid: 'Cards',
  list: 'List',
};

/** What a guest is called where people read it: its title, else its name. */
/** The card's heading: the user's title, else the guest's own name (guest-words.ts). */
export const displayName = (g: Pick<GuestView, 'name' | 'config'>) => shownName(g.name, g.config);

/** How "awake" a state is: the guests doing something come first when sorting by state. */
const STATE_RANK: Record<GuestStateName | 'damaged', number> = {
  running: 0,
  starting: 1,
  stopping: 2,
  saving: 3,
  paused: 4,
  saved: 5,
  crashed: 6,
  stopped: 7,
  damaged: 8,
};

const stateOf = (g: GuestView): GuestStateName | 'damaged' => (g.config ? (g.status?.state ?? 'stopped') : 'damaged');

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The text a search looks in: title, name, system, preset and state. */
export function searchText(g: GuestView): string {
  const c = g.config;
  return [displayName(g), g.name, c?.os.family, c?.os.version, c?.preset, stateOf(g)].filter(Boolean).join(' ').toLowerCase();
}

/** Every guest's search text, lower case, made once per listing (not once per keystroke). */
export function searchIndex(guests: GuestView[]): Map<string, string> {
  return new Map(guests.map((g) => [g.name, searchText(g)]));
}

/** The names of the guests in `index` that match every word of `query` (all of them for an empty one). */
export function matchingNames(index: Map<string, string>, query: string): Set<string> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return new Set(index.keys());
  const out = new Set<string>();
  for (const [name, text] of index) if (words.every((w) => text.includes(w))) out.add(name);
  return out;
}

/** The guests that match every word of `query`, in `sort` order. */
export function arrange(guests: GuestView[], query: string, sort: SortKey): GuestView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = words.length ? guests.filter((g) => {
    const text = searchText(g);
    return words.every((w) => text.includes(w));
  }) : guests.slice();
  const byName = (a: GuestView, b: GuestView) => collator.compare(displayName(a), displayName(b)) || collator.compare(a.name, b.name);
  const cmp: Record<SortKey, (a: GuestView, b: GuestView) => number> = {
    name: byName,
    state: (a, b) => STATE_RANK[stateOf(a)] - STATE_RANK[stateOf(b)] || byName(a, b),
    system: (a, b) => collator.compare(`${a.config?.os.family ?? '~'} ${a.config?.os.version ?? ''}`, `${b.config?.os.family ?? '~'} ${b.config?.os.version ?? ''}`) || byName(a, b),
    memory: (a, b) => (b.config?.memoryMiB ?? -1) - (a.config?.memoryMiB ?? -1) || byName(a, b),
  };
  return shown.sort(cmp[sort]);
}
