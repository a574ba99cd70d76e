// The downloader every whole-file download goes through (virtio-win, a Windows ISO, OpenCore):
// into `<dest>.partial`, hashed with SHA-256 while it streams, resumed by HTTP Range after a
// dropped connection (the bytes already on disk are hashed again first, so a resume never trusts
// them blindly), and renamed to `dest` only once the whole file has the hash it must have. The
// macOS recovery image is verified chunk by chunk instead (recovery/download.ts) and shares the
// wire helpers (net.ts) and the progress meter (progress.ts).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { DownloadError } from './errors';
import { describeNetworkError, rangeStart, rangeTotal, sleep, StallGuard } from './net';
import { ProgressMeter, type DownloadProgress } from './progress';

export interface FileDownloadOptions {
  url: string;
  /** Final path; the bytes live in `${dest}.partial` until the whole file is verified. */
  dest: string;
  /** What it is, for messages: "the virtio-win drivers ISO". */
  what: string;
  /** The SHA-256 it must have; null: unknown (the caller records the first one: trust on first use). */
  sha256: string | null;
  /** Stops a runaway server. */
  maxBytes?: number;
  headers?: Record<string, string>;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  retry?: Partial<FileRetryPolicy>;
}

export interface FileRetryPolicy {
  /** Failures in a row with no byte gained in between, before giving up. */
  connectionRetries: number;
  /** First pause before reconnecting; doubles each time, at most 30 s. */
  retryDelayMs: number;
  /** No bytes for this long: the connection is treated as dead. */
  stallTimeoutMs: number;
}

export const DEFAULT_FILE_RETRY: FileRetryPolicy = { connectionRetries: 6, retryDelayMs: 1_000, stallTimeoutMs: 60_000 };

export interface DownloadedFile {
  path: string;
  sha256: string;
  bytes: number;
  /** A finished file from an earlier run, verified and reused: nothing was fetched. */
  fromCache: boolean;
  /** Bytes an interrupted earlier run left that this one resumed from. */
  resumedFrom: number;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function downloadFile(o: FileDownloadOptions): Promise<DownloadedFile> {
  const want = o.sha256?.toLowerCase() ?? null;
  const cached = await stat(o.dest).then((s) => (s.isFile() ? s.size : null), () => null);
  if (cached !== null) {
    const got = await sha256File(o.dest);
    // Without a known hash the caller compares it with the one it recorded.
    if (want === null || got === want) return { path: o.dest, sha256: got, bytes: cached, fromCache: true, resumedFrom: 0 };
    // A cached file with other bytes is damaged or was replaced: it must not survive to be used.
    await rm(o.dest, { force: true });
  }
  await mkdir(dirname(o.dest), { recursive: true });
  return new FileDownloader(o, want).run();
}

type Outcome = { kind: 'done' } | { kind: 'retry'; reason: string };

class FileDownloader {
  private fh!: FileHandle;
  private pos = 0;
  private hash: Hash = createHash('sha256');
  private total: number | null = null;
  private resumedFrom = 0;
  private readonly policy: FileRetryPolicy;
  private meter: ProgressMeter | undefined;
  private readonly file: string;

  constructor(
    private readonly o: FileDownloadOptions,
    private readonly want: string | null,
  ) {
    this.policy = { ...DEFAULT_FILE_RETRY, ...o.retry };
    this.file = basename(o.dest);
  }

  private get partial(): string {
    return `${this.o.dest}.partial`;
  }

  async run(): Promise<DownloadedFile> {
    this.fh = await open(this.partial, 'r+').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return open(this.partial, 'w+');
      throw err;
    });
    let digest: string;
    try {
      // What an interrupted run left is hashed again: the digest covers every byte of the file.
      for await (const chunk of this.fh.createReadStream({ autoClose: false, start: 0 })) {
        this.hash.update(chunk as Buffer);
        this.pos += (chunk as Buffer).length;
        this.checkAborted();
      }
      this.resumedFrom = this.pos;
      await this.loop();
      await this.fh.sync();
      digest = this.hash.digest('hex');
    } finally {
      await this.fh.close();
    }
    if (this.want !== null && digest !== this.want) {
      await rm(this.partial, { force: true });
      throw new DownloadError(
        'verify',
        `${this.o.what} (${this.file}) does not have the SHA-256 it must have: got ${digest}, expected ${this.want}. ` +
          `The download was damaged on the way or the file changed at ${new URL(this.o.url).host}; it was deleted, and nothing was kept. Try again.`,
      );
    }
    await rename(this.partial, this.o.dest);
    this.meter?.update(this.pos, true);
    return { path: this.o.dest, sha256: digest, bytes: this.pos, fromCache: false, resumedFrom: this.resumedFrom };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    for (;;) {
      const before = this.pos;
      const out = await this.streamFrom();
      if (out.kind === 'done') return;
      if (this.pos > before) failures = 0;
      if (++failures > this.policy.connectionRetries) {
        throw new DownloadError(
          'network',
          `The download of ${this.o.what} (${this.file}) kept failing: ${out.reason}. ` +
            `The ${this.pos} bytes received so far are kept in ${basename(this.partial)}; try again to resume.`,
        );
      }
      await sleep(Math.min(this.policy.retryDelayMs * 2 ** (failures - 1), 30_000), this.o.signal, aborted);
    }
  }

  private async restart(): Promise<void> {
    await this.fh.truncate(0);
    this.pos = 0;
    this.hash = createHash('sha256');
    this.meter?.reset();
  }

  /** One GET from the first missing byte to the end. */
  private async streamFrom(): Promise<Outcome> {
    const guard = new StallGuard(this.policy.stallTimeoutMs, this.o.signal);
    const failed = (err: unknown): Outcome => {
      this.checkAborted();
      return { kind: 'retry', reason: guard.stalled ? 'the server stopped sending data' : describeNetworkError(err) };
    };
    try {
      let res: Response;
      try {
        res = await fetch(this.o.url, {
          headers: {
            'User-Agent': 'Guestbay',
            // Byte ranges must refer to the file itself, never to a compressed transfer of it.
            'Accept-Encoding': 'identity',
            ...this.o.headers,
            ...(this.pos > 0 ? { Range: `bytes=${this.pos}-` } : {}),
          },
          signal: guard.signal,
        });
      } catch (err) {
        return failed(err);
      }
      const drop = () => guard.ctrl.abort();
      // The hash protects the bytes, but an https → http redirect would still leak what is fetched.
      if (new URL(this.o.url).protocol === 'https:' && res.url && new URL(res.url).protocol !== 'https:') {
        drop();
        throw new DownloadError('http', `${new URL(this.o.url).host} redirected the download of ${this.o.what} to insecure ${new URL(res.url).origin}; refused.`);
      }
      if (res.status === 416 && this.pos > 0) {
        // Nothing after our last byte: either the file is whole already or the partial file is
        // longer than the file now is. Start over; the hash decides.
        drop();
        if (this.total === this.pos) return { kind: 'done' };
        await this.restart();
        return { kind: 'retry', reason: 'the server had no bytes after the ones kept (HTTP 416)' };
      }
      if (res.status >= 500 || res.status === 429) {
        drop();
        return { kind: 'retry', reason: `the server answered HTTP ${res.status}` };
      }
      if (res.status === 200) {
        // The whole file: either a first request, or a server that ignored our Range (appending
        // its answer would corrupt the file, so start over and take it as is).
        if (this.pos > 0) await this.restart();
        const len = Number(res.headers.get('content-length'));
        this.total = Number.isFinite(len) && len > 0 ? len : null;
      } else if (res.status === 206) {
        if (rangeStart(res) !== this.pos) {
          drop();
          await this.restart();
          return { kind: 'retry', reason: `the server sent the wrong part (asked for byte ${this.pos} on, got "${res.headers.get('content-range') ?? 'no range'}")` };
        }
        this.total = rangeTotal(res) ?? this.total;
      } else {
        drop();
        throw new DownloadError('http', `Downloading ${this.o.what} from ${new URL(this.o.url).host} failed: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
      }
      if (this.total !== null && this.o.maxBytes !== undefined && this.total > this.o.maxBytes) {
        drop();
        throw new DownloadError('too-big', `${this.o.what} at ${this.o.url} is ${this.total} bytes, more than it can be (${this.o.maxBytes}); not downloaded.`);
      }
      this.meter ??= new ProgressMeter(this.file, this.total ?? 0, this.o.onProgress);
      this.meter.update(this.pos, true);
      if (!res.body) return { kind: 'retry', reason: 'the server sent no data' };
      try {
        for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
          guard.arm();
          if (this.o.maxBytes !== undefined && this.pos + piece.length > this.o.maxBytes) {
            drop();
            await this.restart();
            throw new DownloadError('too-big', `${this.o.what} grew past ${this.o.maxBytes} bytes; the download was stopped and deleted.`);
          }
          await this.fh.write(piece, 0, piece.length, this.pos);
          this.hash.update(piece);
          this.pos += piece.length;
          this.meter.update(this.pos);
        }
      } catch (err) {
        if (err instanceof DownloadError) throw err;
        return failed(err);
      }
      if (this.total !== null && this.pos < this.total) return { kind: 'retry', reason: 'the connection ended before the whole file arrived' };
      return { kind: 'done' };
    } finally {
      guard.clear();
    }
  }

  private checkAborted(): void {
    if (this.o.signal?.aborted) throw aborted();
  }
}

function aborted(): DownloadError {
  return new DownloadError('aborted', 'The download was cancelled; what arrived is kept to resume.');
}
