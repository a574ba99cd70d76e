import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/main/cli/output';
import { formatDuration, formatProgress, macosDownload } from '../../../../src/main/cli/macos/download';
import { recoveryTarget } from '../../../../src/main/macos/recovery/index';
import { FakeApple, MiB, buildChunklist, makeTestKey } from '../../macos/recovery/fake-apple';

const key = makeTestKey();
const image = randomBytes(2 * MiB + 4_321);
const chunklist = buildChunklist(image, MiB, key.privateKey);

let apple: FakeApple;
let dir: string;
let out: string[];
let err: string[];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };

beforeEach(async () => {
  apple = await new FakeApple(image, MiB, chunklist).start();
  dir = await mkdtemp(join(tmpdir(), 'guestbay-macos-cli-'));
  await writeFile(join(dir, 'test-key.pem'), key.publicKeyPem);
  out = [];
  err = [];
});
afterEach(async () => {
  await apple.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('guestbay macos download', () => {
  it('sends the board, MLB and os type of the named release and prints progress on stderr', async () => {
    let now = 0;
    const r = await macosDownload(
      io,
      { release: 'Sonoma', dir: 'out', recoveryServer: apple.url, recoveryKey: 'test-key.pem' },
      dir,
      { now: () => (now += 1_000), retry: { retryDelayMs: 1 } },
    );
    expect(r).toEqual({ image: join(dir, 'out', 'BaseSystem.dmg'), chunklist: join(dir, 'out', 'BaseSystem.chunklist'), bytes: image.length });
    expect((await readFile(r.image)).equals(image)).toBe(true);
    const post = apple.log.find((l) => l.method === 'POST');
    expect(post?.body).toMatch(/\nsn=00000000000000000\nbid=Mac-827FAC58A8FDFA22\n.*\nos=default$/s);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(/^Asking http:\/\/127\.0\.0\.1:\d+\/ for macOS Sonoma 14 \(board Mac-827FAC58A8FDFA22, os=default\)…$/);
    // Once at the end, however many updates the download made (the clock moves 1 s per update).
    expect(err.filter((l) => l.includes('(100%)'))).toHaveLength(1);
    expect(err.at(-1)).toMatch(/^BaseSystem\.dmg: 2\.0 MiB of 2\.0 MiB \(100%\)(, [\d.]+ [KMG]?i?B\/s)?$/);
  });

  it('refuses what it can not use before contacting anyone', async () => {
    const fails = async (args: Parameters<typeof macosDownload>[1], re: RegExp) => {
      const e = await macosDownload(io, args, dir).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).toMatch(re);
    };
    await fails({ dir: 'x' }, /--release is required: high-sierra, .*tahoe/);
    await fails({ release: 'lion', dir: 'x' }, /"lion" is not a macOS release/);
    await fails({ release: 'sonoma' }, /--dir is required/);
    await fails({ release: 'sonoma', dir: 'x', recoveryServer: 'osrecovery.apple.com' }, /http:\/\/ or https:\/\//);
    await fails({ release: 'sonoma', dir: 'x', recoveryKey: 'missing.pem' }, /could not read .*missing\.pem \(ENOENT\)/);
    await writeFile(join(dir, 'junk.pem'), 'not a key');
    await fails({ release: 'sonoma', dir: 'x', recoveryKey: 'junk.pem' }, /not an RSA public key in PEM form/);
    expect(apple.log).toEqual([]);
  });

  it('formats progress for people', () => {
    expect(formatProgress({ file: 'BaseSystem.dmg', bytes: 300 * MiB, total: 600 * MiB, bytesPerSecond: 10 * MiB, etaSeconds: 30 })).toBe(
      'BaseSystem.dmg: 300 MiB of 600 MiB (50%), 10 MiB/s, about 30 s left',
    );
    expect(formatProgress({ file: 'BaseSystem.dmg', bytes: 0, total: 600 * MiB, bytesPerSecond: 0, etaSeconds: null })).toBe(
      'BaseSystem.dmg: 0 B of 600 MiB (0%)',
    );
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3 h 2 min');
  });
});

describe('recoveryTarget', () => {
  it('takes a release key or an explicit request', () => {
    expect(recoveryTarget('tahoe')).toEqual({ boardId: 'Mac-CFF7D910A743CAAF', mlb: '00000000000000000', osType: 'latest' });
    expect(recoveryTarget('high-sierra')).toEqual({ boardId: 'Mac-7BA5B2D9E42DDD94', mlb: '00000000000J80300', osType: 'default' });
    const explicit = { boardId: 'Mac-B809C3757DA9BB8D', mlb: '00000000000000000', osType: 'latest' as const };
    expect(recoveryTarget(explicit)).toBe(explicit);
    expect(() => recoveryTarget('lion' as never)).toThrow(/does not know a macOS release called "lion"/);
  });
});
