// The main window's options and the hardening of its web contents. Type-only Electron imports:
// the options are checked in plain Node by the unit tests, with no Electron runtime.
import type { BrowserWindowConstructorOptions, Shell, WebContents } from 'electron';
import { APP_ORIGIN, isAppUrl, originOf } from './origin';

export { APP_ORIGIN, CSP } from './origin';

/**
 * Only the app's own top-level page may call the API: not a subframe (even of the app's own
 * origin), not the window after it was somehow navigated elsewhere.
 */
export function isTrustedSender(frameUrl: string | null | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && isAppUrl(frameUrl);
}

export function mainWindowOptions(preloadPath: string, o: { icon?: string } = {}): BrowserWindowConstructorOptions {
  return {
    title: 'Guestbay',
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    // Shown on ready-to-show, so the window never flashes empty.
    show: false,
    autoHideMenuBar: true,
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: {
      preload: preloadPath,
      // The renderer is a web page that talks to the main process only through the bridge.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Spellcheck would send typed words to a dictionary download service and mark paths red.
      spellcheck: false,
    },
  };
}

/** Opens a link the app cannot show itself in the user's browser: https only, never file: or custom schemes. */
function openOutside(url: string, openExternal: (url: string) => Promise<void>): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return;
  }
  if (u.protocol === 'https:') void openExternal(u.href).catch(() => undefined);
}

/**
 * Keeps the window on the app: no navigation or redirect away from `allowedOrigin`, no new
 * windows, no <webview>, no permission (camera, notifications, …) for anything but copying to
 * the clipboard from the app itself (the command line and logs have "Copy" buttons).
 */
export function hardenWebContents(wc: WebContents, shell: Pick<Shell, 'openExternal'>, allowedOrigin: string = APP_ORIGIN): void {
  const openExternal = (url: string) => shell.openExternal(url);
  const guard = (e: { url: string; preventDefault(): void }) => {
    if (originOf(e.url) === allowedOrigin) return;
    e.preventDefault();
    openOutside(e.url, openExternal);
  };
  wc.on('will-navigate', guard);
  // Subframes too (will-navigate sees only the main frame); the main frame's own navigation
  // arrives here as well, so this one only refuses, or a link would open twice.
  wc.on('will-frame-navigate', (e) => {
    if (originOf(e.url) !== allowedOrigin) e.preventDefault();
  });
  wc.on('will-redirect', (e) => {
    if (originOf(e.url) !== allowedOrigin) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    openOutside(url, openExternal);
    return { action: 'deny' };
  });
  const allowed = (permission: string, origin: string | null | undefined) =>
    permission === 'clipboard-sanitized-write' && !!origin && originOf(origin) === allowedOrigin;
  wc.session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowed(permission, details.requestingUrl)));
  wc.session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allowed(permission, requestingOrigin));
}
