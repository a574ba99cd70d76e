// What every download shares on the wire: a guard that drops a connection gone silent, reading
// where a 206 answer starts, plain words for Node's network errors, and an abortable pause.

/** Node's fetch wraps the real reason ("ECONNREFUSED", "ENOTFOUND", …) in `cause`. */
export function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = cause?.code ?? (err as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the server name could not be looked up (is the network up?)';
    case 'ECONNREFUSED':
      return 'the server refused the connection';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was cut';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the server stopped answering';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'the network is unreachable';
    default: {
      const msg = cause?.message ?? (err instanceof Error ? err.message : String(err));
      return msg ? `the connection failed (${msg})` : 'the connection failed';
    }
  }
}

/** Aborts a request when no data has arrived for `ms`, or when the caller's signal fires. */
export class StallGuard {
  readonly ctrl = new AbortController();
  readonly signal: AbortSignal;
  stalled = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    outer?: AbortSignal,
  ) {
    this.signal = outer ? AbortSignal.any([this.ctrl.signal, outer]) : this.ctrl.signal;
    this.arm();
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.ctrl.abort();
    }, this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/** The first byte a 206 answer carries, from its Content-Range; null without one. */
export function rangeStart(res: Response): number | null {
  const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : null;
}

/** The whole size a 206 answer names ("bytes 10-99/100" → 100); null if not said. */
export function rangeTotal(res: Response): number | null {
  const m = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : null;
}

/** Waits `ms`, or rejects with `onAbort()` as soon as the signal fires. */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(t);
      reject(onAbort());
    };
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}
