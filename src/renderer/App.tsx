// The shell: navigation, the current page, global keyboard shortcuts and the help overlay.
import { lazy, Suspense, useEffect } from 'react';
import type { GuestStateName } from '../shared/contract';
import { actionVerdicts, type ActionId } from './actions';
import { useApp, useAppStore } from './store';
import { HelpOverlay } from './components/HelpOverlay';
import { LibraryPage } from './pages/Library';

// Every page but the library is its own chunk, loaded when first opened: the app opens on the
// library, and evaluating the wizard, the guest page (display, console, settings), the guided
// setups and the host pages before its first paint cost about half a second with 200 guests
// (docs/decisions.md, "The library with hundreds of guests"). Chunks are files next to the
// bundle: `script-src 'self'` allows them, over file:// in Electron and http in `serve`.
const WizardPage = lazy(() => import('./pages/Wizard').then((m) => ({ default: m.WizardPage })));
const MacosSetupPage = lazy(() => import('./pages/MacosSetup').then((m) => ({ default: m.MacosSetupPage })));
const WindowsSetupPage = lazy(() => import('./pages/WindowsSetup').then((m) => ({ default: m.WindowsSetupPage })));
const GuestPage = lazy(() => import('./pages/Guest').then((m) => ({ default: m.GuestPage })));
const HostPage = lazy(() => import('./pages/Host').then((m) => ({ default: m.HostPage })));
const IommuPage = lazy(() => import('./pages/Iommu').then((m) => ({ default: m.IommuPage })));

/** While a page's chunk loads (a few ms from disk): a quiet line where the page will be. */
function PageLoading() {
  return (
    <p className="muted page-loading" role="status" data-testid="page-loading">
      Loading…
    </p>
  );
}

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || Boolean(el.closest?.('.xterm'));
}

/** Enter on a button, a link or a disclosure keeps its own meaning. */
function activates(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return Boolean(el?.tagName && ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName));
}

const ACTION_BY_KEY: Record<string, ActionId> = { p: 'pause', s: 'save', w: 'switch' };

export function App() {
  const route = useApp((s) => s.route);
  const navigate = useApp((s) => s.navigate);
  const helpOpen = useApp((s) => s.helpOpen);
  const setHelp = useApp((s) => s.setHelp);
  const loadHost = useApp((s) => s.loadHost);
  const loadPresets = useApp((s) => s.loadPresets);
  const store = useAppStore();

  useEffect(() => {
    const listed = store.getState().loadFirst();
    const rest = () => {
      void loadHost();
      void loadPresets();
    };
    // Opened on the library, the guests come first: the host's probe (which may run every
    // emulator) and the presets would share the server with the listing and delay the first paint.
    // Asked once the cards are painted (the frame after the listing's), so their answers do not
    // re-render the cards (the architecture badges read the host) before the first screen shows.
    const afterPaint = () => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => setTimeout(rest, 0)) : rest());
    if (store.getState().route.page === 'library') void listed.finally(afterPaint);
    else rest();
  }, [loadHost, loadPresets, store]);

  useEffect(() => {
    /** The guest the action keys act on: the open guest page's, or the library's selection. */
    const target = () => {
      const s = store.getState();
      const name = s.route.page === 'guest' ? s.route.name : s.route.page === 'library' ? s.selected : undefined;
      return s.guests.find((g) => g.name === name && g.config);
    };
    const run = (e: KeyboardEvent, pick: (state: GuestStateName | undefined) => ActionId | undefined) => {
      const g = target();
      if (!g) return;
      const id = pick(g.status?.state);
      e.preventDefault();
      if (id && actionVerdicts(g.status, { name: g.name, title: g.config?.title })[id].ok) void store.getState().act(g.name, id);
    };
    /** Arrow keys move the library's selection, in the order the library shows (its search and sort). */
    const move = (e: KeyboardEvent, by: number) => {
      const s = store.getState();
      const names = [...document.querySelectorAll<HTMLElement>('[data-testid^="guest-card-"]:not([hidden])')].map((el) => el.dataset.testid!.slice('guest-card-'.length));
      if (!names.length) return;
      e.preventDefault();
      const i = s.selected ? names.indexOf(s.selected) : -1;
      const next = names[i < 0 ? 0 : Math.min(names.length - 1, Math.max(0, i + by))]!;
      s.select(next);
      document.querySelector<HTMLElement>(`[data-testid="guest-card-${next}"]`)?.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && helpOpen) return setHelp(false);
      if (isTyping(e.target) || e.altKey || e.metaKey) return;
      if (e.ctrlKey) {
        if (e.key === '.') run(e, () => 'stop');
        return;
      }
      const page = store.getState().route.page;
      if (e.key === '?') setHelp(!helpOpen);
      else if (e.key === 'n' || e.key === 'N') navigate({ page: 'new' });
      else if (e.key === 'l' || e.key === 'L') navigate({ page: 'library' });
      else if (e.key === 'h' || e.key === 'H') navigate({ page: 'host' });
      else if (e.key === 'Enter' && !activates(e.target)) run(e, () => 'start');
      else if (e.key.toLowerCase() in ACTION_BY_KEY) run(e, (st) => (e.key.toLowerCase() === 'p' && st === 'paused' ? 'resume' : ACTION_BY_KEY[e.key.toLowerCase()]));
      else if ((e.key === 'o' || e.key === 'O') && page === 'library') {
        const g = target();
        if (g) navigate({ page: 'guest', name: g.name });
      } else if (page === 'library' && (e.key === 'ArrowRight' || e.key === 'ArrowDown')) move(e, 1);
      else if (page === 'library' && (e.key === 'ArrowLeft' || e.key === 'ArrowUp')) move(e, -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [helpOpen, setHelp, navigate, store]);

  const tab = (page: 'library' | 'new' | 'host', label: string, key: string) => (
    <a
      href={page === 'library' ? '#/' : `#/${page}`}
      className={`nav-link${route.page === page || (page === 'host' && route.page === 'iommu') ? ' active' : ''}`}
      data-testid={`nav-${page}`}
      aria-current={route.page === page ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate({ page });
      }}
    >
      {label} <kbd className="nav-key">{key}</kbd>
    </a>
  );

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Guestbay</span>
        <nav className="nav">
          {tab('library', 'Library', 'L')}
          {tab('new', 'New guest', 'N')}
          {tab('host', 'Host', 'H')}
        </nav>
        <button type="button" className="btn btn-small" data-testid="help-button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <main className="content">
        <Suspense fallback={<PageLoading />}>
          {route.page === 'library' && <LibraryPage />}
          {route.page === 'new' && <WizardPage />}
          {route.page === 'macos' && <MacosSetupPage />}
          {route.page === 'windows' && <WindowsSetupPage version={route.version} />}
          {route.page === 'guest' && <GuestPage key={route.name} name={route.name} tab={route.tab} section={route.section} />}
          {route.page === 'host' && <HostPage />}
          {route.page === 'iommu' && <IommuPage />}
        </Suspense>
      </main>
      {helpOpen && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
