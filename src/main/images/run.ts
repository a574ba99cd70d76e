// Runs qemu-img: arguments from src/main/qemu/qemu-img.ts, its errors in plain words, `-p`'s
// progress read as it comes, cancellation through an AbortSignal.
import { errorText, isLockError, ProgressReader } from '../qemu/qemu-img';

/** qemu-img refused or failed; `message` says what it said, in the operation's words. */
export class ImageError extends Error {
  override name = 'ImageError';
  constructor(
    message: string,
    /** Another process (a running guest) holds the image. */
    readonly locked = false,
  ) {
    super(message);
  }
}

export interface RunOptions {
  qemuImg?: string;
  /** Called with 0–1 as `-p` reports it (only for commands given `-p`). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Default: none for long operations with progress, 60 s otherwise. */
  timeoutMs?: number;
  /** What the caller was doing, for the error ("resizing disk.qcow2"). */
  what: string;
  /** Exit statuses that are answers, not failures (check: 2 and 3). */
  okExitCodes?: number[];
}

export async function runQemuImg(args: string[], o: RunOptions): Promise<{ stdout: string; exitCode: number }> {
  const progress = o.onProgress ? new ProgressReader() : undefined;
  // Imported when first used: every start imports this file (disk preparation), few run qemu-img.
  const { execa } = await import('execa');
  const child = execa(o.qemuImg ?? 'qemu-img', args, {
    reject: false,
    stdin: 'ignore',
    cancelSignal: o.signal,
    timeout: o.timeoutMs ?? (o.onProgress ? undefined : 60_000),
    // Progress arrives on stdout between carriage returns: read it as it comes.
    buffer: { stdout: !progress, stderr: true },
    encoding: 'utf8',
  });
  if (progress) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const f = progress.push(chunk);
      if (f !== undefined) o.onProgress!(f);
    });
  }
  const r = await child;
  const exitCode = r.exitCode ?? -1;
  if (r.isCanceled) throw new ImageError(`${o.what} was cancelled`);
  if (r.failed && !(o.okExitCodes ?? []).includes(exitCode)) {
    if ((r as { code?: string }).code === 'ENOENT') throw new ImageError(`${o.what} failed: qemu-img is not installed (install qemu-img, or qemu-utils on Debian)`);
    const stderr = String(r.stderr ?? '');
    if (isLockError(stderr)) throw new ImageError(`${o.what} failed: the image is in use by another program (a running guest?): ${errorText(stderr)}`, true);
    if (r.timedOut) throw new ImageError(`${o.what} took too long and was stopped`);
    throw new ImageError(`${o.what} failed: ${errorText(stderr) || r.shortMessage}`);
  }
  return { stdout: progress ? '' : String(r.stdout ?? ''), exitCode };
}
