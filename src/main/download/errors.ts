// One error for every download outside the macOS recovery (which has its own, older type): the
// message is written for the person waiting, and says what was kept.

export type DownloadErrorCode =
  | 'network' // the connection kept failing and the retries ran out
  | 'http' // the server answered with an error status
  | 'refused' // the vendor refused to hand out the file (Microsoft's download service)
  | 'verify' // the bytes do not have the SHA-256 they must have
  | 'too-big' // more bytes than the file can be
  | 'aborted'; // cancelled

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
