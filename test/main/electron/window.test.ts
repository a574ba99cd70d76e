// The renderer's box: every security option of the window, navigation and new windows stopped,
// and who may call the API. Electron's objects are fakes (its binary cannot run here).
import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { isAppUrl } from '../../../src/main/electron/origin';
import { APP_ORIGIN, CSP, hardenWebContents, isTrustedSender, mainWindowOptions } from '../../../src/main/electron/window';

describe('mainWindowOptions', () => {
  const o = mainWindowOptions('/app/dist/electron/preload.cjs', { icon: '/app/assets/icons/guestbay.png' });

  it('isolates and sandboxes the renderer', () => {
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    });
    // Nothing else in webPreferences may loosen the box.
    expect(o.webPreferences).toMatchObject({ nodeIntegrationInSubFrames: false, experimentalFeatures: false });
  });

  it('starts hidden, titled, with the app icon and no menu bar', () => {
    expect(o.show).toBe(false);
    expect(o.autoHideMenuBar).toBe(true);
    expect(o.title).toBe('Guestbay');
    expect(o.icon).toBe('/app/assets/icons/guestbay.png');
  });
});

it('the CSP allows the app itself only', () => {
  expect(CSP).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  );
  expect(APP_ORIGIN).toBe('guestbay://app');
});

describe('isTrustedSender', () => {
  it('trusts the app page in the main frame', () => {
    expect(isTrustedSender('guestbay://app/index.html', true)).toBe(true);
    expect(isTrustedSender('guestbay://app/index.html#/guest/win11', true)).toBe(true);
  });

  it('refuses subframes, other origins and missing frames', () => {
    expect(isTrustedSender('guestbay://app/index.html', false)).toBe(false);
    expect(isTrustedSender('https://example.com/', true)).toBe(false);
    expect(isTrustedSender('file:///home/u/index.html', true)).toBe(false);
    expect(isTrustedSender('guestbay://other/index.html', true)).toBe(false);
    expect(isTrustedSender('guestbay://app.evil.com/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender('', true)).toBe(false);
    expect(isTrustedSender('not a url', true)).toBe(false);
  });

  it('isAppUrl compares scheme and host', () => {
    expect(isAppUrl('GUESTBAY://APP/x')).toBe(true);
    expect(isAppUrl('http://app/')).toBe(false);
  });
});

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  let permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: { requestingUrl: string }) => void) | undefined;
  let permissionCheck: ((wc: unknown, permission: string, origin: string) => boolean) | undefined;
  const wc = Object.assign(emitter, {
    setWindowOpenHandler: (h: typeof openHandler) => {
      openHandler = h;
    },
    session: {
      setPermissionRequestHandler: (h: typeof permissionRequest) => void (permissionRequest = h),
      setPermissionCheckHandler: (h: typeof permissionCheck) => void (permissionCheck = h),
    },
  });
  const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
  hardenWebContents(wc as unknown as WebContents, shell);
  const fire = (name: string, url: string) => {
    const event = { url, preventDefault: vi.fn() };
    emitter.emit(name, event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  const request = (permission: string, requestingUrl: string) => {
    let answer: boolean | undefined;
    permissionRequest!(wc, permission, (ok) => (answer = ok), { requestingUrl });
    return answer;
  };
  return { fire, open: (url: string) => openHandler!({ url }), shell, request, check: (p: string, o: string) => permissionCheck!(wc, p, o) };
}

describe('hardenWebContents', () => {
  it('stops navigation and redirects to another origin', () => {
    const { fire, shell } = fakeContents();
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    // A plain link followed in the window opens in the browser instead (https only).
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'http://example.com/')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(fire('will-frame-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
  });

  it('grants no permission but clipboard writes from the app', () => {
    const { request, check } = fakeContents();
    expect(request('media', 'guestbay://app/index.html')).toBe(false);
    expect(request('notifications', 'guestbay://app/index.html')).toBe(false);
    expect(request('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(request('clipboard-sanitized-write', 'guestbay://app/index.html')).toBe(true);
    expect(check('geolocation', 'guestbay://app')).toBe(false);
  });

  it("lets the app's own pages load", () => {
    const { fire } = fakeContents();
    expect(fire('will-navigate', 'guestbay://app/index.html')).toBe(false);
    expect(fire('will-redirect', 'guestbay://app/other.html')).toBe(false);
  });

  it('refuses <webview>', () => {
    const { fire } = fakeContents();
    expect(fire('will-attach-webview', 'guestbay://app/index.html')).toBe(true);
  });

  it('denies every new window; https links go to the browser, others nowhere', () => {
    const { open, shell } = fakeContents();
    expect(open('https://qemu.org/docs')).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://qemu.org/docs');
    shell.openExternal.mockClear();
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'guestbay://app/index.html', 'smb://host/share']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});
