// fetchOpenCore against a plain HTTP server on 127.0.0.1 serving a fake release zip; the pin is
// overridden with that zip's SHA-256, as a release build pins the real one.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchOpenCore, openCoreCacheDir, OpenCoreDownloadError } from '../../../../src/main/macos/opencore/fetch';
import { OPENCORE_PIN, openCoreReleaseUrl, type OpenCorePin } from '../../../../src/main/macos/opencore/release';
import { fakeRelease } from './fake-release';

const release = fakeRelease();
const other = fakeRelease({ omit: ['Docs/Sample.plist'] });
let server: http.Server;
let base: string;
const hits: string[] = [];
let dir: string;
let cache: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/OpenCore-9.9.9-RELEASE.zip') res.writeHead(200, { 'Content-Length': release.zip.length }).end(release.zip);
    else if (req.url === '/redirect') res.writeHead(302, { Location: '/OpenCore-9.9.9-RELEASE.zip' }).end();
    else if (req.url === '/tampered.zip') res.writeHead(200).end(other.zip);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'guestbay-ocfetch-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  hits.length = 0;
  cache = await mkdtemp(join(dir, 'cache-'));
});

const pin: () => OpenCorePin = () => ({ version: '9.9.9', sha256: release.sha256, size: release.zip.length });

describe('fetching the pinned OpenCore release', () => {
  it('the shipped pin: 1.0.7 from GitHub, with a full SHA-256 and size', () => {
    expect(OPENCORE_PIN.version).toBe('1.0.7');
    expect(OPENCORE_PIN.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(openCoreReleaseUrl('1.0.7')).toBe('https://github.com/acidanthera/OpenCorePkg/releases/download/1.0.7/OpenCore-1.0.7-RELEASE.zip');
    expect(openCoreCacheDir({ HOME: '/home/u', XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/guestbay/opencore');
    expect(openCoreCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/guestbay/opencore');
  });

  it('downloads, verifies and caches; the next call reuses the verified file without the network', async () => {
    const progress: number[] = [];
    const first = await fetchOpenCore({ pin: pin(), url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache, onProgress: (p) => progress.push(p.bytes) });
    expect(first).toMatchObject({ version: '9.9.9', sha256: release.sha256, fromCache: false, path: join(cache, 'OpenCore-9.9.9-RELEASE.zip') });
    expect(await readFile(first.path)).toEqual(release.zip);
    expect(progress.at(-1)).toBe(release.zip.length);
    expect(await readdir(cache)).toEqual(['OpenCore-9.9.9-RELEASE.zip']);

    const again = await fetchOpenCore({ pin: pin(), url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache });
    expect(again).toMatchObject({ fromCache: true, path: first.path });
    expect(hits).toEqual(['/OpenCore-9.9.9-RELEASE.zip']);
  });

  it('follows redirects (GitHub sends release assets elsewhere)', async () => {
    const r = await fetchOpenCore({ pin: pin(), url: `${base}/redirect`, cacheDir: cache });
    expect(r.fromCache).toBe(false);
    expect(hits).toEqual(['/redirect', '/OpenCore-9.9.9-RELEASE.zip']);
  });

  it('a zip with another hash is refused, named, and nothing is left in the cache', async () => {
    const p = { ...pin(), size: undefined };
    const err = await fetchOpenCore({ pin: p, url: `${base}/tampered.zip`, cacheDir: cache }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenCoreDownloadError);
    expect((err as Error).message).toContain(`SHA-256 ${other.sha256}, expected ${release.sha256}`);
    expect((err as Error).message).toMatch(/deleted and nothing was cached/);
    expect(await readdir(cache)).toEqual([]);
  });

  it('a size other than the pinned one is refused before hashing matters', async () => {
    const err = await fetchOpenCore({ pin: { ...pin(), size: release.zip.length + 1 }, url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/bytes, but OpenCore 9.9.9's release zip is/);
    expect(await readdir(cache)).toEqual([]);
    const small = await fetchOpenCore({ pin: { ...pin(), size: 100 }, url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache }).catch((e: Error) => e);
    expect((small as Error).message).toMatch(/more than the OpenCore release can be/);
    expect(await readdir(cache)).toEqual([]);
  });

  it('a cached file that no longer matches is deleted and downloaded again', async () => {
    await writeFile(join(cache, 'OpenCore-9.9.9-RELEASE.zip'), 'garbage');
    const r = await fetchOpenCore({ pin: pin(), url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache });
    expect(r.fromCache).toBe(false);
    expect(createHash('sha256').update(await readFile(r.path)).digest('hex')).toBe(release.sha256);
  });

  it('refuses to download at all when the build has no pinned hash', async () => {
    const err = await fetchOpenCore({ pin: { version: '9.9.9', sha256: null }, url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/no pinned SHA-256 .* will not download or use it/);
    expect(hits).toEqual([]);
    expect(await readdir(cache)).toEqual([]);
  });

  it('HTTP errors and unreachable servers say what failed and leave nothing behind', async () => {
    await expect(fetchOpenCore({ pin: pin(), url: `${base}/missing.zip`, cacheDir: cache })).rejects.toThrow(/HTTP 404/);
    await expect(fetchOpenCore({ pin: pin(), url: 'http://127.0.0.1:1/x.zip', cacheDir: cache })).rejects.toThrow(/downloading OpenCore from 127.0.0.1:1 failed/);
    await expect(fetchOpenCore({ pin: pin(), url: 'ftp://example.invalid/x.zip', cacheDir: cache })).rejects.toThrow(/cannot download from ftp:/);
    expect(await readdir(cache)).toEqual([]);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(fetchOpenCore({ pin: pin(), url: `${base}/OpenCore-9.9.9-RELEASE.zip`, cacheDir: cache, signal: ac.signal })).rejects.toThrow(/cancelled/);
    expect(await readdir(cache)).toEqual([]);
  });
});
