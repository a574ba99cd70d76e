// One origin for every check, and one CSP for both transports.
import { describe, expect, it } from 'vitest';
import { cspFor } from '../../../src/main/server/serve';
import { APP_URL, CSP, isAppUrl, originOf } from '../../../src/main/electron/origin';

describe('origin', () => {
  it("the app's CSP is the headless server's, without its WebSocket", () => {
    const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d]));
    const app = directives(CSP);
    const server = directives(cspFor(8080));
    expect([...app.keys()].sort()).toEqual([...server.keys()].sort());
    for (const [name, d] of server) if (name !== 'connect-src') expect(app.get(name)).toBe(d);
    expect(app.get('connect-src')).toBe("connect-src 'self'");
  });

  it("computes our scheme's origin where Node's URL says null", () => {
    expect(new URL(APP_URL).origin).toBe('null');
    expect(originOf(APP_URL)).toBe('guestbay://app');
    expect(originOf('https://qemu.org/docs/')).toBe('https://qemu.org');
  });

  it('refuses look-alikes', () => {
    for (const url of ['guestbay://app:8080/', 'guestbay://app.evil/', 'guestbay:app/index.html', 'guestbay:///index.html', 'file:///app/index.html', 'about:blank', 'data:text/html,x', 'javascript:1', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
    expect(isAppUrl(null)).toBe(false);
  });
});
