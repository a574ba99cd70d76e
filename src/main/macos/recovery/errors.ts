// One error type for the whole recovery download, so callers (CLI, UI) can show `message` as
// is: every message is written for the person waiting on the download, not for a developer.

export type RecoveryErrorCode =
  | 'network' // could not reach a server, or the connection failed and retries ran out
  | 'http' // a server answered with an error status
  | 'protocol' // Apple's recovery service answered in a way we can't use
  | 'chunklist' // the chunklist is malformed or not signed by Apple
  | 'verify' // image bytes did not match the chunklist, even after re-fetching
  | 'aborted'; // the caller's AbortSignal fired

export class RecoveryError extends Error {
  override readonly name = 'RecoveryError';
  constructor(
    readonly code: RecoveryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Shared with every other download (src/main/download/net.ts).
export { describeNetworkError } from '../../download/net';

export function abortedError(): RecoveryError {
  return new RecoveryError('aborted', 'The recovery download was cancelled.');
}
