// Live serial consoles: a connection to a guest's serial socket per open console, its output
// forwarded as `serial.data` events, input written back. QEMU serves one client per socket.
import { createConnection, type Socket } from 'node:net';

export class SerialConsoles {
  private readonly open = new Map<string, Socket>();
  constructor(private readonly emit: (name: string, data: string) => void) {}

  async connect(name: string, socketPath: string): Promise<void> {
    if (this.open.has(name)) return;
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection(socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', (e) => reject(new Error(`the serial console of "${name}" is not available: ${e.message}`)));
    });
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.emit(name, d));
    sock.on('close', () => this.open.delete(name));
    sock.on('error', () => {});
    this.open.set(name, sock);
  }

  write(name: string, data: string): void {
    const s = this.open.get(name);
    if (!s) throw new Error(`the serial console of "${name}" is not open`);
    s.write(data);
  }

  close(name: string): void {
    this.open.get(name)?.destroy();
    this.open.delete(name);
  }

  closeAll(): void {
    for (const name of [...this.open.keys()]) this.close(name);
  }
}
