// A scripted QMP server on a unix socket, for the client's unit tests: it lets a test choose
// exactly how bytes are cut into chunks and in which order answers come back.

import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const GREETING = {
  QMP: { version: { qemu: { micro: 3, minor: 2, major: 9 }, package: 'fake 9.2.3' }, capabilities: ['oob'] },
};

export interface Command {
  execute: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

export class FakeConnection {
  readonly received: Command[] = [];
  private readonly waiting: Array<(c: Command) => void> = [];
  private buffered = '';

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) !== -1) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        if (line.trim() === '') continue;
        const cmd = JSON.parse(line) as Command;
        this.received.push(cmd);
        this.waiting.shift()?.(cmd);
      }
    });
    socket.on('error', () => {});
  }

  private taken = 0;

  /** The next command sent by the client (or one already received and not yet taken). */
  nextCommand(): Promise<Command> {
    const cmd = this.received[this.taken];
    if (cmd) {
      this.taken++;
      return Promise.resolve(cmd);
    }
    return new Promise((resolve) => {
      this.waiting.push((c) => {
        this.taken++;
        resolve(c);
      });
    });
  }

  sendRaw(text: string): void {
    this.socket.write(text);
  }

  send(message: object): void {
    this.socket.write(`${JSON.stringify(message)}\r\n`);
  }

  /** Answers qmp_capabilities as QEMU does. */
  async negotiate(): Promise<void> {
    const cmd = await this.nextCommand();
    if (cmd.execute !== 'qmp_capabilities') throw new Error(`expected qmp_capabilities, got ${cmd.execute}`);
    this.send({ return: {}, id: cmd.id });
  }
}

export class FakeQmpServer {
  private constructor(
    readonly dir: string,
    readonly socketPath: string,
    private server: net.Server | undefined,
    private readonly connections: FakeConnection[] = [],
    private readonly waiting: Array<(c: FakeConnection) => void> = [],
  ) {}

  /** A private directory and socket path; the server does not listen until listen(). */
  static async create(): Promise<FakeQmpServer> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gb-qmp-fake-'));
    return new FakeQmpServer(dir, path.join(dir, 'qmp.sock'), undefined);
  }

  /** Listens; each new connection gets the greeting unless `greet` is false. */
  async listen(greet = true): Promise<void> {
    this.server = net.createServer((socket) => {
      const conn = new FakeConnection(socket);
      this.connections.push(conn);
      if (greet) conn.send(GREETING);
      this.waiting.shift()?.(conn);
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => resolve());
    });
  }

  connection(): Promise<FakeConnection> {
    const existing = this.connections[0];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async dispose(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
