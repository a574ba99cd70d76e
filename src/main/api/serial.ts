// Live serial consoles: one connection per guest to its serial socket, output forwarded as
// `serial.data` events (to every window or browser tab listening), input written back.
// QEMU's socket chardev serves one client at a time, so a second connection per guest would
// sit unanswered: every caller shares this one.
import { createConnection, type Socket } from 'node:net';
import { GuestStateError } from '../vm/supervisor';
import type { ApiContext, Handlers } from './context';
import { ApiStateError } from './errors';

interface Line {
  socket: Promise<Socket>;
}

export class SerialConsoles {
  private readonly lines = new Map<string, Line>();
  private disposed = false;

  constructor(private readonly emit: (name: string, data: string) => void) {}

  isOpen(name: string): boolean {
    return this.lines.has(name);
  }

  /** Opens the console, or joins the one already open (or opening). */
  async connect(name: string, socketPath: string): Promise<void> {
    if (this.disposed) throw new ApiStateError('the API is shut down');
    let line = this.lines.get(name);
    if (!line) {
      line = { socket: this.dial(name, socketPath, () => this.lines.get(name) === line) };
      this.lines.set(name, line);
      const mine = line;
      mine.socket.catch(() => {
        if (this.lines.get(name) === mine) this.lines.delete(name);
      });
    }
    await line.socket;
  }

  private dial(name: string, socketPath: string, current: () => boolean): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const s = createConnection(socketPath);
      // A decoder per socket: a UTF-8 character split across two reads arrives whole.
      s.setEncoding('utf8');
      const failed = (e: Error) => reject(new ApiStateError(`the serial console of "${name}" is not available: ${e.message}`));
      s.once('error', failed);
      s.once('connect', () => {
        s.off('error', failed);
        s.on('error', () => {}); // 'close' follows, and cleans up
        s.on('data', (d: string) => {
          if (current()) this.emit(name, d);
        });
        s.on('close', () => {
          if (current()) this.lines.delete(name);
        });
        resolve(s);
      });
    });
  }

  async write(name: string, data: string): Promise<void> {
    const line = this.lines.get(name);
    if (!line) throw new ApiStateError(`the serial console of "${name}" is not open`);
    const s = await line.socket;
    await new Promise<void>((resolve, reject) => s.write(data, (e) => (e ? reject(e) : resolve())));
  }

  close(name: string): void {
    const line = this.lines.get(name);
    this.lines.delete(name);
    line?.socket.then((s) => s.destroy(), () => {});
  }

  closeAll(): void {
    this.disposed = true;
    for (const name of [...this.lines.keys()]) this.close(name);
  }
}

/** States in which QEMU (and so its serial socket) is there. */
const LIVE = new Set(['starting', 'running', 'paused', 'saving', 'stopping']);

export function serialHandlers({ deps }: ApiContext, consoles: SerialConsoles): Handlers<'serial.open' | 'serial.write' | 'serial.close'> {
  const { supervisor } = deps;
  return {
    'serial.open': async (i) => {
      if (!consoles.isOpen(i.name)) {
        // The runtime record outlives a QEMU that died unseen: ask the supervisor first.
        const st = await supervisor.status(i.name);
        if (!LIVE.has(st.state)) throw new GuestStateError(`"${i.name}" is ${st.state}: its serial console is there only while it runs`);
        const record = await supervisor.record(i.name);
        if (!record) throw new GuestStateError(`"${i.name}" is not running`);
        await consoles.connect(i.name, record.plan.runtime.serialSocket);
      }
      return { ok: true as const };
    },
    'serial.write': async (i) => {
      await consoles.write(i.name, i.data);
      return { ok: true as const };
    },
    'serial.close': async (i) => {
      consoles.close(i.name);
      return { ok: true as const };
    },
  };
}
