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

export function abortedError(): RecoveryError {
  return new RecoveryError('aborted', 'The recovery download was cancelled.');
}
