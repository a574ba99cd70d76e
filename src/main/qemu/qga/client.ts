// A small client for the QEMU guest agent (qemu-ga, or the virtio-win tools' agent), beside the
// QMP one. The agent's channel is a plain byte pipe into the guest: no greeting, no ids, and
// whatever an earlier client left half-read may still be in it. So every connection begins with
// `guest-sync-delimited`: the agent answers with a 0xFF byte and then our own random id, and
// everything before that is discarded. Every step has a deadline, because an agent that is not
// running simply never answers. QEMU's socket serves one client at a time: a connection is
// opened for one exchange and closed, and exchanges from this process run one after another.
import { connect, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';

export class QgaError extends Error {
  constructor(
    message: string,
    /** `timeout`: nothing answered in time; `agent`: the agent refused (its error class in `agentClass`); `io`: the socket failed. */
    readonly kind: 'timeout' | 'agent' | 'io',
    readonly agentClass?: string,
  ) {
    super(message);
    this.name = 'QgaError';
  }
}

export interface QgaOptions {
  /** How long the handshake may take (the agent is idle, so a live one answers in milliseconds). */
  syncTimeoutMs?: number;
  /** How long each command may take. */
  timeoutMs?: number;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier exchange on the same socket from this process has finished. */
function serialised<T>(socketPath: string, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(socketPath) ?? Promise.resolve();
  const run = before.catch(() => {}).then(fn);
  const tail = run.catch(() => {});
  queues.set(socketPath, tail);
  void tail.then(() => {
    if (queues.get(socketPath) === tail) queues.delete(socketPath);
  });
  return run;
}

/** One open connection, after the handshake: commands are sent one at a time. */
export class QgaSession {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private failure: QgaError | undefined;

  private constructor(private readonly sock: Socket, private readonly timeoutMs: number) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiter?.();
    });
    const fail = (why: string) => {
      this.failure ??= new QgaError(why, 'io');
      this.waiter?.();
    };
    sock.on('connect', () => this.waiter?.());
    sock.on('error', (e) => fail(`the agent's socket failed: ${e.message}`));
    sock.on('close', () => fail('the agent\'s socket closed'));
  }

  /** Connects and synchronises; fails with kind `timeout` when no agent answers in time. */
  static async open(socketPath: string, o: QgaOptions = {}): Promise<QgaSession> {
    const syncMs = o.syncTimeoutMs ?? 1500;
    const sock = connect(socketPath);
    const s = new QgaSession(sock, o.timeoutMs ?? 5000);
    try {
      await s.until(syncMs, 'connecting to the agent\'s socket', () => (sock.readyState === 'open' ? true : undefined));
      const id = randomInt(1, 2 ** 31);
      sock.write(JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } }) + '\n');
      // Wait for a 0xFF, then for a line that answers our id; answers to older syncs are skipped.
      await s.until(syncMs, 'the guest agent did not answer', () => {
        for (;;) {
          const ff = s.buf.indexOf(0xff);
          if (ff >= 0) s.buf = s.buf.subarray(ff + 1);
          const line = s.takeLine();
          if (line === undefined) return undefined;
          const reply = parse(line);
          if (reply && reply.return === id) return true;
        }
      });
      return s;
    } catch (e) {
      s.close();
      throw e;
    }
  }

  /** Sends a command and returns its `return` value. */
  async execute<T = unknown>(command: string, args?: Record<string, unknown>, o: { timeoutMs?: number } = {}): Promise<T> {
    this.sock.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    const reply = await this.until(o.timeoutMs ?? this.timeoutMs, `the guest agent did not answer ${command}`, () => {
      for (;;) {
        const line = this.takeLine();
        if (line === undefined) return undefined;
        const r = parse(line);
        if (r && ('return' in r || 'error' in r)) return r;
      }
    });
    if (reply.error) throw new QgaError(`the guest agent refused ${command}: ${reply.error.desc ?? 'no reason given'}`, 'agent', reply.error.class);
    return reply.return as T;
  }

  /** Sends a command the agent never answers when it succeeds (guest-shutdown). */
  send(command: string, args?: Record<string, unknown>): void {
    this.sock.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
  }

  close(): void {
    this.sock.destroy();
  }

  private takeLine(): string | undefined {
    const nl = this.buf.indexOf(0x0a);
    if (nl < 0) return undefined;
    const line = this.buf.subarray(0, nl).toString('utf8').trim();
    this.buf = this.buf.subarray(nl + 1);
    return line;
  }

  /** Resolves with the first defined value of `check`, re-run on every chunk received. */
  private until<T>(ms: number, what: string, check: () => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => finish(new QgaError(`${what} within ${ms} ms`, 'timeout')), ms);
      const finish = (err?: Error, value?: T) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (err) reject(err);
        else resolve(value as T);
      };
      this.waiter = () => {
        try {
          const v = check();
          if (v !== undefined) return finish(undefined, v);
        } catch (e) {
          return finish(e as Error);
        }
        if (this.failure) finish(this.failure);
      };
      this.waiter();
    });
  }
}

interface Reply {
  return?: unknown;
  error?: { class?: string; desc?: string };
}

function parse(line: string): Reply | undefined {
  if (!line) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as Reply) : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a connection, runs `fn` with it, and closes it; one exchange per socket at a time. */
export function withAgent<T>(socketPath: string, fn: (s: QgaSession) => Promise<T>, o: QgaOptions = {}): Promise<T> {
  return serialised(socketPath, async () => {
    const s = await QgaSession.open(socketPath, o);
    try {
      return await fn(s);
    } finally {
      s.close();
    }
  });
}
