// Renders the pure tray model (desktop/tray-model.ts) with Electron's Tray and Menu. A click on
// a guest action is one `api.dispatch`, the same path as the window's buttons, so the tray can
// never do something the window could not. Electron's classes come in as parameters (testable).
import type { MenuItemConstructorOptions, Menu as MenuT, Notification as NotificationT, Tray as TrayT } from 'electron';
import { join } from 'node:path';
import type { Reply } from '../../shared/contract';
import type { Api } from '../api/index';
import { archOfHost } from '../../shared/os/arch-table';
import { findItem, trayGuest, trayIcon, trayMenu, trayTooltip, type TrayAction, type TrayGuest, type TrayItem, type TrayProgress } from '../desktop/tray-model';
import type { Supervisor } from '../vm/supervisor';

export interface TrayElectron {
  Tray: new (image: string) => Pick<TrayT, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuT };
  Notification: new (o: { title: string; body: string }) => Pick<NotificationT, 'show'>;
}

export interface TrayDeps {
  electron: TrayElectron;
  /** `onEvent`: guests created, changed or deleted anywhere (`guests.changed`) refresh the menu. */
  api: Pick<Api, 'dispatch'> & Partial<Pick<Api, 'onEvent'>>;
  supervisor: Pick<Supervisor, 'onEvent' | 'attachAll' | 'store'>;
  /** Where `tray/<icon>.png` lives (the app's assets folder). */
  assetsDir: string;
  openApp(): void;
  showGuest(name: string): void;
  quit(): void;
  /** A call failed: the tray has no window of its own to say so in. */
  onError?(message: string): void;
}

export interface AppTray {
  refresh(): Promise<void>;
  /** What a click on the item with this id does (the menu's click handlers call it). */
  activate(id: string): Promise<void>;
  dispose(): void;
}

export async function trayGuests(supervisor: TrayDeps['supervisor']): Promise<TrayGuest[]> {
  const listed = await supervisor.store.list();
  const configs = new Map(listed.map((g) => [g.name, g.config]));
  const hostArch = archOfHost(process.arch);
  return (await supervisor.attachAll()).map((s) => {
    const c = configs.get(s.name);
    return trayGuest(s, c?.title ?? s.name, { arch: c?.arch, hostArch, lookingGlass: Boolean(c?.lookingGlass) });
  });
}

export function toTemplate(items: TrayItem[], click: (id: string) => void): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    if (i.separator) return { type: 'separator' };
    if (i.submenu) return { id: i.id, label: i.label, enabled: i.enabled, submenu: toTemplate(i.submenu, click) };
    return { id: i.id, label: i.label, enabled: i.enabled, click: i.action ? () => click(i.id) : undefined };
  });
}

export function createTray(deps: TrayDeps): AppTray {
  const { electron, api, supervisor } = deps;
  const iconPath = (name: string) => join(deps.assetsDir, 'tray', `${name}.png`);
  const tray = new electron.Tray(iconPath('idle'));
  let items: TrayItem[] = trayMenu([]);
  let disposed = false;
  // Refreshes are chained, so a slow attachAll never overwrites a newer menu with an older one.
  let pending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const fail = (message: string) => deps.onError?.(message);
  // The latest progress of each guest's operation (a switch saving one guest while the next
  // restores), shown in its menu line and the tooltip until the guest comes to rest.
  const progress = new Map<string, TrayProgress>();
  let shown: TrayGuest[] = [];
  let progressTimer: NodeJS.Timeout | undefined;

  const render = (guests: TrayGuest[]) => {
    if (disposed) return;
    shown = guests;
    guests = guests.map((g) => (progress.has(g.name) ? { ...g, progress: progress.get(g.name)! } : g));
    items = trayMenu(guests);
    tray.setImage(iconPath(trayIcon(guests)));
    tray.setToolTip(trayTooltip(guests));
    tray.setContextMenu(electron.Menu.buildFromTemplate(toTemplate(items, (id) => void activate(id))));
  };

  const refresh = () => {
    pending = pending.then(
      async () => render(await trayGuests(supervisor)),
      () => undefined,
    );
    return pending.catch((e: unknown) => fail(`Could not read the guests' states: ${(e as Error).message}`));
  };

  const run = async (action: TrayAction) => {
    switch (action.kind) {
      case 'call': {
        const reply: Reply = await api.dispatch(action.call, action.input);
        if (!reply.ok) return fail(reply.error.message);
        if (action.call === 'guests.switch') {
          const out = reply.output as { summary?: string; notification?: { title: string; body: string } };
          new electron.Notification(out.notification ?? { title: 'Guestbay', body: out.summary ?? `Switched to ${action.input.name}` }).show();
        }
        return;
      }
      case 'show-display':
        return deps.showGuest(action.name);
      case 'open-app':
        return deps.openApp();
      case 'quit':
        return deps.quit();
    }
  };

  const activate = async (id: string) => {
    const action = findItem(items, id)?.action;
    if (action) await run(action);
  };

  // State changes arrive often during a start or save: coalesced into one refresh.
  const soon = () => {
    if (disposed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 100);
  };
  const RESTING = new Set(['running', 'paused', 'stopped', 'saved', 'crashed']);
  const offState = supervisor.onEvent((e) => {
    if (e.type === 'state') {
      if (RESTING.has(e.status.state)) progress.delete(e.status.name);
      soon();
    } else if (e.type === 'progress') {
      progress.set(e.name, { operation: e.operation, message: e.message, ...(e.fraction !== undefined ? { fraction: e.fraction } : {}) });
      // Migration progress comes every few milliseconds: the menu is rebuilt at most 5 times a second.
      progressTimer ??= setTimeout(() => {
        progressTimer = undefined;
        render(shown);
      }, 200);
    }
  });
  // A guest created, renamed or deleted by any client or process, or started elsewhere.
  const offChanges = api.onEvent?.((m) => {
    if (m.event === 'guests.changed' || m.event === 'guest.state') soon();
  });
  const unsubscribe = () => {
    offState();
    offChanges?.();
  };
  // On Linux a left click opens nothing by itself (no context menu on click in most trays).
  tray.on('click', () => deps.openApp());
  render([]);
  void refresh();

  return {
    refresh,
    activate,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      clearTimeout(progressTimer);
      unsubscribe();
      tray.destroy();
    },
  };
}
