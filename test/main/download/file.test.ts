// The shared downloader against a local HTTP server with Range: resume after a dropped
// connection (only the missing bytes are asked for), a corrupt body refused and deleted, a
// refusal said, a cached file reused only when it still verifies; and trust on first use.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError } from '../../../src/main/download/errors';
import { downloadFile } from '../../../src/main/download/file';
import { firstSeen, trustDownload } from '../../../src/main/download/trust';
import { sha256, startRangeServer, type RangeServer } from '../../helpers/range-server';

const body = randomBytes(3 * 2 ** 20 + 123);
let srv: RangeServer;
let dir: string;
const fast = { retryDelayMs: 10, connectionRetries: 3 };

beforeAll(async () => {
  srv = await startRangeServer();
});
afterAll(async () => {
  await srv.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-dl-'));
  srv.log.length = 0;
  srv.files.set('/f.iso', { body });
  return () => rm(dir, { recursive: true, force: true });
});

const get = (over: Partial<Parameters<typeof downloadFile>[0]> = {}) =>
  downloadFile({ url: `${srv.base}/f.iso`, dest: join(dir, 'f.iso'), what: 'the test ISO', sha256: sha256(body), retry: fast, ...over });

describe('downloadFile', () => {
  it('resumes by Range after a dropped connection and verifies the whole file', async () => {
    srv.files.set('/f.iso', { body, dropAfter: { bytes: 1_000_000, times: 1 } });
    const seen: number[] = [];
    const r = await get({ onProgress: (p) => seen.push(p.bytes) });
    expect(r).toMatchObject({ sha256: sha256(body), bytes: body.length, fromCache: false });
    expect((await readFile(r.path)).equals(body)).toBe(true);
    expect(srv.log[0]).toMatchObject({ range: null, status: 200 });
    expect(srv.log[1]!.status).toBe(206);
    expect(Number(/bytes=(\d+)-/.exec(srv.log[1]!.range!)![1])).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(body.length);
    expect(await readdir(dir)).toEqual(['f.iso']);
  });

  it('resumes a partial file an interrupted run left, hashing its bytes again', async () => {
    await writeFile(join(dir, 'f.iso.partial'), body.subarray(0, 777_777));
    const r = await get();
    expect(r.resumedFrom).toBe(777_777);
    expect(srv.log.map((l) => l.range)).toEqual(['bytes=777777-']);
    expect((await readFile(r.path)).equals(body)).toBe(true);
  });

  it('a corrupt body is refused by its hash, deleted, and nothing is kept', async () => {
    srv.files.set('/f.iso', { body, corrupt: 1 });
    const err = await get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).code).toBe('verify');
    expect((err as Error).message).toMatch(/does not have the SHA-256 it must have: got [0-9a-f]{64}, expected/);
    expect(await readdir(dir)).toEqual([]);
    // The next try starts clean and succeeds.
    expect((await get()).sha256).toBe(sha256(body));
  });

  it('a refusal is said with its status; retries run out on a server that keeps failing', async () => {
    srv.files.set('/f.iso', { body, refuse: [403] });
    await expect(get()).rejects.toThrow(/failed: HTTP 403/);
    srv.files.set('/f.iso', { body, refuse: [503, 503, 503, 503, 503] });
    await expect(get()).rejects.toThrow(/kept failing: the server answered HTTP 503/);
  });

  it('a finished file is reused only while it still verifies', async () => {
    await get();
    srv.log.length = 0;
    expect((await get()).fromCache).toBe(true);
    expect(srv.log).toEqual([]);
    await writeFile(join(dir, 'f.iso'), 'garbage');
    expect((await get()).fromCache).toBe(false);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(get({ signal: ac.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('trust on first use', () => {
  it('records the first hash, says so plainly, and refuses another one later', async () => {
    const r = await get({ sha256: null });
    const first = await trustDownload({ cacheDir: dir, key: 'virtio-win-0.1.285.iso', what: 'the virtio-win drivers ISO', pinned: false, sha256: r.sha256, bytes: r.bytes, url: 'x' });
    expect(first.basis).toBe('recorded');
    expect(first.note).toMatch(/no SHA-256 is pinned .* trusts this first download and recorded its SHA-256 [0-9a-f]{64}/);
    expect((await firstSeen(dir, 'virtio-win-0.1.285.iso'))?.sha256).toBe(sha256(body));
    const again = await trustDownload({ cacheDir: dir, key: 'virtio-win-0.1.285.iso', what: 'it', pinned: false, sha256: r.sha256, bytes: r.bytes, url: 'x' });
    expect(again.basis).toBe('matched');
    await expect(trustDownload({ cacheDir: dir, key: 'virtio-win-0.1.285.iso', what: 'it', pinned: false, sha256: 'ab'.repeat(32), bytes: 1, url: 'x' })).rejects.toThrow(/must never change: it was refused/);
  });
});
