// The shell: navigation, the current page, global keyboard shortcuts and the help overlay.
import { useEffect } from 'react';
import { useApp } from './store';
import { HelpOverlay } from './components/HelpOverlay';
import { LibraryPage } from './pages/Library';
import { WizardPage } from './pages/Wizard';
import { GuestPage } from './pages/Guest';
import { HostPage } from './pages/Host';

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || Boolean(el.closest?.('.xterm'));
}

export function App() {
  const route = useApp((s) => s.route);
  const navigate = useApp((s) => s.navigate);
  const helpOpen = useApp((s) => s.helpOpen);
  const setHelp = useApp((s) => s.setHelp);
  const loadGuests = useApp((s) => s.loadGuests);
  const loadHost = useApp((s) => s.loadHost);
  const loadPresets = useApp((s) => s.loadPresets);

  useEffect(() => {
    void loadGuests();
    void loadHost();
    void loadPresets();
  }, [loadGuests, loadHost, loadPresets]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && helpOpen) return setHelp(false);
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === '?') setHelp(!helpOpen);
      else if (e.key === 'n' || e.key === 'N') navigate({ page: 'new' });
      else if (e.key === 'l' || e.key === 'L') navigate({ page: 'library' });
      else if (e.key === 'h' || e.key === 'H') navigate({ page: 'host' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [helpOpen, setHelp, navigate]);

  const tab = (page: 'library' | 'new' | 'host', label: string, key: string) => (
    <a
      href={page === 'library' ? '#/' : `#/${page}`}
      className={`nav-link${route.page === page ? ' active' : ''}`}
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
        {route.page === 'library' && <LibraryPage />}
        {route.page === 'new' && <WizardPage />}
        {route.page === 'guest' && <GuestPage key={route.name} name={route.name} />}
        {route.page === 'host' && <HostPage />}
      </main>
      {helpOpen && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
