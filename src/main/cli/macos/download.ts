// `guestbay macos download`: the recovery download for a terminal. Progress goes to stderr so
// stdout stays the result alone (a path, or JSON with --json), which scripts can capture.
import { resolve } from 'node:path';
import { formatProgress } from '../../../shared/progress-format';
import { MACOS_RELEASES, macosRelease, type MacosRelease } from '../../../shared/os/macos-releases';
import type { DownloadProgress } from '../../macos/recovery/progress';
import { UsageError, type Io } from '../output';
import { downloadRecovery, type DownloadRecoveryResult } from '../../macos/recovery';
import { checkServerUrl, readRecoveryKey } from './sources';
import { RECOVERY_REQUESTS } from '../../macos/recovery/boards';

export { formatDuration, formatProgress } from '../../../shared/progress-format';
import type { RetryPolicy } from '../../macos/recovery/download';

export interface MacosDownloadArgs {
  release?: string;
  dir?: string;
  recoveryServer?: string;
  /** PEM file with the public key the chunklist must be signed with (a mirror's own key). */
  recoveryKey?: string;
}

/** A line every few seconds is enough to see it moving without flooding a log file. */
const PRINT_EVERY_MS = 2_000;

/** Prints download progress on stderr every few seconds, and the end exactly once. */
export function progressPrinter(io: Io, now: () => number = () => Date.now()): (p: DownloadProgress) => void {
  let lastPrint = -Infinity;
  let printedEnd = false;
  return (p) => {
    const t = now();
    const end = p.bytes >= p.total;
    if (end ? printedEnd : t - lastPrint < PRINT_EVERY_MS) return;
    printedEnd ||= end;
    lastPrint = t;
    io.err(formatProgress(p));
  };
}

/** The release named by --release, or a usage error listing the ones Guestbay knows. */
export function releaseOrUsage(key: string | undefined): MacosRelease {
  const keys = MACOS_RELEASES.map((r) => r.key).join(', ');
  if (!key) throw new UsageError(`--release is required: ${keys}`);
  const r = macosRelease(key);
  if (!r) throw new UsageError(`--release "${key}" is not a macOS release Guestbay knows: ${keys}`);
  return r;
}

export async function macosDownload(
  io: Io,
  args: MacosDownloadArgs,
  cwd: string,
  opts: { signal?: AbortSignal; retry?: Partial<RetryPolicy>; now?: () => number } = {},
): Promise<DownloadRecoveryResult> {
  const release = releaseOrUsage(args.release);
  if (!args.dir) throw new UsageError('--dir is required: the folder for the recovery image, e.g. --dir ~/macos');
  if (args.recoveryServer !== undefined) checkServerUrl('recovery-server', args.recoveryServer);
  const publicKeyPem = args.recoveryKey !== undefined ? await readRecoveryKey(args.recoveryKey, cwd) : undefined;

  const dir = resolve(cwd, args.dir);
  const request = RECOVERY_REQUESTS[release.key];
  io.err(`Asking ${args.recoveryServer ?? "Apple's recovery service"} for ${release.name} ${release.version} (board ${request.boardId}, os=${request.osType})…`);
  return downloadRecovery({
    release: release.key,
    dir,
    ...(args.recoveryServer !== undefined ? { recoveryServer: args.recoveryServer } : {}),
    ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    onProgress: progressPrinter(io, opts.now),
  });
}
