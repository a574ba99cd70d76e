// The guest page's tabs (ARIA tabs: arrow keys move between them). Each is a route
// (#/guest/NAME/settings…), so a reload or a link keeps the place.
import { useRef, type KeyboardEvent } from 'react';
import type { GuestTab } from '../router';
import { useApp } from '../store';

export const TAB_LABELS: Record<GuestTab, string> = {
  display: 'Display',
  settings: 'Settings',
  disks: 'Disks and snapshots',
  console: 'Console',
  logs: 'Logs',
  command: 'Command',
};

/** The tabs in order: what a user looks at most comes first. */
export const TAB_ORDER: GuestTab[] = ['display', 'settings', 'disks', 'console', 'logs', 'command'];

export function GuestTabs({ name, tab, badges }: { name: string; tab: GuestTab; badges?: Partial<Record<GuestTab, string>> }) {
  const navigate = useApp((s) => s.navigate);
  const list = useRef<HTMLDivElement>(null);
  const go = (t: GuestTab) => navigate({ page: 'guest', name, tab: t });
  const onKey = (e: KeyboardEvent) => {
    const i = TAB_ORDER.indexOf(tab);
    const j = e.key === 'ArrowRight' ? (i + 1) % TAB_ORDER.length : e.key === 'ArrowLeft' ? (i - 1 + TAB_ORDER.length) % TAB_ORDER.length : e.key === 'Home' ? 0 : e.key === 'End' ? TAB_ORDER.length - 1 : -1;
    if (j < 0) return;
    e.preventDefault();
    e.stopPropagation();
    go(TAB_ORDER[j]!);
    list.current?.querySelector<HTMLElement>(`[data-tab="${TAB_ORDER[j]}"]`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Guest" ref={list} onKeyDown={onKey}>
      {TAB_ORDER.map((t) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`tab-${t}`}
          data-tab={t}
          data-testid={`tab-${t}`}
          aria-selected={t === tab}
          aria-controls={`panel-${t}`}
          tabIndex={t === tab ? 0 : -1}
          className={`tab${t === tab ? ' current' : ''}`}
          onClick={() => go(t)}
        >
          {TAB_LABELS[t]}
          {badges?.[t] && <span className="tab-badge">{badges[t]}</span>}
        </button>
      ))}
    </div>
  );
}
