// The renderer's state: guests (listed once, then kept live by `guest.state` and `progress`
// events), the host's capabilities, presets and the route. One store per client, so tests can
// build a fresh one over their own client.
import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { CallOutput, EventPayload, GuestbayClient, GuestChange, GuestStatusDto } from '../shared/contract';
import type { HostCaps } from '../shared/host-caps';
import { runAction, type ActionId } from './actions';
import { parseRoute, routeHref, type Route } from './router';

export type GuestSummary = CallOutput<'guests.list'>[number];
export type PresetInfo = CallOutput<'presets.list'>[number];
export type Progress = EventPayload<'progress'>;

export interface GuestView extends GuestSummary {
  progress?: Progress;
}

export interface AppState {
  guests: GuestView[];
  guestsLoaded: boolean;
  guestsError?: unknown;
  host?: HostCaps;
  hostError?: unknown;
  hostLoading: boolean;
  /** Every preset with its OS's traits and the settings it makes on this host (the wizard's source). */
  presets: PresetInfo[];
  presetsError?: unknown;
  route: Route;
  helpOpen: boolean;
  /** The library's selected guest: what Enter, Ctrl+. and the other action keys act on. */
  selected?: string;
  /** The action running per guest, and the last one that failed (shown on the card and page). */
  busy: Record<string, ActionId>;
  actionErrors: Record<string, { id: ActionId; error: unknown }>;
  loadGuests(): Promise<void>;
  /** The first listing: asked once (at start, before React's first render) and shared by whoever waits for it. */
  loadFirst(): Promise<void>;
  loadHost(refresh?: boolean): Promise<void>;
  loadPresets(): Promise<void>;
  navigate(route: Route): void;
  setHelp(open: boolean): void;
  /** A guest this window deleted whose disk images were kept: the library names the files. */
  deleted?: { title: string; kept: string[] };
  setDeleted(d: { title: string; kept: string[] } | undefined): void;
  /** A guest's new status, from an event or an action's answer: the one place it changes. */
  applyStatus(status: GuestStatusDto): void;
  /** A guest created, changed, renamed, deleted or damaged, here or elsewhere (`guests.changed`). */
  applyChange(change: GuestChange): void;
  select(name: string | undefined): void;
  /** Runs a guest action (buttons and shortcuts alike); one at a time per guest. */
  act(name: string, id: ActionId): Promise<void>;
}

const SETTLED = new Set(['stopped', 'running', 'paused', 'saved', 'crashed']);

/**
 * The guests with one guest's status replaced by `status`, whole (a status is complete: what
 * it leaves out no longer holds, such as the pid of a guest that stopped). A settled state
 * ends the progress shown for the operation that led to it.
 */
export function reduceStatus(guests: GuestView[], status: GuestStatusDto): GuestView[] {
  return guests.map((g) => (g.name === status.name ? { ...g, status, progress: SETTLED.has(status.state) ? undefined : g.progress } : g));
}

/** The guests after one `guests.changed`: the list stays in name order, as `guests.list` gives it. */
export function reduceChange(guests: GuestView[], c: GuestChange): GuestView[] {
  const others = guests.filter((g) => g.name !== c.name && !(c.change === 'renamed' && g.name === c.oldName));
  const old = guests.find((g) => g.name === (c.change === 'renamed' ? c.oldName : c.name));
  let next: GuestView | undefined;
  switch (c.change) {
    case 'deleted':
      return others;
    case 'damaged':
      next = { name: c.name, error: c.error };
      break;
    case 'created':
      next = { name: c.name, config: c.config, revision: c.revision, status: c.status };
      break;
    case 'changed':
      next = { ...old, name: c.name, config: c.config, revision: c.revision, error: undefined };
      break;
    case 'renamed':
      next = { ...old, name: c.name, config: c.config, revision: c.revision, status: old?.status && { ...old.status, name: c.name }, error: undefined };
      break;
  }
  return [...others, next].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export type AppStore = StoreApi<AppState> & { connect(): () => void };

export function createAppStore(client: GuestbayClient, opts: { hash?: () => string } = {}): AppStore {
  const hash = opts.hash ?? (() => (typeof location === 'undefined' ? '' : location.hash));
  let first: Promise<void> | undefined;
  const store = createStore<AppState>()((set, get) => ({
    guests: [],
    guestsLoaded: false,
    hostLoading: false,
    presets: [],
    route: parseRoute(hash()),
    helpOpen: false,
    busy: {},
    actionErrors: {},
    async loadGuests() {
      try {
        const list = await client.call('guests.list', {});
        const old = new Map(get().guests.map((g) => [g.name, g]));
        set({ guests: list.map((g) => ({ ...g, progress: old.get(g.name)?.progress })), guestsLoaded: true, guestsError: undefined });
      } catch (e) {
        set({ guestsError: e, guestsLoaded: true });
      }
    },
    loadFirst() {
      return (first ??= get().loadGuests());
    },
    async loadHost(refresh) {
      set({ hostLoading: true });
      try {
        set({ host: await client.call('host.probe', refresh ? { refresh: true } : {}), hostError: undefined, hostLoading: false });
      } catch (e) {
        set({ hostError: e, hostLoading: false });
      }
    },
    async loadPresets() {
      try {
        set({ presets: await client.call('presets.list', {}), presetsError: undefined });
      } catch (e) {
        // The wizard has no list of its own: it shows this error and offers to ask again.
        set({ presetsError: e });
      }
    },
    navigate(route) {
      const href = routeHref(route);
      if (typeof location !== 'undefined' && location.hash !== href) location.hash = href;
      set({ route });
    },
    setDeleted(deleted) {
      set({ deleted });
    },
    setHelp(open) {
      set({ helpOpen: open });
    },
    applyStatus(status) {
      // A guest Guestbay has not listed yet (created elsewhere): list them all again.
      if (!get().guests.some((g) => g.name === status.name)) void get().loadGuests();
      else set({ guests: reduceStatus(get().guests, status) });
    },
    applyChange(change) {
      const s = get();
      const guests = reduceChange(s.guests, change);
      // The library's selection and an open guest page follow a rename.
      const renamed = change.change === 'renamed' ? change : undefined;
      set({ guests, selected: renamed && s.selected === renamed.oldName ? renamed.name : s.selected });
      if (renamed && s.route.page === 'guest' && s.route.name === renamed.oldName) s.navigate({ page: 'guest', name: renamed.name });
    },
    select(name) {
      set({ selected: name });
    },
    async act(name, id) {
      if (get().busy[name]) return;
      const { [name]: _old, ...errors } = get().actionErrors;
      set({ busy: { ...get().busy, [name]: id }, actionErrors: errors });
      try {
        get().applyStatus(await runAction(client, id, name));
        if (id === 'switch') void get().loadGuests();
      } catch (error) {
        set({ actionErrors: { ...get().actionErrors, [name]: { id, error } } });
      } finally {
        const { [name]: _done, ...busy } = get().busy;
        set({ busy });
      }
    },
  }));
  // Events and the hash: connected by the component that owns the store (StrictMode-safe).
  const connect = () => {
    const offs = [
      client.on('guest.state', (status) => store.getState().applyStatus(status)),
      client.on('guests.changed', (change) => store.getState().applyChange(change)),
      client.on('progress', (p) => {
        store.setState({ guests: store.getState().guests.map((g) => (g.name === p.name ? { ...g, progress: p } : g)) });
      }),
    ];
    const onHash = () => store.setState({ route: parseRoute(hash()) });
    if (typeof window !== 'undefined') window.addEventListener('hashchange', onHash);
    return () => {
      for (const off of offs) off();
      if (typeof window !== 'undefined') window.removeEventListener('hashchange', onHash);
    };
  };
  return Object.assign(store, { connect });
}

export interface AppContextValue {
  client: GuestbayClient;
  store: StoreApi<AppState>;
}

export const AppContext = createContext<AppContextValue | null>(null);

function useCtx(): AppContextValue {
  const c = useContext(AppContext);
  if (!c) throw new Error('AppContext missing');
  return c;
}

export function useClient(): GuestbayClient {
  return useCtx().client;
}

export function useAppStore(): StoreApi<AppState> {
  return useCtx().store;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useCtx().store, selector);
}
