// Where the renderer lives: one privileged custom scheme and host, so every check (IPC sender,
// navigation, permissions) compares against a single origin that no web page can have.
export const APP_SCHEME = 'guestbay';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** The headless server's policy, but for connect-src: IPC needs no WebSocket (test/main/electron/origin.test.ts). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * The origin of a URL as Chromium sees it. Node's `URL#origin` is "null" for every scheme it
 * does not know (ours included), so comparing `.origin` would refuse the app itself.
 */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  if (u.protocol !== `${APP_SCHEME}:` || !u.host) return null;
  return `${u.protocol}//${u.host.toLowerCase()}`;
}

export function isAppUrl(url: string | null | undefined): boolean {
  return !!url && originOf(url) === APP_ORIGIN;
}
