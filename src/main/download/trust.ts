// Trust on first use for downloads without a pinned SHA-256: the hash of the first complete
// download is recorded in the cache (first-seen.json) and said to the user; from then on a file
// under that name with any other hash is refused. This protects against a later swap, not
// against a first download that was already wrong — which the message says plainly.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DownloadError } from './errors';

interface Seen {
  sha256: string;
  bytes: number;
  url: string;
  at: string;
}

export function trustFile(cacheDir: string): string {
  return join(cacheDir, 'first-seen.json');
}

async function readSeen(file: string): Promise<Record<string, Seen>> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, Seen>) : {};
  } catch {
    return {};
  }
}

/** The hash recorded for `key` the first time, if any. */
export async function firstSeen(cacheDir: string, key: string): Promise<Seen | undefined> {
  return (await readSeen(trustFile(cacheDir)))[key];
}

export interface TrustOutcome {
  /** 'pinned': matched the pin; 'recorded': first download, its hash now recorded; 'matched': matched the recorded one. */
  basis: 'pinned' | 'recorded' | 'matched';
  /** What to tell the user. */
  note: string;
}

/**
 * Judges a finished download: a pin was already checked by the downloader; without one the
 * first hash is recorded, and later ones must equal it (else DownloadError 'verify').
 */
export async function trustDownload(o: { cacheDir: string; key: string; what: string; pinned: boolean; sha256: string; bytes: number; url: string }): Promise<TrustOutcome> {
  if (o.pinned) return { basis: 'pinned', note: `${o.what}: SHA-256 ${o.sha256} matches the hash pinned in this Guestbay build.` };
  const file = trustFile(o.cacheDir);
  const seen = await readSeen(file);
  const had = seen[o.key];
  if (had) {
    if (had.sha256 !== o.sha256) {
      throw new DownloadError(
        'verify',
        `${o.what} now has SHA-256 ${o.sha256}, but the first one Guestbay downloaded (${had.at}) had ${had.sha256}. ` +
          `A file under the same versioned name must never change: it was refused. If you trust the new one, delete ${file} and try again.`,
      );
    }
    return { basis: 'matched', note: `${o.what}: SHA-256 ${o.sha256}, the same as its first download on ${had.at} (trust on first use).` };
  }
  seen[o.key] = { sha256: o.sha256, bytes: o.bytes, url: o.url, at: new Date().toISOString() };
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(seen, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
  return {
    basis: 'recorded',
    note:
      `${o.what}: no SHA-256 is pinned for it in this Guestbay build, so Guestbay trusts this first download and recorded its ` +
      `SHA-256 ${o.sha256} (${file}); any later download under that name must match it. Compare it with the hash the ` +
      `publisher lists, if you can: a first download that was already tampered with would not be caught.`,
  };
}
