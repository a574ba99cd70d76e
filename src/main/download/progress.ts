// Progress for a long download (any of Guestbay's: recovery, OpenCore, virtio-win, a Windows ISO):
// bytes so far, rate over the last few seconds (not since the start, so a resumed download or a
// slow patch doesn't skew it) and the time left at that rate.

export interface DownloadProgress {
  /** File name being downloaded, e.g. BaseSystem.dmg. */
  file: string;
  /** Bytes on disk or in hand, including what an earlier run already verified. */
  bytes: number;
  total: number;
  /** Bytes per second over the last RATE_WINDOW_MS; 0 until there is a measurement. */
  bytesPerSecond: number;
  /** Seconds left at the current rate; null while the rate is unknown. */
  etaSeconds: number | null;
}

const RATE_WINDOW_MS = 8_000;
const MIN_INTERVAL_MS = 200;

export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];
  private lastEmit = 0;

  constructor(
    private readonly file: string,
    private readonly total: number,
    private readonly onProgress: ((p: DownloadProgress) => void) | undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** `force` emits even inside the throttle interval (start, chunk boundaries, the end). */
  update(bytes: number, force = false): void {
    if (!this.onProgress) return;
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > RATE_WINDOW_MS) this.samples.shift();
    if (!force && t - this.lastEmit < MIN_INTERVAL_MS) return;
    this.lastEmit = t;
    const first = this.samples[0]!;
    const dt = (t - first.t) / 1000;
    const rate = dt > 0 && bytes > first.bytes ? (bytes - first.bytes) / dt : 0;
    this.onProgress({
      file: this.file,
      bytes,
      total: this.total,
      bytesPerSecond: Math.round(rate),
      etaSeconds: bytes >= this.total ? 0 : rate > 0 ? Math.ceil((this.total - bytes) / rate) : null,
    });
  }

  /** Bytes went backwards (a damaged chunk thrown away, a restart): old samples mislead. */
  reset(): void {
    this.samples = [];
  }
}
