// Fetches a macOS recovery image from Apple the way a Mac's firmware does (OpenCorePkg
// Utilities/macrecovery/macrecovery.py action_download: session, RecoveryImage, chunklist,
// image), but refuses anything Apple didn't sign instead of warning and carrying on.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { appleEfiRomPublicKey, parseChunklist, type Chunklist } from './chunklist';
import { downloadVerified, type AssetLocation, type RetryPolicy } from './download';
import { RecoveryError, abortedError, describeNetworkError } from './errors';
import type { DownloadProgress } from './progress';
import { DEFAULT_RECOVERY_SERVER, RECOVERY_USER_AGENT, httpError, lookUpRecovery, recoveryFetch, type RecoveryInfo, type RecoveryTarget } from './protocol';
import type { MacosReleaseKey } from '../../../shared/os/macos-releases';
import { recoveryRequest } from './boards';

export { RecoveryError } from './errors';
export type { RecoveryErrorCode } from './errors';
export type { DownloadProgress } from './progress';
export type { RecoveryTarget, RecoveryInfo } from './protocol';
export { DEFAULT_RECOVERY_SERVER } from './protocol';
export { parseChunklist, appleEfiRomPublicKey } from './chunklist';

export interface DownloadRecoveryOptions {
  /**
   * A release key ('sonoma': its board ID, MLB and os type from boards.ts), or an
   * explicit request such as an ALTERNATIVE_RECOVERY_REQUESTS entry.
   */
  release: MacosReleaseKey | RecoveryTarget;
  /** Folder for the image and chunklist (created if missing). */
  dir: string;
  /** Defaults to http://osrecovery.apple.com/ (tests point it at a local server). */
  recoveryServer?: string;
  /** Key that must have signed the chunklist; defaults to Apple's EFI ROM key. */
  publicKeyPem?: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Retry counts and timings (tests shorten them). */
  retry?: Partial<RetryPolicy>;
}

export interface DownloadRecoveryResult {
  image: string;
  chunklist: string;
  /** Image size in bytes. */
  bytes: number;
}

/** The board ID, MLB and os type Guestbay sends for a release (boards.ts). */
export function recoveryTarget(release: MacosReleaseKey | RecoveryTarget): RecoveryTarget {
  if (typeof release !== 'string') return release;
  const r = recoveryRequest(release);
  if (!r) throw new RecoveryError('protocol', `Guestbay does not know a macOS release called "${release}".`);
  return r;
}

/** Chunklists are a few KiB (36 bytes per chunk); anything huge is not one. */
const MAX_CHUNKLIST_BYTES = 4 * 2 ** 20;

/** The file name at the end of an Apple URL, refusing anything that could leave `dir`. */
export function fileNameFromUrl(url: string, what: string): string {
  let name = '';
  try {
    name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    /* reported below */
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new RecoveryError('protocol', `Apple's recovery service gave ${what} an address without a usable file name (${url}).`);
  }
  return name;
}

async function fetchChunklist(
  info: RecoveryInfo,
  key: KeyObject,
  server: string,
  target: RecoveryTarget,
  signal?: AbortSignal,
): Promise<{ bytes: Buffer; list: Chunklist }> {
  let asset: AssetLocation = { url: info.chunklistUrl, token: info.chunklistToken };
  for (let attempt = 0; ; attempt++) {
    const res = await recoveryFetch(
      asset.url,
      { headers: { 'User-Agent': RECOVERY_USER_AGENT, Cookie: `AssetToken=${asset.token}`, 'Accept-Encoding': 'identity' } },
      "Apple's download server",
      signal,
    );
    if ((res.status === 401 || res.status === 403) && attempt === 0) {
      await res.body?.cancel().catch(() => undefined);
      const fresh = await lookUpRecovery(server, target, signal);
      asset = { url: fresh.chunklistUrl, token: fresh.chunklistToken };
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw httpError(res, "Apple's download server", 'when downloading the chunklist');
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_CHUNKLIST_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      throw new RecoveryError('chunklist', `The chunklist is ${declared} bytes, far more than an Apple chunklist; it was refused.`);
    }
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (signal?.aborted) throw abortedError();
      throw new RecoveryError('network', `The chunklist download was cut off: ${describeNetworkError(err)}.`, { cause: err });
    }
    return { bytes, list: parseChunklist(bytes, key) };
  }
}

/**
 * Downloads the recovery image (e.g. BaseSystem.dmg) and its chunklist into `dir`, verifying
 * the chunklist's signature and every chunk of the image. An interrupted run leaves
 * `<image>.partial`; calling again resumes from its last whole verified chunk.
 */
export async function downloadRecovery(options: DownloadRecoveryOptions): Promise<DownloadRecoveryResult> {
  const o = { ...options, release: recoveryTarget(options.release) };
  const server = o.recoveryServer ?? DEFAULT_RECOVERY_SERVER;
  const key = o.publicKeyPem ? createPublicKey(o.publicKeyPem) : appleEfiRomPublicKey();
  await mkdir(o.dir, { recursive: true });

  const info = await lookUpRecovery(server, o.release, o.signal);
  const imageName = fileNameFromUrl(info.imageUrl, 'the image');
  const chunklistName = fileNameFromUrl(info.chunklistUrl, 'the chunklist');
  if (imageName === chunklistName) {
    throw new RecoveryError('protocol', `Apple's recovery service gave the image and the chunklist the same file name (${imageName}).`);
  }

  // The chunklist first: without a signed one there is nothing to check the image against.
  const { bytes: listBytes, list } = await fetchChunklist(info, key, server, o.release, o.signal);
  const chunklist = join(o.dir, chunklistName);
  await writeFile(`${chunklist}.partial`, listBytes);
  await rename(`${chunklist}.partial`, chunklist);

  const image = join(o.dir, imageName);
  const bytes = await downloadVerified({
    asset: { url: info.imageUrl, token: info.imageToken },
    chunklist: list,
    dest: image,
    // Asset tokens expire (a resumed download can outlive them): a fresh session and
    // RecoveryImage answer give a new one, as a Mac's firmware would get.
    refresh: async () => {
      const fresh = await lookUpRecovery(server, o.release, o.signal);
      if (fresh.product !== info.product) {
        // Our chunklist describes the old image; its chunks would fail against the new one.
        throw new RecoveryError(
          'protocol',
          `Apple replaced the recovery image during the download (${info.product} is now ${fresh.product}). Start the download again.`,
        );
      }
      return { url: fresh.imageUrl, token: fresh.imageToken };
    },
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.retry ? { retry: o.retry } : {}),
  });
  return { image, chunklist, bytes };
}
