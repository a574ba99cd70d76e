// A QMP client over a unix socket. Plain Node: the supervisor, the CLI and tests share it.
//
// Life of a connection: 'connecting' (socket open, greeting read, qmp_capabilities
// negotiated — nothing else may be sent before that, QEMU would refuse it) → 'ready' →
// 'closed' (for good; make a new client to reconnect). connect() only hands out ready clients.

import net from 'node:net';
import {
  QmpClientError,
  QmpConnectError,
  QmpDisconnectedError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
} from './errors';
import { EventHub, QmpEventStream, type EventStreamOptions } from './events';
import { classifyMessage, type QemuVersion, type QmpEvent, type QmpGreeting, type QmpMessage } from './models';
import { qmpTraceFromEnv, type QmpTrace } from './trace';
import { LineSplitter, decodeLine, encodeLine } from './wire';

export type QmpState = 'connecting' | 'ready' | 'closed';

export interface QmpConnectOptions {
  /** Budget for the whole connect: retries, greeting and negotiation. */
  timeoutMs: number;
  /**
   * Keep retrying for this long while the socket is missing (ENOENT) or nobody listens on it
   * (ECONNREFUSED): QEMU creates it a few ms after it is spawned. 0 (default): one attempt.
   */
  retryForMs?: number;
  /** Pause between attempts; default 20 ms. */
  retryIntervalMs?: number;
  /**
   * For this long after the first attempt, pause only 2 ms between attempts (default 0): a
   * launch waits for a QEMU it has just spawned, whose socket appears ~40 ms later, and every
   * ms between QEMU listening and the next attempt is a ms added to the start (the 20 ms pause
   * cost ~10 ms on average). An attempt on a missing socket costs a few µs of this process.
   */
  quickRetryForMs?: number;
  /** Default timeout of execute() when the call gives none; default 30 s. */
  commandTimeoutMs?: number;
  /** Aborts connecting, e.g. when the QEMU being waited for has already exited. */
  signal?: AbortSignal;
  /** The guest's log folder: where GUESTBAY_QMP_TRACE=1 writes this connection's messages (trace.ts). */
  traceDir?: string;
  /** A trace of every message; by default the one GUESTBAY_QMP_TRACE asks for (none when unset). */
  trace?: QmpTrace;
}

export interface QmpExecuteOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface QmpWaitOptions {
  timeoutMs: number;
  filter?: (ev: QmpEvent) => boolean;
  signal?: AbortSignal;
}

export interface QmpClosedInfo {
  /** 'client': close() was called; 'server': the peer closed (QEMU exited); 'error': socket or protocol error. */
  by: 'client' | 'server' | 'error';
  error?: Error;
}

interface PendingCall {
  command: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  cleanup(): void;
}

const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);
// sun_path is 108 bytes including the terminating NUL; longer paths fail obscurely.
const MAX_SOCKET_PATH_BYTES = 107;

export class QmpClient {
  /** Resolves (never rejects) once the socket has closed, whoever closed it. */
  readonly closed: Promise<QmpClosedInfo>;

  private _state: QmpState = 'connecting';
  private greeting: QmpGreeting | undefined;
  private readonly greetingReceived: Promise<QmpGreeting>;
  private settleGreeting!: (g: QmpGreeting | Error) => void;
  private readonly splitter = new LineSplitter();
  private readonly pending = new Map<number, PendingCall>();
  private readonly hub = new EventHub();
  private nextId = 1;
  private closeInfo: QmpClosedInfo | undefined;
  private resolveClosed!: (info: QmpClosedInfo) => void;

  private constructor(
    private readonly socket: net.Socket,
    private readonly commandTimeoutMs: number,
    private readonly trace: QmpTrace | undefined,
  ) {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    this.greetingReceived = new Promise((resolve, reject) => {
      this.settleGreeting = (g) => (g instanceof Error ? reject(g) : resolve(g));
    });
    // Only connect() awaits it, and not when the connect fails before the greeting.
    this.greetingReceived.catch(() => {});
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A peer that exits with our bytes unread resets the connection instead of ending it:
      // that is QEMU quitting or dying, not a fault of the connection.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') this.closeInfo ??= { by: 'server' };
      else this.closeInfo ??= { by: 'error', error: err };
    });
    socket.on('close', () => this.onClose());
  }

  get state(): QmpState {
    return this._state;
  }

  /** QEMU's version, from the greeting. */
  get qemuVersion(): QemuVersion {
    return this.requireGreeting().version;
  }

  /** Capabilities the server offered in its greeting (none are enabled by this client). */
  get capabilities(): readonly string[] {
    return this.requireGreeting().capabilities;
  }

  static async connect(socketPath: string, options: QmpConnectOptions): Promise<QmpClient> {
    const { timeoutMs, signal } = options;
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
      throw new QmpConnectError(socketPath, `path longer than ${MAX_SOCKET_PATH_BYTES} bytes`);
    }
    const started = Date.now();
    const deadline = started + timeoutMs;
    const retryUntil = started + Math.min(options.retryForMs ?? 0, timeoutMs);
    const interval = options.retryIntervalMs ?? 20;
    const quickUntil = started + (options.quickRetryForMs ?? 0);
    const socket = await openSocket(socketPath, deadline, retryUntil, () => (Date.now() < quickUntil ? Math.min(QUICK_RETRY_MS, interval) : interval), signal);
    const trace = options.trace ?? qmpTraceFromEnv(socketPath, { dir: options.traceDir });
    trace?.('note', 'connected');
    const client = new QmpClient(socket, options.commandTimeoutMs ?? 30_000, trace);
    try {
      await withDeadline(client.greetingReceived, deadline, signal, () =>
        // QEMU serves one QMP client per socket; a second one waits without a greeting.
        new QmpTimeoutError('greeting', timeoutMs, 'is another client connected to this socket?'),
      );
      await client.send('qmp_capabilities', undefined, Math.max(1, deadline - Date.now()), signal);
    } catch (err) {
      client.shutdown('error', err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    client._state = 'ready';
    return client;
  }

  /**
   * Runs one command and resolves with its "return" value. Rejects with QmpError when QEMU
   * refuses it, QmpTimeoutError, or QmpDisconnectedError. Commands may run concurrently:
   * each answer goes back to its caller by id.
   */
  execute<T = unknown>(command: string, args?: object, options: QmpExecuteOptions = {}): Promise<T> {
    if (this._state !== 'ready') return Promise.reject(new QmpDisconnectedError(command));
    return this.send(command, args, options.timeoutMs ?? this.commandTimeoutMs, options.signal) as Promise<T>;
  }

  /** Calls `listener` for each event from now on; returns the unsubscribe function. */
  onEvent(listener: (ev: QmpEvent) => void): () => void {
    return this.hub.add({ event: listener, end: () => {} });
  }

  /** A private queue of events from now on, for `for await`; ends when the connection does. */
  events(options: EventStreamOptions = {}): QmpEventStream {
    return new QmpEventStream(this.hub, options);
  }

  /**
   * The next event named `name` (and accepted by `filter`). It listens from the moment of the
   * call: to catch the event a command causes, call this first and await it after execute(),
   * as QEMU often sends the event before the command's answer.
   */
  waitForEvent(name: string, options: QmpWaitOptions): Promise<QmpEvent> {
    const operation = `wait for ${name}`;
    if (this.hub.isEnded) return Promise.reject(new QmpDisconnectedError(operation));
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        remove();
        fn();
      };
      const onAbort = (): void => finish(() => reject(abortReason(options.signal)));
      const timer = setTimeout(
        () => finish(() => reject(new QmpTimeoutError(operation, options.timeoutMs))),
        options.timeoutMs,
      );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const remove = this.hub.add({
        event: (ev) => {
          if (ev.event === name && (!options.filter || options.filter(ev))) finish(() => resolve(ev));
        },
        end: () => finish(() => reject(new QmpDisconnectedError(operation))),
      });
    });
  }

  /** Closes the connection; pending calls fail with QmpDisconnectedError. */
  async close(): Promise<void> {
    this.shutdown('client');
    await this.closed;
  }

  private requireGreeting(): QmpGreeting {
    if (!this.greeting) throw new QmpProtocolError('no QMP greeting yet');
    return this.greeting;
  }

  private send(command: string, args: object | undefined, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    if (this._state === 'closed' || this.socket.destroyed) {
      return Promise.reject(new QmpDisconnectedError(command));
    }
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        this.pending.delete(id);
        cleanup();
        reject(abortReason(signal));
      };
      const timer = setTimeout(() => {
        this.pending.delete(id);
        cleanup();
        reject(new QmpTimeoutError(command, timeoutMs));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { command, resolve, reject, cleanup });
      const message: Record<string, unknown> = { execute: command, id };
      if (args !== undefined) message.arguments = args;
      const line = encodeLine(message);
      this.trace?.('send', line.trimEnd());
      this.socket.write(line);
    });
  }

  private onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.splitter.push(chunk);
    } catch (err) {
      return this.shutdown('error', err as Error);
    }
    for (const line of lines) {
      if (this.closeInfo) return;
      this.trace?.('recv', line);
      let msg: QmpMessage;
      try {
        msg = classifyMessage(decodeLine(line));
      } catch (err) {
        return this.shutdown('error', err as Error);
      }
      this.dispatch(msg);
    }
  }

  private dispatch(msg: QmpMessage): void {
    if (!this.greeting) {
      if (msg.kind !== 'greeting') {
        return this.shutdown('error', new QmpProtocolError(`expected the QMP greeting, got a ${msg.kind} message`));
      }
      this.greeting = msg.greeting;
      this.settleGreeting(msg.greeting);
      return;
    }
    switch (msg.kind) {
      case 'event':
        this.hub.publish(msg.event);
        return;
      case 'return':
      case 'error': {
        if (msg.id === undefined && msg.kind === 'error') {
          // QEMU answers without an id only when it could not parse what we sent: the stream
          // is out of step and no pending call can be matched to it any more.
          return this.shutdown('error', new QmpProtocolError(`QMP error without id: ${msg.desc} (${msg.errorClass})`));
        }
        const call = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
        // An unknown id is the late answer to a call that timed out; the spec says drop it.
        if (!call) return;
        this.pending.delete(msg.id as number);
        call.cleanup();
        if (msg.kind === 'return') call.resolve(msg.value);
        else call.reject(new QmpError(call.command, msg.errorClass, msg.desc));
        return;
      }
      case 'greeting':
      case 'unknown':
        // Nothing to do with a second greeting or a message kind from a future QEMU.
        return;
    }
  }

  /** The first reason given wins: it is the one closed reports. */
  private shutdown(by: QmpClosedInfo['by'], error?: Error): void {
    this.closeInfo ??= error ? { by, error } : { by };
    this.socket.destroy();
  }

  private onClose(): void {
    this._state = 'closed';
    const info = this.closeInfo ?? { by: 'server' };
    this.closeInfo = info;
    const cause = info.error ? { cause: info.error } : undefined;
    // A bad greeting is reported as itself, not as the disconnect it caused.
    this.settleGreeting(info.error instanceof QmpClientError ? info.error : new QmpDisconnectedError('greeting', cause));
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      call.cleanup();
      call.reject(new QmpDisconnectedError(call.command, cause));
    }
    this.hub.end();
    this.trace?.('note', `closed by ${info.by}${info.error ? `: ${info.error.message}` : ''}`);
    this.resolveClosed(info);
  }
}

const QUICK_RETRY_MS = 2;

async function openSocket(
  socketPath: string,
  deadline: number,
  retryUntil: number,
  intervalOf: () => number,
  signal?: AbortSignal,
): Promise<net.Socket> {
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    const attempt = connectOnce(socketPath);
    try {
      return await withDeadline(attempt, deadline, signal, () =>
        new QmpConnectError(socketPath, `timed out`, 'ETIMEDOUT'),
      );
    } catch (err) {
      // Lost the race against the deadline: a socket that still connects must not leak.
      attempt.then((s) => s.destroy(), () => {});
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof QmpConnectError || !code) throw err;
      const now = Date.now();
      const intervalMs = intervalOf();
      if (!RETRYABLE.has(code) || now + intervalMs > retryUntil || now + intervalMs > deadline) {
        throw new QmpConnectError(socketPath, (err as Error).message, code, { cause: err });
      }
      await sleep(intervalMs, signal);
    }
  }
}

function connectOnce(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    const onError = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** Races `p` against an absolute deadline and an abort signal. */
function withDeadline<T>(p: Promise<T>, deadline: number, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(onTimeout())), Math.max(0, deadline - Date.now()));
    const onAbort = (): void => done(() => reject(abortReason(signal)));
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => done(() => resolve(v)),
      (e: unknown) => done(() => reject(e)),
    );
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}
