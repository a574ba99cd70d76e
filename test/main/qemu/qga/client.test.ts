// The guest agent client against a local stand-in speaking the agent's protocol on a unix
// socket: the handshake skips what an earlier client left in the pipe, errors carry the agent's
// words, and an agent that never answers ends at the deadline.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guestAddresses, guestOs, setGuestTime, withAgent } from '../../../../src/main/qemu/qga/commands';

let dir: string;
let server: Server | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-qga-'));
});
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A fake agent: `answer` turns each command line into the bytes it writes back (or nothing). */
function fakeAgent(answer: (cmd: { execute: string; arguments?: Record<string, unknown> }, sock: Socket) => string | undefined): Promise<string> {
  const path = join(dir, 'qga.sock');
  server = createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const out = answer(JSON.parse(line), sock);
        // latin1: \xff is the one byte 0xFF, as the agent sends it.
        if (out !== undefined) sock.write(Buffer.from(out, 'latin1'));
      }
    });
  });
  return new Promise((r) => server!.listen(path, () => r(path)));
}

describe('QGA client', () => {
  it('syncs past stale bytes and older sync answers, then reads typed answers', async () => {
    const seen: unknown[] = [];
    const path = await fakeAgent((c) => {
      seen.push(c);
      if (c.execute === 'guest-sync-delimited') {
        // Leftovers from an earlier client, an answer to an older sync, then ours.
        return `{"return": {}}\n\xff{"return": 7}\n` + `\xff{"return": ${String(c.arguments!.id)}}\n`;
      }
      if (c.execute === 'guest-get-osinfo') return '{"return": {"id": "debian", "pretty-name": "Debian GNU/Linux 12 (bookworm)", "kernel-release": "6.1.0"}}\n';
      if (c.execute === 'guest-network-get-interfaces') {
        return JSON.stringify({ return: [
          { name: 'lo', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 }] },
          { name: 'eth0', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '10.0.2.15', prefix: 24 }, { 'ip-address-type': 'ipv6', 'ip-address': 'fec0::5054:ff:fe12:3456', prefix: 64 }] },
        ] }) + '\n';
      }
      if (c.execute === 'guest-set-time') return '{"error": {"class": "GenericError", "desc": "hwclock failed"}}\n';
      return undefined;
    });
    const r = await withAgent(path, async (q) => ({ os: await guestOs(q), addrs: await guestAddresses(q) }));
    expect(r.os).toEqual({ name: 'Debian GNU/Linux 12 (bookworm)', id: 'debian', kernel: '6.1.0' });
    expect(r.addrs).toEqual([
      { iface: 'eth0', family: 'ipv4', address: '10.0.2.15', prefix: 24 },
      { iface: 'eth0', family: 'ipv6', address: 'fec0::5054:ff:fe12:3456', prefix: 64 },
    ]);
    await expect(withAgent(path, (q) => setGuestTime(q, 1_700_000_000_000))).rejects.toMatchObject({ kind: 'agent', agentClass: 'GenericError', message: expect.stringContaining('hwclock failed') });
    expect(seen).toContainEqual({ execute: 'guest-set-time', arguments: { time: 1_700_000_000_000 * 1e6 } });
  });

  it('an agent that never answers: the handshake fails at its deadline with kind "timeout"', async () => {
    const path = await fakeAgent(() => undefined);
    const t0 = Date.now();
    await expect(withAgent(path, async () => 1, { syncTimeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
    // The deadline ends it, not something later (generous: only "not seconds").
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a socket nobody listens on fails at once with kind "io"', async () => {
    await expect(withAgent(join(dir, 'none.sock'), async () => 1)).rejects.toMatchObject({ kind: 'io' });
  });

  it('a command the agent does not answer ends at its own deadline', async () => {
    const path = await fakeAgent((c) => (c.execute === 'guest-sync-delimited' ? `\xff{"return": ${String(c.arguments!.id)}}\n` : undefined));
    await expect(withAgent(path, (q) => q.execute('guest-get-time', undefined, { timeoutMs: 200 }))).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('guest-get-time') });
  });

  it('exchanges from one process on one socket run one after another', async () => {
    let open = 0;
    let most = 0;
    const path = await fakeAgent((c, sock) => {
      if (c.execute === 'guest-sync-delimited') {
        open++;
        most = Math.max(most, open);
        sock.once('close', () => open--);
        return `\xff{"return": ${String(c.arguments!.id)}}\n`;
      }
      return '{"return": 5}\n';
    });
    const all = await Promise.all([1, 2, 3].map(() => withAgent(path, (q) => q.execute<number>('guest-get-time'))));
    expect(all).toEqual([5, 5, 5]);
    expect(most).toBe(1);
  });
});
