// The Electron shell: app lifecycle, the main window and the tray around the plain-Node services.
// Guests outlive the window and the app: closing the window leaves the app in the tray, and
// quitting lets go of them unless the user chooses to save them or shut them down.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, shell, Tray } from 'electron';
import { createApi, type Api } from '../api';
import { probeHost } from '../host/probe';
import { guestbayPaths } from '../vm/paths';
import { Store } from '../vm/store';
import { Supervisor } from '../vm/supervisor';
import { autostartCommand } from '../desktop/autostart';
import { carryOut, quitPlan, type QuitChoice } from '../desktop/quit';
import { bindIpc } from './ipc';
import { bindDisplayPorts } from './display-port';
import { keepRunningWithoutWindows, sharedProbe } from './lifecycle';
import { APP_URL } from './origin';
import { nativePickers } from './pickers';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol';
import { startAutostartGuests } from '../desktop/autostart-guests';
import { createTray, type AppTray } from './tray';
import { hardenWebContents, mainWindowOptions } from './window';
import { raiseGuestWindow } from '../desktop/raise-window';

// dist/electron/main.cjs → the project (or the packaged app's) root.
const ROOT = join(__dirname, '..', '..');
const PRELOAD = join(__dirname, 'preload.cjs');
const RENDERER = join(ROOT, 'dist', 'renderer');
const ASSETS = join(ROOT, 'assets');
const ICON = join(ASSETS, 'icons', 'guestbay.png');
/** How long quitting waits for the guests to be let go of before it quits anyway. */
const DETACH_TIMEOUT_MS = 5_000;

/** Started with the session (autostart passes it): the tray only, the window on demand. */
const startHidden = process.argv.includes('--hidden');

const env = process.env;
const paths = guestbayPaths(env);

// Privileges count only when given before `ready`.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
// Every renderer sandboxed, whatever its options say.
app.enableSandbox();
// Chromium's profile (and the single-instance lock, which lives in it) would otherwise go to
// ~/.config/guestbay in a source checkout — Guestbay's own settings folder — and to
// ~/.config/Guestbay when packaged: one place for both, and its caches under ~/.cache.
app.setPath('userData', join(paths.config, 'electron'));
app.setPath('sessionData', join(paths.cache, 'electron'));

if (!app.requestSingleInstanceLock()) {
  // Another Guestbay owns the guests; it shows its window (second-instance) and this one ends.
  app.quit();
} else {
  run();
}

function run(): void {
  let win: BrowserWindow | null = null;
  let supervisor: Supervisor | null = null;
  let api: Api | null = null;
  let unbind: (() => void) | null = null;
  let ready = false;
  let letGo = false;
  let quitAsked = false;
  let tray: AppTray | null = null;

  /** `hash` is a renderer route (#/guest/<name>); `show: false` loads the window without showing it. */
  function showWindow(hash = '', show = true): void {
    if (!ready) return;
    if (win && !win.isDestroyed()) {
      // Only the fragment changes: a same-document navigation the renderer's router follows.
      if (hash) void win.loadURL(APP_URL + hash).catch(() => undefined);
      if (!show) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const w = new BrowserWindow(mainWindowOptions(PRELOAD, existsSync(ICON) ? { icon: ICON } : {}));
    win = w;
    hardenWebContents(w.webContents, shell);
    if (show) w.once('ready-to-show', () => w.show());
    // Closing destroys the window (its renderer's memory goes back to the guests); the tray
    // and the services stay, and the tray or a second launch brings a new window.
    w.on('closed', () => {
      if (win === w) win = null;
    });
    w.loadURL(APP_URL + hash).catch((e: Error) => console.error(`guestbay: cannot load ${APP_URL}: ${e.message}`));
  }

  /** The tray's Quit: asks what to do with running guests, does it, then quits. */
  async function quitFromTray(): Promise<void> {
    if (quitAsked || !supervisor) return;
    quitAsked = true;
    const sup = supervisor;
    try {
      const statuses = await sup.attachAll().catch(() => []);
      const live = quitPlan('leave', statuses);
      let choice: QuitChoice = 'leave';
      if (live.length > 0) {
        const names = live.map((s) => s.name).join(', ');
        const box = {
          type: 'question' as const,
          title: 'Quit Guestbay',
          message: live.length === 1 ? `${names} is still running.` : `${live.length} guests are still running: ${names}.`,
          detail: 'Guests left running go on without Guestbay, which finds them again when it starts.',
          buttons: ['Leave them running', 'Save them', 'Shut them down'],
          defaultId: 0,
          // Escape or closing the box means the default: nothing is stopped by accident.
          cancelId: 0,
          noLink: true,
        };
        const parent = win && !win.isDestroyed() && win.isVisible() ? win : null;
        const r = parent ? await dialog.showMessageBox(parent, box) : await dialog.showMessageBox(box);
        choice = (['leave', 'save', 'shutdown'] as const)[r.response] ?? 'leave';
      }
      await carryOut(sup, quitPlan(choice, statuses), (done, total) => {
        if (win && !win.isDestroyed()) win.setProgressBar(total > 0 && done < total ? done / total : -1);
      });
    } catch (e) {
      quitAsked = false;
      if (win && !win.isDestroyed()) win.setProgressBar(-1);
      // A save or shutdown failed: that guest is still running. Stay open so it is not lost silently.
      dialog.showErrorBox('Guestbay did not quit', `${(e as Error).message}\n\nGuests that were not saved or shut down are still running.`);
      return;
    }
    app.quit();
  }

  app.on('second-instance', () => showWindow());

  // Any web contents, not only the main window's: no pop-ups, no <webview>, ever.
  app.on('web-contents-created', (_e, wc) => {
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-attach-webview', (e) => e.preventDefault());
  });

  // Listening replaces Electron's default (quit when the last window closes).
  app.on('window-all-closed', () => {
    void (async () => {
      const guests = (await supervisor?.attachAll().catch(() => [])) ?? [];
      // A macOS or Windows guest being prepared keeps Guestbay running in the tray.
      const jobs = await Promise.all([api?.dispatch('macos.jobs', {}), api?.dispatch('windows.jobs', {})]);
      const preparing = jobs.some((r) => r?.ok === true && (r.output as { state: string }[]).some((j) => j.state === 'running'));
      if (!keepRunningWithoutWindows(guests, { hasTray: tray !== null, preparing })) app.quit();
    })();
  });

  // However the quit comes (the tray's Quit after its dialog, the session ending, a signal),
  // it lets go of the guests (QMP connections closed, processes left running), never stops them.
  app.on('before-quit', (e) => {
    if (letGo) return;
    e.preventDefault();
    void (async () => {
      unbind?.();
      unbind = null;
      tray?.dispose();
      tray = null;
      const detach = api ? api.dispose() : Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([detach.catch((err: Error) => console.error(`guestbay: detaching: ${err.message}`)), new Promise((r) => (timer = setTimeout(r, DETACH_TIMEOUT_MS)))]);
      clearTimeout(timer);
      letGo = true;
      app.quit();
    })();
  });

  app
    .whenReady()
    .then(async () => {
      registerAppProtocol(protocol, RENDERER);
      const store = new Store(paths);
      const probe = sharedProbe(({ useCache }) => probeHost({ env, useCache }));
      supervisor = new Supervisor({ store, probe: () => probe() });
      // Before the window asks for anything: the guests still running from an earlier session.
      await supervisor.attachAll().catch((e: Error) => console.error(`guestbay: re-attaching to guests: ${e.message}`));
      api = createApi({
        store,
        supervisor,
        probe,
        env,
        pickers: nativePickers(dialog, () => win),
        // An AppImage moves with its file; on the system Electron (the Arch package) the
        // launcher says what starts the app; an electron-builder package is its own executable.
        autostartExec: autostartCommand(env, process.execPath),
        // "" is Electron's answer for success; anything else is why it could not.
        openPath: async (path) => (await shell.openPath(path)) === '',
      });
      // The tray hears guests created, changed and deleted through guests.changed (any client, any process).
      const unbindCalls = bindIpc({ ipcMain, api, mainWindow: () => win });
      const unbindDisplays = bindDisplayPorts({ ipcMain, displays: api.displays!, mainWindow: () => win });
      unbind = () => {
        unbindCalls();
        unbindDisplays();
      };
      ready = true;
      Menu.setApplicationMenu(null);
      tray = createTray({
        electron: { Tray, Menu, Notification },
        // guests.changed from any client or process refreshes the menu.
        api,
        supervisor,
        assetsDir: ASSETS,
        openApp: () => showWindow(),
        // QEMU's own window when the desktop lets us raise it, else the app on that guest.
        showGuest: (name) => void raiseGuestWindow(name).then((raised) => raised || showWindow(`#/guest/${encodeURIComponent(name)}`)),
        quit: () => void quitFromTray(),
        onError: (message) => new Notification({ title: 'Guestbay', body: message }).show(),
      });
      showWindow('', !startHidden);
      // Guests marked to start with Guestbay, once the window and tray can show them.
      void startAutostartGuests(supervisor, (m) => console.error(m));
    })
    .catch((e: Error) => {
      console.error(`guestbay: cannot start: ${e.stack ?? e.message}`);
      dialog.showErrorBox('Guestbay cannot start', e.message);
      letGo = true;
      app.quit();
    });
}
