// The virtio-win drivers disc: the user's own ISO, or the pinned archived release from the
// Fedora project, downloaded once into the cache for every guest (resumable; checked against
// the pin, or against the hash recorded on its first download: trust on first use).
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { downloadFile } from '../download/file';
import type { DownloadProgress } from '../download/progress';
import { VIRTIO_WIN_PIN, type DownloadPin } from '../download/pins';
import { trustDownload, type TrustOutcome } from '../download/trust';
import { guestbayPaths } from '../vm/paths';
import { readVolumeLabel } from './iso/recognize';

export function downloadsCacheDir(env: NodeJS.ProcessEnv): string {
  return join(guestbayPaths(env).cache, 'downloads');
}

export interface VirtioWin {
  path: string;
  /** What to tell the user about where it came from and how it was checked. */
  note: string;
  trust?: TrustOutcome;
}

export class VirtioWinError extends Error {
  override name = 'VirtioWinError';
}

/** The user's own disc: it must be an ISO labelled like virtio-win's (virtio-win-0.1.NNN). */
export async function ownVirtioWin(path: string): Promise<VirtioWin> {
  if (!(await stat(path).then((s) => s.isFile(), () => false))) throw new VirtioWinError(`${path} is not a file`);
  const label = await readVolumeLabel(path).catch((e: Error) => {
    throw new VirtioWinError(e.message);
  });
  if (!/^virtio-win/i.test(label)) throw new VirtioWinError(`${path} is labelled "${label}", not like a virtio-win disc (virtio-win-0.1.NNN)`);
  return { path, note: `virtio-win: your disc ${path} (${label})` };
}

export async function fetchVirtioWin(o: { env: NodeJS.ProcessEnv; pin?: DownloadPin; url?: string; onProgress?: (p: DownloadProgress) => void; signal?: AbortSignal; retryDelayMs?: number }): Promise<VirtioWin> {
  const pin = o.pin ?? VIRTIO_WIN_PIN;
  const dir = downloadsCacheDir(o.env);
  const url = o.url ?? pin.url;
  const got = await downloadFile({
    url,
    dest: join(dir, pin.file),
    what: pin.what,
    sha256: pin.sha256,
    maxBytes: pin.maxBytes,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.retryDelayMs !== undefined ? { retry: { retryDelayMs: o.retryDelayMs } } : {}),
  });
  const trust = await trustDownload({ cacheDir: dir, key: pin.file, what: `${pin.what} ${pin.version}`, pinned: pin.sha256 !== null, sha256: got.sha256, bytes: got.bytes, url });
  return { path: got.path, note: `${got.fromCache ? 'cached, verified again' : 'downloaded'}: ${trust.note}`, trust };
}
