// The guest agent commands Guestbay sends, typed, and what it reads from their answers. QGA's
// names stay here; callers (vm/) say what they want to know or have done.
import type { QmpClient } from '../qmp';
import { QGA_CHARDEV } from '../plan/guest-agent';
import { QgaError, withAgent, type QgaOptions, type QgaSession } from './client';

export { QgaError, QgaSession, withAgent } from './client';
export type { QgaOptions } from './client';

/**
 * Whether something in the guest has the agent's port open: QEMU reports the chardev's
 * `frontend-open` once the guest's side opened the virtio-serial port (qemu-ga does at start).
 * One QMP round trip, so a guest without an agent is never waited on.
 */
export async function agentPortOpen(client: QmpClient, timeoutMs = 3000): Promise<boolean> {
  const list = await client.execute<{ label: string; 'frontend-open'?: boolean }[]>('query-chardev', undefined, { timeoutMs });
  return list.some((c) => c.label === QGA_CHARDEV && c['frontend-open'] === true);
}

export interface GuestAddress {
  /** The guest's interface name. */
  iface: string;
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

interface QgaInterface {
  name: string;
  'ip-addresses'?: { 'ip-address-type': 'ipv4' | 'ipv6'; 'ip-address': string; prefix: number }[];
}

/** The guest's addresses, loopback left out. */
export async function guestAddresses(s: QgaSession): Promise<GuestAddress[]> {
  const ifaces = await s.execute<QgaInterface[]>('guest-network-get-interfaces');
  const out: GuestAddress[] = [];
  for (const i of ifaces) {
    for (const a of i['ip-addresses'] ?? []) {
      if (a['ip-address'] === '127.0.0.1' || a['ip-address'] === '::1') continue;
      out.push({ iface: i.name, family: a['ip-address-type'], address: a['ip-address'], prefix: a.prefix });
    }
  }
  return out;
}

export interface GuestOs {
  /** The name to show ("Debian GNU/Linux 12 (bookworm)", "Microsoft Windows 11"). */
  name: string;
  id?: string;
  kernel?: string;
}

export async function guestOs(s: QgaSession): Promise<GuestOs> {
  const o = await s.execute<Record<string, string | undefined>>('guest-get-osinfo');
  const name = o['pretty-name'] ?? [o.name, o.version].filter(Boolean).join(' ') ?? o.id ?? 'unknown';
  return { name: name || 'unknown', id: o.id, kernel: o['kernel-release'] };
}

/** The guest's wall clock, in milliseconds since the epoch. */
export async function guestTimeMs(s: QgaSession): Promise<number> {
  return (await s.execute<number>('guest-get-time')) / 1e6;
}

/** Sets the guest's wall clock (and, for qemu-ga on Linux, its RTC through hwclock). */
export async function setGuestTime(s: QgaSession, ms: number): Promise<void> {
  await s.execute('guest-set-time', { time: Math.round(ms) * 1e6 });
}

/** Asks the agent to power the guest off; it answers nothing when it goes ahead. */
export function agentShutdown(s: QgaSession): void {
  s.send('guest-shutdown', { mode: 'powerdown' });
}

/** Freezes the guest's file systems (writes flushed, new ones held); returns how many. */
export function freezeFilesystems(s: QgaSession, timeoutMs = 30_000): Promise<number> {
  return s.execute<number>('guest-fsfreeze-freeze', undefined, { timeoutMs });
}

/** Thaws what freezeFilesystems froze; returns how many. */
export function thawFilesystems(s: QgaSession, timeoutMs = 30_000): Promise<number> {
  return s.execute<number>('guest-fsfreeze-thaw', undefined, { timeoutMs });
}

/** Whether the guest's file systems are frozen (`frozen`) or not (`thawed`), as the agent keeps it. */
export function freezeStatus(s: QgaSession, timeoutMs = 30_000): Promise<string> {
  return s.execute<string>('guest-fsfreeze-status', undefined, { timeoutMs });
}

export interface GuestMount {
  mountpoint: string;
  /** The guest's file system type (virtiofs, 9p, cifs, NTFS…). */
  type: string;
  /** What is mounted: a share's tag for virtiofs and 9p. */
  name: string;
}

/** The guest's mounted file systems (guest-get-fsinfo: no extra agent config needed). */
export async function guestMounts(s: QgaSession): Promise<GuestMount[]> {
  const list = await s.execute<{ name: string; mountpoint: string; type: string }[]>('guest-get-fsinfo');
  return list.map((f) => ({ mountpoint: f.mountpoint, type: f.type, name: f.name }));
}

/** One short exchange, for callers that only want a value or nothing. */
export function askAgent<T>(socketPath: string, fn: (s: QgaSession) => Promise<T>, o?: QgaOptions): Promise<T> {
  return withAgent(socketPath, fn, o);
}

/**
 * A text file in the guest, read through the agent (guest-file-open/read/close), at most
 * `maxBytes`. qemu-ga's guest-get-fsinfo leaves out every mount without a block device
 * (virtiofs, 9p, cifs: major number 0), so a Linux guest's shares are read from /proc/self/mounts.
 */
export async function guestFileText(s: QgaSession, path: string, maxBytes = 256 * 1024): Promise<string> {
  const handle = await s.execute<number>('guest-file-open', { path, mode: 'r' });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const r = await s.execute<{ count: number; 'buf-b64': string; eof: boolean }>('guest-file-read', { handle, count: 65536 });
      const b = Buffer.from(r['buf-b64'], 'base64');
      chunks.push(b);
      total += b.length;
      if (r.eof || r.count === 0 || total >= maxBytes) break;
    }
    return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
  } finally {
    await s.execute('guest-file-close', { handle }).catch(() => undefined);
  }
}

/** /proc/self/mounts as mounts (octal escapes such as \040 for a space decoded). */
export function parseProcMounts(text: string): GuestMount[] {
  const un = (v: string) => v.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const out: GuestMount[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 3) continue;
    out.push({ name: un(f[0]!), mountpoint: un(f[1]!), type: f[2]! });
  }
  return out;
}

/** A Linux guest's mount table through the agent (see guestFileText for why not guest-get-fsinfo). */
export async function guestProcMounts(s: QgaSession): Promise<GuestMount[]> {
  return parseProcMounts(await guestFileText(s, '/proc/self/mounts'));
}

export interface GuestExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program in the guest (guest-exec, no shell: `path` and `args` are passed as they are)
 * and waits for it to end, polling guest-exec-status, for at most `timeoutMs`.
 */
export async function guestExec(s: QgaSession, path: string, args: string[], timeoutMs = 30_000): Promise<GuestExecResult> {
  const { pid } = await s.execute<{ pid: number }>('guest-exec', { path, arg: args, 'capture-output': true });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const st = await s.execute<{ exited: boolean; exitcode?: number; signal?: number; 'out-data'?: string; 'err-data'?: string }>('guest-exec-status', { pid });
    if (st.exited) {
      return {
        exitCode: st.exitcode ?? (st.signal !== undefined ? 128 + st.signal : -1),
        stdout: Buffer.from(st['out-data'] ?? '', 'base64').toString('utf8'),
        stderr: Buffer.from(st['err-data'] ?? '', 'base64').toString('utf8'),
      };
    }
    if (Date.now() > until) throw new QgaError(`${path} did not end in the guest within ${timeoutMs} ms`, 'timeout');
    await new Promise((r) => setTimeout(r, 100));
  }
}
