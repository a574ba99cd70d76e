// Downloads the pinned OpenCorePkg release zip into the cache and hands it out only after its
// SHA-256 matches the pin. OpenCore runs before macOS with full access to the guest's memory and
// disks, so a zip whose bytes are not exactly the pinned ones is never used, cached or kept.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DownloadError } from '../../download/errors';
import { downloadFile, sha256File } from '../../download/file';
import type { DownloadProgress } from '../../download/progress';
import { guestbayPaths } from '../../vm/paths';
import { OPENCORE_PIN, openCoreReleaseUrl, openCoreZipName, type OpenCorePin } from './release';

export class OpenCoreDownloadError extends Error {
  override name = 'OpenCoreDownloadError';
}

export interface FetchOpenCoreOptions {
  /** Default OPENCORE_PIN; tests and release tooling pass their own. */
  pin?: OpenCorePin;
  /** Default GitHub's release asset URL for the pinned version; a mirror or a test server. */
  url?: string;
  /** Default `$XDG_CACHE_HOME/guestbay/opencore`. */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (p: { bytes: number; total: number | null }) => void;
  signal?: AbortSignal;
  /** No bytes for this long: give up. Default 60 s. */
  stallTimeoutMs?: number;
}

export interface FetchedOpenCore {
  path: string;
  version: string;
  sha256: string;
  /** True when a cached zip was verified and reused, false when it was just downloaded. */
  fromCache: boolean;
}

/** Without a pinned size: the 1.0.x releases are ~10 MB, so this only stops a runaway server. */
const DEFAULT_MAX_BYTES = 64 * 2 ** 20;

export function openCoreCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(guestbayPaths(env).cache, 'opencore');
}

export async function fetchOpenCore(o: FetchOpenCoreOptions = {}): Promise<FetchedOpenCore> {
  const pin = o.pin ?? OPENCORE_PIN;
  const want = pin.sha256?.toLowerCase() ?? null;
  if (!want || !/^[0-9a-f]{64}$/.test(want)) {
    throw new OpenCoreDownloadError(
      `OpenCore ${pin.version} has no pinned SHA-256 in this Guestbay build, so it will not download or use it: ` +
        `an unverified boot loader would run with full access to the guest. Use a Guestbay release that pins it ` +
        `(src/main/macos/opencore/release.ts, OPENCORE_PIN).`,
    );
  }
  const dir = o.cacheDir ?? openCoreCacheDir(o.env);
  const dest = join(dir, openCoreZipName(pin.version));

  const cached = await sha256File(dest).catch(() => null);
  if (cached === want) return { path: dest, version: pin.version, sha256: want, fromCache: true };
  // A cached file with other bytes is damaged or was replaced: it must not survive to be used.
  if (cached !== null) await rm(dest, { force: true });

  await mkdir(dir, { recursive: true });
  // A private name per attempt: two guests being prepared at once never share a half file.
  const part = `${dest}.${randomBytes(4).toString('hex')}.download`;
  const url = o.url ?? openCoreReleaseUrl(pin.version);
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new OpenCoreDownloadError(`cannot download from ${u.protocol} URLs (${u.href})`);
  const maxBytes = pin.size ?? DEFAULT_MAX_BYTES;
  try {
    // The shared downloader (download/file.ts); the pin is checked here, with OpenCore's words.
    const got = await downloadFile({
      url,
      dest: part,
      what: `OpenCore ${pin.version}`,
      sha256: null,
      maxBytes,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: (p: DownloadProgress) => o.onProgress!({ bytes: p.bytes, total: p.total || null }) } : {}),
      // A 10 MB zip: a failure is said at once rather than retried for minutes.
      retry: { connectionRetries: 0, stallTimeoutMs: o.stallTimeoutMs ?? 60_000 },
    }).catch((e: unknown) => {
      if (!(e instanceof DownloadError)) throw e;
      if (e.code === 'aborted') throw new OpenCoreDownloadError('the OpenCore download was cancelled');
      if (e.code === 'too-big') throw new OpenCoreDownloadError(`${url} is more than the OpenCore release can be (${maxBytes} bytes)`);
      if (e.code === 'http') throw new OpenCoreDownloadError(`downloading ${url}: ${e.message}`);
      throw new OpenCoreDownloadError(`downloading OpenCore from ${u.host} failed: ${e.message}`);
    });
    if (pin.size !== undefined && got.bytes !== pin.size) {
      throw new OpenCoreDownloadError(
        `${url} sent ${got.bytes} bytes, but OpenCore ${pin.version}'s release zip is ${pin.size} bytes; the download was deleted`,
      );
    }
    if (got.sha256 !== want) {
      throw new OpenCoreDownloadError(
        `${url} does not match the pinned OpenCore ${pin.version}: SHA-256 ${got.sha256}, expected ${want}. ` +
          `The download was deleted and nothing was cached. The file changed upstream or was altered on the way.`,
      );
    }
    await rename(part, dest);
    return { path: dest, version: pin.version, sha256: want, fromCache: false };
  } finally {
    await rm(part, { force: true });
    await rm(`${part}.partial`, { force: true });
  }
}

export { sha256File };

