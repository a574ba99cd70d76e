// A guest's screen in the desktop window, with Electron's runtime faked: the port arrives over
// the display channel with a ticket; only the app's main frame gets bytes from the guest's VNC
// socket (here a stand-in unix socket server speaking first, as QEMU's does).
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DisplayBridge } from '../../../src/main/display/bridge';
import { DISPLAY_CHANNEL } from '../../../src/main/electron/channels';
import { bindDisplayPorts } from '../../../src/main/electron/display-port';

class FakePort extends EventEmitter {
  posted: unknown[] = [];
  started = false;
  closed = false;
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  start() {
    this.started = true;
  }
  close() {
    this.closed = true;
  }
  /** What the renderer's end would send. */
  fromRenderer(data: unknown) {
    this.emit('message', { data });
  }
}

let dir: string;
let server: Server | undefined;
afterEach(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function setup() {
  dir = await mkdtemp(join(tmpdir(), 'gb-dport-'));
  const sock = join(dir, 'vnc.sock');
  const got: Buffer[] = [];
  const conns: Socket[] = [];
  server = createServer((c) => {
    conns.push(c);
    c.write('RFB 003.008\n');
    c.on('data', (d) => got.push(d));
  });
  await new Promise<void>((r) => server!.listen(sock, r));
  const listeners = new Map<string, (e: unknown, m: unknown) => void>();
  const ipcMain = { on: (ch: string, fn: never) => void listeners.set(ch, fn), removeListener: (ch: string) => void listeners.delete(ch) };
  const mainFrame = { url: 'guestbay://app/index.html', parent: null, processId: 4, routingId: 1 };
  const webContents = { id: 1, mainFrame };
  const win = { isDestroyed: () => false, webContents };
  const displays = new DisplayBridge();
  const unbind = bindDisplayPorts({ ipcMain: ipcMain as never, displays, mainWindow: () => win as never });
  const send = (message: unknown, senderFrame: unknown = mainFrame, sender: unknown = webContents) => {
    const port = new FakePort();
    listeners.get(DISPLAY_CHANNEL)!({ sender, senderFrame, ports: [port] }, message);
    return port;
  };
  return { sock, got, conns, displays, send, listeners, unbind, mainFrame };
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f()).toBe(true);
};

describe('display ports (desktop app)', () => {
  it("joins the app's port to the guest's VNC socket, both ways", async () => {
    const s = await setup();
    const { ticket } = s.displays.issue('deb', s.sock);
    const port = s.send({ ticket });
    expect(port.started).toBe(true);
    await until(() => port.posted.length > 0);
    expect(Buffer.from(port.posted[0] as Uint8Array).toString()).toBe('RFB 003.008\n');
    port.fromRenderer(new TextEncoder().encode('RFB 003.008\n'));
    await until(() => s.got.length > 0);
    expect(Buffer.concat(s.got).toString()).toBe('RFB 003.008\n');
    expect(s.displays.connections('deb')).toBe(1);
    // The view ends: the socket to QEMU goes too.
    port.fromRenderer({ close: { code: 1000, reason: 'bye' } });
    await until(() => s.displays.connections('deb') === 0);
    // The guest goes away: the port is told why, with the code the view reconnects on.
    const again = s.send({ ticket: s.displays.issue('deb', s.sock).ticket });
    await until(() => again.posted.length > 0);
    s.displays.closeGuest('deb', '"deb" was saved');
    expect(again.posted.at(-1)).toEqual({ close: { code: 4001, reason: '"deb" was saved' } });
    expect(again.closed).toBe(true);
  });

  it('refuses a subframe, another window, a page elsewhere, and a ticket that is not one', async () => {
    const s = await setup();
    const { ticket } = s.displays.issue('deb', s.sock);
    const sub = s.send({ ticket }, { ...s.mainFrame, parent: s.mainFrame, routingId: 2 });
    expect(sub.posted).toEqual([{ close: { code: 4003, reason: expect.stringMatching(/^Refused: not sent by the main frame/) } }]);
    const other = s.send({ ticket }, s.mainFrame, { id: 2 });
    expect(other.posted).toEqual([{ close: { code: 4003, reason: expect.stringMatching(/^Refused/) } }]);
    const elsewhere = s.send({ ticket }, { ...s.mainFrame, url: 'https://example.com/' });
    expect(elsewhere.posted).toEqual([{ close: { code: 4003, reason: 'Refused: not sent by the app.' } }]);
    const bad = s.send({ ticket: 'f'.repeat(64) });
    await until(() => bad.posted.length > 0);
    expect(bad.posted[0]).toEqual({ close: { code: 4004, reason: expect.stringMatching(/unknown, expired or already used/) } });
    expect(s.send({ nothing: 1 }).posted[0]).toEqual({ close: { code: 4004, reason: 'a display request is { ticket }' } });
    // None of them reached the guest's socket; the refused ticket is still good for the app.
    expect(s.conns).toHaveLength(0);
    const ok = s.send({ ticket });
    await until(() => ok.posted.length > 0);
    expect(s.conns).toHaveLength(1);
    // Once only.
    const twice = s.send({ ticket });
    await until(() => twice.posted.length > 0);
    expect(twice.posted[0]).toEqual({ close: { code: 4004, reason: expect.any(String) } });
    s.unbind();
    expect(s.listeners.size).toBe(0);
  });
});
