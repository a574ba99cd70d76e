// Downloads the pinned OpenCorePkg release zip into the cache and hands it out only after its
// SHA-256 matches the pin. OpenCore runs before macOS with full access to the guest's memory and
// disks, so a zip whose bytes are not exactly the pinned ones is never used, cached or kept.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
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

const MAX_REDIRECTS = 5;
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
  const part = `${dest}.${randomBytes(4).toString('hex')}.partial`;
  const url = o.url ?? openCoreReleaseUrl(pin.version);
  try {
    const got = await download(url, part, {
      maxBytes: pin.size ?? DEFAULT_MAX_BYTES,
      stallTimeoutMs: o.stallTimeoutMs ?? 60_000,
      onProgress: o.onProgress,
      signal: o.signal,
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
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

interface DownloadOptions {
  maxBytes: number;
  stallTimeoutMs: number;
  onProgress?: FetchOpenCoreOptions['onProgress'];
  signal?: AbortSignal;
}

/** Streams `url` (following redirects) into `file`, hashing as it goes. */
async function download(url: string, file: string, o: DownloadOptions): Promise<{ bytes: number; sha256: string }> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await request(current, o);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      const next = new URL(res.headers.location, current);
      // The hash protects the bytes, but an https → http hop would still leak what we fetch.
      if (current.protocol === 'https:' && next.protocol !== 'https:') {
        throw new OpenCoreDownloadError(`${current.host} redirected the OpenCore download to insecure ${next.origin}`);
      }
      current = next;
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new OpenCoreDownloadError(`downloading ${current.href} failed: HTTP ${status} ${res.statusMessage ?? ''}`.trim());
    }
    const length = Number(res.headers['content-length']);
    const total = Number.isFinite(length) && length > 0 ? length : null;
    if (total !== null && total > o.maxBytes) {
      res.destroy();
      throw new OpenCoreDownloadError(`${current.href} is ${total} bytes, more than the OpenCore release can be (${o.maxBytes})`);
    }
    return save(res, file, total, o);
  }
  throw new OpenCoreDownloadError(`more than ${MAX_REDIRECTS} redirects downloading ${url}`);
}

function request(u: URL, o: DownloadOptions): Promise<http.IncomingMessage> {
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return Promise.reject(new OpenCoreDownloadError(`cannot download from ${u.protocol} URLs (${u.href})`));
  }
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(u, { headers: { 'User-Agent': 'Guestbay', Accept: 'application/octet-stream' }, signal: o.signal }, resolve);
    req.setTimeout(o.stallTimeoutMs, () => req.destroy(new OpenCoreDownloadError(`no answer from ${u.host} for ${o.stallTimeoutMs / 1000} s`)));
    req.on('error', (err) => reject(wrapNetworkError(err, u)));
  });
}

function save(res: http.IncomingMessage, file: string, total: number | null, o: DownloadOptions): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    const out = createWriteStream(file);
    let bytes = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      res.destroy();
      out.destroy();
      reject(err);
    };
    res.setTimeout(o.stallTimeoutMs, () => fail(new OpenCoreDownloadError(`the OpenCore download stalled for ${o.stallTimeoutMs / 1000} s`)));
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > o.maxBytes) return fail(new OpenCoreDownloadError(`the OpenCore download grew past ${o.maxBytes} bytes; stopped`));
      h.update(chunk);
      if (!out.write(chunk)) {
        res.pause();
        out.once('drain', () => res.resume());
      }
      o.onProgress?.({ bytes, total });
    });
    res.on('error', (err) => fail(wrapNetworkError(err, null)));
    res.on('aborted', () => fail(new OpenCoreDownloadError('the connection closed before the OpenCore download finished')));
    res.on('end', () => {
      if (failed) return;
      if (total !== null && bytes !== total) return fail(new OpenCoreDownloadError(`the OpenCore download ended after ${bytes} of ${total} bytes`));
      out.end(() => resolve({ bytes, sha256: h.digest('hex') }));
    });
    out.on('error', (err) => fail(new OpenCoreDownloadError(`cannot write ${file}: ${err.message}`)));
  });
}

function wrapNetworkError(err: Error, u: URL | null): Error {
  if (err instanceof OpenCoreDownloadError) return err;
  if (err.name === 'AbortError') return new OpenCoreDownloadError('the OpenCore download was cancelled');
  return new OpenCoreDownloadError(`downloading OpenCore${u ? ` from ${u.host}` : ''} failed: ${err.message}`);
}
