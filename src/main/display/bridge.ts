// The display bridge: bytes between a guest's VNC socket (in its private runtime folder) and
// the one transport the app already trusts: the headless server's tokened WebSocket, or the
// desktop window's MessagePort. Plain Node: it knows neither WebSockets nor Electron, only
// DisplayChannel, which each transport implements.
//
// How a view gets a display: `display.open` (a contract call, so it passes the transport's own
// checks and the contract's validation) checks that the guest exists and runs and has a VNC
// socket, and answers a ticket: 32 random bytes, usable once, for a few seconds. The transport
// then attaches its byte channel to the ticket. A ticket names a guest, never a path: the path
// is the one the launch plan put in that guest's runtime folder, checked again here.
import { randomBytes } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';

/** The transport's end of one display connection. */
export interface DisplayChannel {
  /** `done` is called once the bytes have left (for back-pressure); it may never be, on a dead channel. */
  send(data: Uint8Array, done?: () => void): void;
  onData(fn: (data: Uint8Array) => void): void;
  onClose(fn: () => void): void;
  /** Ends the connection, telling the view why (a WebSocket close code 4000–4999 and a reason). */
  close(code: number, reason: string): void;
}

/** Close codes the view understands (the reason text is for people). */
export const DISPLAY_CLOSE = {
  /** The guest stopped, was saved, or its QEMU ended: reconnect when it runs again. */
  guestGone: 4001,
  /** The ticket is unknown, used or expired. */
  badTicket: 4004,
  /** Not allowed (a frame that is not the app's). */
  forbidden: 4003,
  /** QEMU's VNC socket could not be reached. */
  unreachable: 4010,
  /** Guestbay is shutting down. */
  shutdown: 4011,
} as const;

export const TICKET_TTL_MS = 30_000;
const TICKET = /^[0-9a-f]{64}$/;
/** Bytes from QEMU not yet handed on before its socket is paused: a slow view slows QEMU, not our memory. */
const HIGH_WATER = 4 * 1024 * 1024;

interface Ticket {
  name: string;
  socketPath: string;
  expires: number;
}

interface Link {
  name: string;
  socket: Socket;
  channel: DisplayChannel;
}

export function isTicket(s: string): boolean {
  return TICKET.test(s);
}

export class DisplayBridge {
  private readonly tickets = new Map<string, Ticket>();
  private readonly links = new Set<Link>();
  private disposed = false;

  constructor(private readonly now: () => number = Date.now) {}

  /** A one-time ticket for `name`'s VNC socket at `socketPath` (the caller has checked both). */
  issue(name: string, socketPath: string): { ticket: string; expiresInMs: number } {
    this.sweep();
    const ticket = randomBytes(32).toString('hex');
    this.tickets.set(ticket, { name, socketPath, expires: this.now() + TICKET_TTL_MS });
    return { ticket, expiresInMs: TICKET_TTL_MS };
  }

  /** How many views are connected to `name` (or to any guest). */
  connections(name?: string): number {
    let n = 0;
    for (const l of this.links) if (name === undefined || l.name === name) n++;
    return n;
  }

  /**
   * Joins a transport's channel to the guest the ticket names. Failures close the channel with
   * a code and plain words; they never throw at the transport.
   */
  async attach(ticket: string, channel: DisplayChannel): Promise<void> {
    this.sweep();
    const t = isTicket(ticket) ? this.tickets.get(ticket) : undefined;
    if (t) this.tickets.delete(ticket); // once only, whatever happens next
    if (this.disposed) return channel.close(DISPLAY_CLOSE.shutdown, 'Guestbay is shutting down');
    if (!t) return channel.close(DISPLAY_CLOSE.badTicket, 'this display ticket is unknown, expired or already used: ask display.open again');
    let socket: Socket;
    try {
      socket = await dial(t.socketPath);
    } catch (e) {
      return channel.close(DISPLAY_CLOSE.unreachable, `the screen of "${t.name}" cannot be reached: ${(e as Error).message}`);
    }
    const link: Link = { name: t.name, socket, channel };
    this.links.add(link);
    let inFlight = 0;
    let ended = false;
    const end = (code: number, reason: string) => {
      if (ended) return;
      ended = true;
      this.links.delete(link);
      socket.destroy();
      channel.close(code, reason);
    };
    socket.on('data', (d: Buffer) => {
      inFlight += d.length;
      if (inFlight > HIGH_WATER) socket.pause();
      channel.send(new Uint8Array(d.buffer, d.byteOffset, d.length), () => {
        inFlight -= d.length;
        if (inFlight <= HIGH_WATER && socket.isPaused()) socket.resume();
      });
    });
    socket.on('error', () => {}); // 'close' follows
    socket.on('close', () => end(DISPLAY_CLOSE.guestGone, `the screen of "${t.name}" went away: its QEMU stopped`));
    channel.onData((d) => {
      if (!ended) socket.write(d);
    });
    channel.onClose(() => {
      if (ended) return;
      ended = true;
      this.links.delete(link);
      socket.destroy();
    });
  }

  /** Ends every view of `name`, saying why (the guest stopped, was saved, crashed). */
  closeGuest(name: string, reason: string): void {
    for (const l of [...this.links]) {
      if (l.name !== name) continue;
      this.links.delete(l);
      l.socket.destroy();
      l.channel.close(DISPLAY_CLOSE.guestGone, reason);
    }
    for (const [k, t] of this.tickets) if (t.name === name) this.tickets.delete(k);
  }

  dispose(): void {
    this.disposed = true;
    this.tickets.clear();
    for (const l of [...this.links]) {
      this.links.delete(l);
      l.socket.destroy();
      l.channel.close(DISPLAY_CLOSE.shutdown, 'Guestbay is shutting down');
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, t] of this.tickets) if (t.expires <= now) this.tickets.delete(k);
  }
}

/** Connects to a unix socket that must be a socket owned by this user (never a planted file). */
async function dial(path: string): Promise<Socket> {
  const st = await lstat(path);
  if (!st.isSocket()) throw new Error(`${path} is not a socket`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error(`${path} belongs to another user`);
  return new Promise<Socket>((resolve, reject) => {
    const s = createConnection(path);
    s.once('error', reject);
    s.once('connect', () => {
      s.off('error', reject);
      s.setNoDelay?.(true);
      resolve(s);
    });
  });
}
