import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadRecovery, type DownloadProgress, type DownloadRecoveryOptions } from '../../../../src/main/macos/recovery/index';
import { RecoveryError } from '../../../../src/main/macos/recovery/errors';
import { FakeApple, MiB, buildChunklist, makeTestKey } from './fake-apple';

const key = makeTestKey();
// Four chunks, the last one short, like Apple's (their chunks are larger, the shape the same).
const image = randomBytes(3 * MiB + 123_457);
const chunklist = buildChunklist(image, MiB, key.privateKey);
const release = { boardId: 'Mac-827FAC58A8FDFA22', mlb: '00000000000000000', osType: 'default' as const };

let apple: FakeApple;
let dir: string;

beforeEach(async () => {
  apple = await new FakeApple(image, MiB, chunklist).start();
  dir = await mkdtemp(join(tmpdir(), 'guestbay-recovery-'));
});
afterEach(async () => {
  await apple.stop();
  await rm(dir, { recursive: true, force: true });
});

function options(extra: Partial<DownloadRecoveryOptions> = {}): DownloadRecoveryOptions {
  return {
    release,
    dir,
    recoveryServer: apple.url,
    publicKeyPem: key.publicKeyPem,
    retry: { retryDelayMs: 5, stallTimeoutMs: 5_000 },
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<RecoveryError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RecoveryError);
    return err as RecoveryError;
  }
  throw new Error('expected the download to fail');
}

const ranges = () => apple.imageRequests().map((l) => l.headers.range ?? null);

describe('downloadRecovery', () => {
  it('reuses a finished image that still verifies, and re-fetches from the first chunk that does not', async () => {
    const first = await downloadRecovery(options());
    const requests = apple.imageRequests().length;
    await downloadRecovery(options());
    expect(apple.imageRequests().length).toBe(requests);

    const damaged = Buffer.from(image);
    damaged[2 * MiB + 5]! ^= 0xff;
    await writeFile(first.image, damaged);
    const again = await downloadRecovery(options());
    expect(ranges().slice(requests)).toEqual([`bytes=${2 * MiB}-`]);
    expect((await readFile(again.image)).equals(image)).toBe(true);
  });

  it('speaks the recovery protocol and downloads a verified image', async () => {
    const seen: DownloadProgress[] = [];
    const res = await downloadRecovery(options({ onProgress: (p) => seen.push(p) }));

    expect(res).toEqual({ image: join(dir, 'BaseSystem.dmg'), chunklist: join(dir, 'BaseSystem.chunklist'), bytes: image.length });
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect((await readFile(res.chunklist)).equals(chunklist)).toBe(true);
    await expect(stat(`${res.image}.partial`)).rejects.toThrow();

    const [root, post] = apple.log;
    expect(root?.headers['user-agent']).toBe('InternetRecovery/1.0');
    expect(post?.method).toBe('POST');
    expect(post?.headers.cookie).toMatch(/^session=[0-9a-f]+$/);
    expect(post?.headers['content-type']).toBe('text/plain');
    expect(post?.body).toMatch(
      /^cid=[0-9A-F]{16}\nsn=00000000000000000\nbid=Mac-827FAC58A8FDFA22\nk=[0-9A-F]{64}\nfg=[0-9A-F]{64}\nos=default$/,
    );
    for (const l of apple.log.filter((x) => x.path.startsWith('/content/'))) {
      expect(l.headers.cookie).toMatch(/^AssetToken=[0-9a-f]+$/);
    }
    expect(ranges()).toEqual([null]);

    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ file: 'BaseSystem.dmg', bytes: image.length, total: image.length, etaSeconds: 0 });
    expect(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1]!.bytes)).toBe(true);
  });

  it('detects a corrupted chunk and re-fetches exactly its bytes', async () => {
    apple.knobs.corruptChunk = 2;
    const res = await downloadRecovery(options());
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(ranges()).toEqual([null, `bytes=${2 * MiB}-${3 * MiB - 1}`, `bytes=${3 * MiB}-`]);
  });

  it('gives up on a chunk that keeps arriving damaged, keeping only verified chunks', async () => {
    apple.knobs = { corruptChunk: 1, corruptTimes: 100 };
    const err = await failure(downloadRecovery(options({ retry: { retryDelayMs: 1, chunkRetries: 2 } })));
    expect(err.code).toBe('verify');
    expect(err.message).toMatch(/Part 2 of 4 of BaseSystem\.dmg could not be downloaded intact \(it arrived damaged every time\)/);
    expect(ranges()).toEqual([null, `bytes=${MiB}-${2 * MiB - 1}`, `bytes=${MiB}-${2 * MiB - 1}`]);
    expect((await stat(join(dir, 'BaseSystem.dmg.partial'))).size).toBe(MiB);
  });

  it('resumes a cut connection from the last whole chunk', async () => {
    apple.knobs.cutAfterBytes = 2 * MiB + 5_000;
    const res = await downloadRecovery(options());
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(ranges()).toEqual([null, `bytes=${2 * MiB}-`]);
  });

  it('treats a silent connection as dead and resumes', async () => {
    apple.knobs.hangAfterBytes = MiB + 10;
    const res = await downloadRecovery(options({ retry: { retryDelayMs: 1, stallTimeoutMs: 300 } }));
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(ranges()).toEqual([null, `bytes=${MiB}-`]);
  });

  it('resumes a partial file left by an earlier run, dropping its incomplete chunk', async () => {
    await writeFile(join(dir, 'BaseSystem.dmg.partial'), image.subarray(0, 2 * MiB + 300_000));
    const res = await downloadRecovery(options());
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(ranges()).toEqual([`bytes=${2 * MiB}-`]);
  });

  it('drops damaged chunks found in a partial file', async () => {
    const stale = Buffer.from(image.subarray(0, 3 * MiB));
    stale[MiB + 5]! ^= 1;
    await writeFile(join(dir, 'BaseSystem.dmg.partial'), stale);
    const res = await downloadRecovery(options());
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(ranges()).toEqual([`bytes=${MiB}-`]);
  });

  it('an interrupted run leaves whole verified chunks that the next run continues from', async () => {
    apple.knobs.cutAfterBytes = 2 * MiB + 5_000;
    const err = await failure(downloadRecovery(options({ retry: { connectionRetries: 0, retryDelayMs: 1 } })));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/kept failing/);
    expect((await stat(join(dir, 'BaseSystem.dmg.partial'))).size).toBe(2 * MiB);

    const res = await downloadRecovery(options());
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(ranges()).toEqual([null, `bytes=${2 * MiB}-`]);
  });

  it('starts over safely when the server ignores Range (200 instead of 206)', async () => {
    apple.knobs.ignoreRange = true;
    await writeFile(join(dir, 'BaseSystem.dmg.partial'), image.subarray(0, MiB + 10));
    const res = await downloadRecovery(options());
    expect(apple.imageRequests().map((l) => l.status)).toEqual([200]);
    expect((await readFile(res.image)).equals(image)).toBe(true);
  });

  it('gets a fresh session and token when the CDN refuses an expired one', async () => {
    apple.knobs.expireFirstTokens = true;
    await writeFile(join(dir, 'BaseSystem.dmg.partial'), image.subarray(0, MiB));
    const res = await downloadRecovery(options());
    expect((await readFile(res.image)).equals(image)).toBe(true);
    expect(apple.log.filter((l) => l.method === 'POST')).toHaveLength(2);
    expect(apple.imageRequests().map((l) => [l.status, l.headers.range])).toEqual([
      [403, `bytes=${MiB}-`],
      [206, `bytes=${MiB}-`],
    ]);
  });

  it('refuses a chunklist with a bad signature and downloads no image', async () => {
    apple.knobs.chunklistOverride = buildChunklist(image, MiB, key.privateKey, { damageSignature: true });
    const err = await failure(downloadRecovery(options()));
    expect(err.code).toBe('chunklist');
    expect(err.message).toMatch(/not signed by Apple/);
    expect(apple.imageRequests()).toHaveLength(0);
  });

  it('refuses a chunklist with the wrong magic', async () => {
    apple.knobs.chunklistOverride = buildChunklist(image, MiB, key.privateKey, { magic: 'KLNC' });
    const err = await failure(downloadRecovery(options()));
    expect(err.message).toMatch(/not an Apple chunklist \(magic/);
  });

  it('refuses the test-signed chunklist against Apple’s own key (the default)', async () => {
    const { publicKeyPem: _, ...rest } = options();
    const err = await failure(downloadRecovery(rest));
    expect(err.message).toMatch(/not signed by Apple/);
  });

  it('reports an HTTP 500 from the recovery service in plain words', async () => {
    apple.knobs.rootStatus = 500;
    const err = await failure(downloadRecovery(options()));
    expect(err.code).toBe('http');
    expect(err.message).toBe("Apple's recovery service answered with an error (HTTP 500 Internal Server Error) when starting a session.");
    apple.knobs = { recoveryStatus: 500 };
    expect((await failure(downloadRecovery(options()))).message).toMatch(/HTTP 500 .* when asked for the Mac-827FAC58A8FDFA22 recovery image/);
  });

  it('names a missing key in plain words', async () => {
    apple.knobs.omitKey = 'AU';
    const err = await failure(downloadRecovery(options()));
    expect(err.code).toBe('protocol');
    expect(err.message).toBe("Apple's recovery service answered without the image's address (AU).");
  });

  it('reports an unreachable server in plain words', async () => {
    const url = apple.url;
    await apple.stop();
    apple = await new FakeApple(image, MiB, chunklist).start();
    const err = await failure(downloadRecovery(options({ recoveryServer: url })));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/^Could not reach Apple's recovery service at 127\.0\.0\.1:\d+: the server refused the connection\.$/);
  });

  it('stops when cancelled, keeping the verified part', async () => {
    const ctrl = new AbortController();
    const err = await failure(
      downloadRecovery(
        options({
          signal: ctrl.signal,
          onProgress: (p) => {
            if (p.bytes >= MiB) ctrl.abort();
          },
        }),
      ),
    );
    expect(err.code).toBe('aborted');
    expect((await stat(join(dir, 'BaseSystem.dmg.partial'))).size % MiB).toBe(0);
  });
});
