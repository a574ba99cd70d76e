// guestbay://app/ serves dist/renderer and nothing outside it, always with the CSP.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppHandler, registerAppProtocol, resolveAppFile } from '../../../src/main/electron/protocol';
import { CSP } from '../../../src/main/electron/origin';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-protocol-'));
  root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Guestbay</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'secret');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('resolveAppFile', () => {
  it('maps app URLs into the root', () => {
    expect(resolveAppFile('/r', 'guestbay://app/index.html')).toBe('/r/index.html');
    expect(resolveAppFile('/r', 'guestbay://app/')).toBe('/r/index.html');
    expect(resolveAppFile('/r', 'guestbay://app/assets/a%20b.js?x=1#y')).toBe('/r/assets/a b.js');
  });

  it('never leaves the root', () => {
    // The URL parser already folds `..` (also as %2e%2e) into the root; an encoded slash it does not.
    expect(resolveAppFile('/r', 'guestbay://app/../secret.txt')).toBe('/r/secret.txt');
    expect(resolveAppFile('/r', 'guestbay://app/%2e%2e/secret.txt')).toBe('/r/secret.txt');
    for (const url of ['guestbay://app/%2e%2e%2fsecret.txt', 'guestbay://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt', 'guestbay://app/..%5csecret.txt', 'guestbay://app/%00', 'guestbay://other/index.html', 'file:///etc/passwd']) {
      expect(resolveAppFile('/r', url), url).toBeNull();
    }
  });
});

describe('the handler', () => {
  it('serves files with their type and the CSP', async () => {
    const r = await createAppHandler(root)(new Request('guestbay://app/index.html'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(await r.text()).toContain('Guestbay');
    const js = await createAppHandler(root)(new Request('guestbay://app/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 outside the root and for missing files', async () => {
    const h = createAppHandler(root);
    expect((await h(new Request('guestbay://app/%2e%2e%2fsecret.txt'))).status).toBe(404);
    expect((await h(new Request('guestbay://app/nope.js'))).status).toBe(404);
    expect((await h(new Request('guestbay://app/nope.js'))).headers.get('content-security-policy')).toBe(CSP);
  });

  it('registers the scheme as privileged and handles it', () => {
    const protocol = { handle: vi.fn() };
    // corsEnabled too: Vite's <script type="module" crossorigin> is a CORS request.
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'guestbay', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } });
    registerAppProtocol(protocol, root);
    expect(protocol.handle).toHaveBeenCalledWith('guestbay', expect.any(Function));
  });
});
