// Downloads the recovery image to `<name>.partial`, checking every chunk against the signed
// chunklist as it arrives, so nothing unverified is ever written and an interrupted download
// can resume from the last whole chunk. macrecovery.py (OpenCorePkg Utilities/macrecovery,
// save_image + verify_image) downloads first and verifies afterwards; checking as we go means a
// damaged chunk costs one chunk, not the whole image.
import { open, rename, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { chunkMatches, type ChunkEntry, type Chunklist } from './chunklist';
import { RecoveryError, abortedError, describeNetworkError } from './errors';
import { rangeStart, sleep, StallGuard } from '../../download/net';
import { ProgressMeter, type DownloadProgress } from './progress';
import { RECOVERY_USER_AGENT, httpError } from './protocol';

export interface AssetLocation {
  url: string;
  /** AT/CT from the RecoveryImage answer, sent as `Cookie: AssetToken=<token>` (save_image). */
  token: string;
}

export interface RetryPolicy {
  /** Range re-fetches of one damaged chunk before giving up. */
  chunkRetries: number;
  /** Connection failures in a row, with no chunk verified in between, before giving up. */
  connectionRetries: number;
  /** Fresh sessions in a row after 401/403, with no chunk verified in between. */
  tokenRefreshes: number;
  /** First pause before reconnecting; doubles each time, at most 30 s. */
  retryDelayMs: number;
  /** No bytes for this long: the connection is treated as dead. */
  stallTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  chunkRetries: 4,
  connectionRetries: 6,
  tokenRefreshes: 3,
  retryDelayMs: 1_000,
  stallTimeoutMs: 60_000,
};

export interface VerifiedDownloadOptions {
  asset: AssetLocation;
  chunklist: Chunklist;
  /** Final path; the download lives in `${dest}.partial` until every chunk is verified. */
  dest: string;
  /** New URL and token after the server refuses the old token (they expire: see notes). */
  refresh: () => Promise<AssetLocation>;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

const SERVER = "Apple's download server";

type StreamOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; reason: string }
  | { kind: 'refresh'; status: number }
  | { kind: 'bad-chunk'; chunk: ChunkEntry };

class Downloader {
  private fh!: FileHandle;
  /** Bytes at the start of the partial file that are verified whole chunks. */
  private pos = 0;
  /** Index of the next chunk to fetch. */
  private next = 0;
  private asset: AssetLocation;
  private readonly policy: RetryPolicy;
  private readonly meter: ProgressMeter;
  private readonly chunks: ChunkEntry[];
  private readonly buf: Buffer;
  private readonly file: string;

  constructor(private readonly o: VerifiedDownloadOptions) {
    this.asset = o.asset;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...o.retry };
    this.chunks = o.chunklist.chunks;
    this.file = basename(o.dest);
    this.meter = new ProgressMeter(this.file, o.chunklist.imageBytes, o.onProgress);
    this.buf = Buffer.allocUnsafe(Math.max(...this.chunks.map((c) => c.length)));
  }

  get partial(): string {
    return `${this.o.dest}.partial`;
  }

  async run(): Promise<number> {
    // A finished image from an earlier run (another guest of the same release) goes through the
    // same check as a partial one: every chunk still matching means nothing is fetched again.
    const hasPartial = await stat(this.partial).then(() => true, () => false);
    if (!hasPartial && (await stat(this.o.dest).then((s) => s.isFile(), () => false))) await rename(this.o.dest, this.partial);
    this.fh = await open(this.partial, 'r+').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return open(this.partial, 'w+');
      throw err;
    });
    try {
      await this.resume();
      this.meter.update(this.pos, true);
      await this.loop();
      await this.fh.sync();
    } finally {
      await this.fh.close();
    }
    await rename(this.partial, this.o.dest);
    this.meter.update(this.o.chunklist.imageBytes, true);
    return this.o.chunklist.imageBytes;
  }

  /**
   * Keeps the whole chunks already in the partial file that still match the chunklist (a fresh
   * lookup may name a newer image, or the disk may have lost a write) and cuts off the rest.
   */
  private async resume(): Promise<void> {
    const size = (await this.fh.stat()).size;
    while (this.next < this.chunks.length) {
      const c = this.chunks[this.next]!;
      if (c.offset + c.length > size) break;
      const view = this.buf.subarray(0, c.length);
      const { bytesRead } = await this.fh.read(view, 0, c.length, c.offset);
      if (bytesRead !== c.length || !chunkMatches(c, view)) break;
      this.pos += c.length;
      this.next++;
      this.checkAborted();
    }
    if (size !== this.pos) await this.fh.truncate(this.pos);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let refreshes = 0;
    let lastReason = '';
    while (this.next < this.chunks.length) {
      const before = this.pos;
      const out = await this.streamFrom();
      if (this.pos > before) {
        failures = 0;
        refreshes = 0;
      }
      switch (out.kind) {
        case 'done':
          break;
        case 'bad-chunk':
          await this.refetchChunk(out.chunk);
          failures = 0;
          break;
        case 'refresh':
          if (++refreshes > this.policy.tokenRefreshes) {
            throw new RecoveryError(
              'http',
              `${SERVER} kept refusing the download (HTTP ${out.status}) even with a fresh session from Apple's recovery service. ` +
                `What was downloaded is kept; try again later to resume.`,
            );
          }
          await this.refreshAsset();
          break;
        case 'retry':
          lastReason = out.reason;
          if (++failures > this.policy.connectionRetries) {
            throw new RecoveryError(
              'network',
              `The download of ${this.file} kept failing: ${lastReason}. ` +
                `The ${this.pos} bytes verified so far are kept in ${basename(this.partial)}; try again to resume.`,
            );
          }
          await this.sleep(Math.min(this.policy.retryDelayMs * 2 ** (failures - 1), 30_000));
          break;
      }
    }
  }

  private async refreshAsset(): Promise<void> {
    this.asset = await this.o.refresh();
  }

  private headers(range?: string): Record<string, string> {
    const h: Record<string, string> = {
      'User-Agent': RECOVERY_USER_AGENT,
      Cookie: `AssetToken=${this.asset.token}`,
      // Byte ranges must refer to the image itself, never to a compressed transfer of it.
      'Accept-Encoding': 'identity',
    };
    if (range) h.Range = range;
    return h;
  }

  /** One GET from the first unverified byte to the end, verifying chunk by chunk. */
  private async streamFrom(): Promise<StreamOutcome> {
    const guard = new StallGuard(this.policy.stallTimeoutMs, this.o.signal);
    const { ctrl, signal } = guard;
    const arm = () => guard.arm();
    const failed = (err: unknown): StreamOutcome => {
      this.checkAborted();
      return { kind: 'retry', reason: guard.stalled ? 'the server stopped sending data' : describeNetworkError(err) };
    };

    try {
      let res: Response;
      try {
        res = await fetch(this.asset.url, {
          headers: this.headers(this.pos > 0 ? `bytes=${this.pos}-` : undefined),
          signal,
        });
      } catch (err) {
        return failed(err);
      }
      if (res.status === 401 || res.status === 403) {
        ctrl.abort();
        return { kind: 'refresh', status: res.status };
      }
      if (res.status >= 500 || res.status === 429) {
        ctrl.abort();
        return { kind: 'retry', reason: `the server answered HTTP ${res.status}` };
      }
      if (res.status === 200) {
        if (this.pos > 0) {
          // The server ignored our Range and is sending the image from its first byte. Appending
          // that to the partial file would corrupt it, so start over and take this answer as is.
          await this.fh.truncate(0);
          this.pos = 0;
          this.next = 0;
          this.meter.reset();
        }
      } else if (res.status === 206) {
        if (rangeStart(res) !== this.pos) {
          ctrl.abort();
          throw new RecoveryError('protocol', `${SERVER} sent the wrong part of ${this.file} (asked for byte ${this.pos} on, got "${res.headers.get('content-range') ?? 'no range'}").`);
        }
      } else {
        ctrl.abort();
        throw httpError(res, SERVER, `when downloading ${this.file}`);
      }
      if (!res.body) return { kind: 'retry', reason: 'the server sent no data' };

      let filled = 0;
      let bad: ChunkEntry | undefined;
      try {
        // Node's fetch body is async-iterable; DOM's ReadableStream type (seen by the renderer
        // tests' tsconfig) does not say so.
        for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
          arm();
          let at = 0;
          while (at < piece.length && !bad) {
            const c = this.chunks[this.next];
            if (!c) {
              ctrl.abort();
              throw new RecoveryError('verify', `${SERVER} sent more of ${this.file} than its chunklist lists; the download was refused.`);
            }
            const take = Math.min(c.length - filled, piece.length - at);
            this.buf.set(piece.subarray(at, at + take), filled);
            filled += take;
            at += take;
            if (filled < c.length) continue;
            const view = this.buf.subarray(0, c.length);
            if (!chunkMatches(c, view)) {
              bad = c;
              break;
            }
            await this.accept(c, view);
            filled = 0;
          }
          // Leaving the loop cancels the body; the rest of this answer is not wanted.
          if (bad) break;
          this.meter.update(this.pos + filled);
        }
      } catch (err) {
        if (err instanceof RecoveryError) throw err;
        if (!bad) return failed(err);
      }
      if (bad) {
        ctrl.abort();
        return { kind: 'bad-chunk', chunk: bad };
      }
      if (this.next < this.chunks.length) return { kind: 'retry', reason: 'the connection ended before the whole image arrived' };
      return { kind: 'done' };
    } finally {
      guard.clear();
    }
  }

  private async accept(c: ChunkEntry, bytes: Buffer): Promise<void> {
    await this.fh.write(bytes, 0, c.length, c.offset);
    this.pos = c.offset + c.length;
    this.next = c.index + 1;
    this.meter.update(this.pos, true);
  }

  /**
   * A chunk failed its SHA-256: ask for exactly its bytes again. It is never written unless it
   * matches; after `chunkRetries` damaged copies the download stops.
   */
  private async refetchChunk(c: ChunkEntry): Promise<void> {
    this.meter.reset();
    let last = 'damaged';
    for (let attempt = 1; attempt <= this.policy.chunkRetries; attempt++) {
      this.checkAborted();
      const guard = new StallGuard(this.policy.stallTimeoutMs, this.o.signal);
      try {
        const got = await this.fetchChunkOnce(c, guard);
        if (got === 'ok') return;
        last = got;
      } catch (err) {
        if (err instanceof RecoveryError) throw err;
        this.checkAborted();
        last = guard.stalled ? 'the server stopped sending data' : describeNetworkError(err);
      } finally {
        guard.clear();
      }
      if (last !== 'damaged') await this.sleep(this.policy.retryDelayMs);
    }
    throw new RecoveryError(
      'verify',
      `Part ${c.index + 1} of ${this.chunks.length} of ${this.file} could not be downloaded intact ` +
        `(${last === 'damaged' ? 'it arrived damaged every time' : last}); nothing damaged was kept. Try again later to resume.`,
    );
  }

  /** One Range request for chunk `c`: 'ok' once it is verified and written, else why not. */
  private async fetchChunkOnce(c: ChunkEntry, guard: StallGuard): Promise<string> {
    const res = await fetch(this.asset.url, {
      headers: this.headers(`bytes=${c.offset}-${c.offset + c.length - 1}`),
      signal: guard.signal,
    });
    const drop = () => res.body?.cancel().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      await drop();
      await this.refreshAsset();
      return `the server refused the download token (HTTP ${res.status})`;
    }
    if (res.status !== 200 && res.status !== 206) {
      await drop();
      return `the server answered HTTP ${res.status}`;
    }
    if (res.status === 206 && rangeStart(res) !== c.offset) {
      await drop();
      return 'the server sent the wrong part of the image';
    }
    // A 200 is the whole image: skip to the chunk, since only its bytes are wanted.
    const bytes = await readSlice(res, res.status === 200 ? c.offset : 0, c.length, () => guard.arm());
    if (!bytes) return 'the server sent too few bytes';
    if (!chunkMatches(c, bytes)) return 'damaged';
    await this.accept(c, bytes);
    return 'ok';
  }

  private checkAborted(): void {
    if (this.o.signal?.aborted) throw abortedError();
  }

  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.o.signal, abortedError);
  }
}

/** Reads `length` bytes after skipping `skip`, then drops the connection; null if the body ends first. */
async function readSlice(res: Response, skip: number, length: number, onData: () => void): Promise<Buffer | null> {
  if (!res.body) return null;
  const out = Buffer.allocUnsafe(length);
  let seen = 0;
  let filled = 0;
  const reader = res.body.getReader();
  try {
    while (filled < length) {
      const { done, value } = await reader.read();
      if (done) return null;
      onData();
      const from = Math.max(0, skip - seen);
      seen += value.length;
      if (from >= value.length) continue;
      const take = Math.min(value.length - from, length - filled);
      out.set(value.subarray(from, from + take), filled);
      filled += take;
    }
    return out;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Downloads and verifies one image; resolves with its size once it has its final name. */
export function downloadVerified(o: VerifiedDownloadOptions): Promise<number> {
  return new Downloader(o).run();
}
