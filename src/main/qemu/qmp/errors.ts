/** Base of every error the QMP client raises, so callers can tell them from their own. */
export class QmpClientError extends Error {
  override name = 'QmpClientError';
}

/**
 * QEMU answered a command with an error. `errorClass` is QMP's class ("GenericError",
 * "DeviceNotFound", "CommandNotFound", ...). The arguments are kept out of the message
 * because some commands carry secrets (passwords, keys).
 */
export class QmpError extends QmpClientError {
  override name = 'QmpError';
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${command}: ${desc} (${errorClass})`);
  }
}

/** The connection ended before the answer came: QEMU exited, crashed, or close() was called. */
export class QmpDisconnectedError extends QmpClientError {
  override name = 'QmpDisconnectedError';
  constructor(
    /** The command or wait that was cut off, if any. */
    readonly operation?: string,
    options?: ErrorOptions,
  ) {
    super(operation ? `QMP disconnected during ${operation}` : 'QMP disconnected', options);
  }
}

/** No answer in time. For a command, QEMU may still carry it out later. */
export class QmpTimeoutError extends QmpClientError {
  override name = 'QmpTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    hint?: string,
  ) {
    super(`QMP ${operation} timed out after ${timeoutMs} ms${hint ? ` (${hint})` : ''}`);
  }
}

/** The peer sent something that is not QMP; the connection is dropped after it. */
export class QmpProtocolError extends QmpClientError {
  override name = 'QmpProtocolError';
}

/** The socket could not be opened (missing, refused after retries, path too long, ...). */
export class QmpConnectError extends QmpClientError {
  override name = 'QmpConnectError';
  constructor(
    readonly socketPath: string,
    message: string,
    /** errno code such as ENOENT or ECONNREFUSED, when the OS gave one. */
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(`QMP connect to ${socketPath}: ${message}`, options);
  }
}
