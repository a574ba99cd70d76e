// Issue acceptance (the display's security and messages), with real QEMU (the tiny guest: no
// graphics driver, but QEMU's VNC server serves its console all the same) behind the headless
// server's real display route: who is refused and why, the RFB stream through the bridge, what
// QEMU answers to a resize request and to the clipboard, several guests at once, and the
// thumbnail taken from the open view instead of another screendump.
import { request } from 'node:http';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApi, type Api } from '../../../src/main/api';
import { encodePng } from '../../../src/main/media';
import { serve, type Served } from '../../../src/main/server/serve';
import { guestWorld } from '../../helpers/guests';
import { RfbClient, socketStream, type ByteStream } from '../../helpers/rfb';

let w: Awaited<ReturnType<typeof guestWorld>>;
let api: Api;
let s: Served;
const origin = () => `http://127.0.0.1:${s.port}`;
const base = () => `ws://127.0.0.1:${s.port}/${s.token}`;

function wsStream(ws: WebSocket): ByteStream {
  return {
    write: (d) => ws.send(d),
    onData: (fn) => void ws.on('message', (d: Buffer) => fn(new Uint8Array(d))),
    onClose: (fn) => void ws.on('close', fn),
    close: () => ws.close(),
  };
}

async function openWs(path: string, o: { origin?: string } = { origin: origin() }): Promise<WebSocket> {
  const ws = new WebSocket(`${base()}/${path}`, o.origin ? { origin: o.origin } : {});
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

const closeOf = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));

/** An upgrade refused before it becomes a WebSocket: status and body as the server sent them. */
function rawUpgrade(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Host: `127.0.0.1:${s.port}`, ...headers } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}

async function open(name: string) {
  const r = await api.dispatch('display.open', { name });
  if (!r.ok) throw new Error(r.error.message);
  return r.output as { ticket: string; agent: string; resizes: boolean; agentDetail: string };
}

beforeAll(async () => {
  w = await guestWorld('gb-display-');
  await w.create('one');
  await w.create('two');
  api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env, validateOutputs: true });
  s = await serve({ api, staticDir: w.home });
  for (const name of ['one', 'two']) expect(await api.dispatch('guests.start', { name, headless: true })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await s?.close();
  await api?.dispose();
  await w?.cleanup();
});

describe('a guest\'s screen through the headless server', () => {
  it('refuses a name that is not a guest, path tricks, a stopped guest, a foreign Origin, no token, and a bad or used ticket', async () => {
    await w.create('off');
    const refused = async (input: unknown) => {
      const r = await api.dispatch('display.open', input);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error.message;
    };
    expect(await refused({ name: 'nobody' })).toMatch(/there is no guest named "nobody"/);
    expect(await refused({ name: '../one' })).toMatch(/a name uses only letters/i);
    expect(await refused({ name: 'one/../../two' })).toMatch(/a name uses only letters/i);
    expect(await refused({ name: 'off' })).toMatch(/"off" is stopped: its screen is there only while it runs/);

    const { ticket } = await open('one');
    // Another site's page (browsers send its Origin), and no Origin at all: refused with the reason.
    expect(await rawUpgrade(`/${s.token}/display/${ticket}`, { Origin: 'http://evil.example' })).toEqual({ status: 403, body: expect.stringMatching(/refused: a WebSocket from the origin http:\/\/evil.example is not Guestbay's page/) });
    expect(await rawUpgrade(`/${s.token}/display/${ticket}`, {})).toMatchObject({ status: 403 });
    // Without the token, or with a path trick instead of a ticket: nothing is there.
    expect(await rawUpgrade(`/display/${ticket}`, { Origin: origin() })).toMatchObject({ status: 404 });
    expect(await rawUpgrade(`/${s.token}/display/..%2fws`, { Origin: origin() })).toMatchObject({ status: 404 });
    expect(await rawUpgrade(`/${s.token}/display/${ticket}/x`, { Origin: origin() })).toMatchObject({ status: 404 });
    // A well-formed ticket nobody issued: told so by the close reason.
    const bad = await openWs(`display/${'0'.repeat(64)}`);
    expect(await closeOf(bad)).toEqual({ code: 4004, reason: expect.stringMatching(/unknown, expired or already used/) });
    // The refused attempts did not use the ticket up; using it does.
    const ok = await openWs(`display/${ticket}`);
    const twice = await openWs(`display/${ticket}`);
    expect((await closeOf(twice)).code).toBe(4004);
    ok.close();
  });

  it('carries RFB through the bridge: the screen, the pointer mode, a resize request, and the clipboard both ways', async () => {
    const { ticket, agent, resizes, agentDetail } = await open('one');
    // QEMU 7.2 and 10.0 cannot save a guest with the vdagent channel: left out, and the view says why.
    // (Where QEMU can, the tiny guest runs no spice-vdagent: the channel is there, no agent answers.)
    const caps = await w.probe();
    if (caps.qemu!.vdagentMigrates) {
      expect(agent).toBe('absent');
      expect(agentDetail).toMatch(/does not run spice-vdagent/);
    } else {
      expect(agent).toBe('none');
      expect(agentDetail).toMatch(/cannot save a guest that has its clipboard channel/);
    }
    expect(resizes).toBe(true); // virtio-vga (the Linux preset)
    const view = await RfbClient.connect(wsStream(await openWs(`display/${ticket}`)));
    expect(view.width).toBeGreaterThan(0);
    const f = await view.frame();
    expect(f.pixels.length).toBe(f.width * f.height * 4);
    // Views refused or closed by the test before end on the server a moment later (a loaded
    // machine shows it): the count settles at this one view.
    await expect.poll(() => api.displays!.connections('one')).toBe(1);
    // QEMU's own extensions are offered: scancodes (so any key reaches the guest) and a pointer mode.
    await view.waitFor((m) => m.type === 'qemu-extended-key');
    await view.waitFor((m) => m.type === 'pointer-type');
    // The view asks for the window's size: QEMU 7.2 and 10 both forward it to the device (status 4),
    // which passes it to the guest's driver as its preferred mode (EDID).
    view.setDesktopSize(1024, 640);
    expect(await view.waitFor((m): m is Extract<typeof m, { type: 'extended-desktop-size' }> => m.type === 'extended-desktop-size' && m.reason === 1)).toMatchObject({ status: 4 });

    // Clipboard: what the view pastes reaches QEMU's clipboard (the one spice-vdagent would hand to
    // the guest), seen here by a second client on the socket; and back the other way.
    const rt = await w.supervisor().record('one');
    const sock = createConnection(rt!.plan.display.vncSocket!);
    await new Promise((r) => sock.once('connect', r));
    const other = await RfbClient.connect(socketStream(sock));
    await other.waitFor((m) => m.type === 'clipboard-caps');
    view.clipboardProvide('from the view ✓');
    await other.waitFor((m) => m.type === 'clipboard-notify');
    other.clipboardRequest();
    expect(await other.waitFor((m): m is Extract<typeof m, { type: 'clipboard-text' }> => m.type === 'clipboard-text')).toMatchObject({ text: 'from the view ✓' });
    other.clipboardProvide('from the guest side');
    await view.waitFor((m) => m.type === 'clipboard-notify');
    view.clipboardRequest();
    await view.waitFor((m) => m.type === 'clipboard-text' && m.text === 'from the guest side');
    other.close();
    view.close();
  });

  it('serves several guests at once, and the open view\'s picture is the thumbnail', async () => {
    const [a, b] = await Promise.all([open('one'), open('two')]);
    const [va, vb] = await Promise.all([openWs(`display/${a.ticket}`), openWs(`display/${b.ticket}`)]);
    const [ra, rb] = await Promise.all([RfbClient.connect(wsStream(va)), RfbClient.connect(wsStream(vb))]);
    await Promise.all([ra.frame(), rb.frame()]);
    await expect.poll(() => api.displays!.connections('one')).toBe(1);
    await expect.poll(() => api.displays!.connections('two')).toBe(1);

    // A picture from the view (a 4×3 red image stands for it): the library gets exactly it back,
    // and it is kept in the guest's folder for when the guest is stopped.
    const red = encodePng({ width: 4, height: 3, data: new Uint8Array(4 * 3 * 3).map((_, i) => (i % 3 === 0 ? 255 : 0)) });
    expect(await api.dispatch('display.frame', { name: 'one', png: red.toString('base64') })).toEqual({ ok: true, output: { ok: true } });
    expect(await api.dispatch('guests.screenshot', { name: 'one' })).toMatchObject({ ok: true, output: { png: red.toString('base64'), width: 4, height: 3 } });
    expect(await api.dispatch('guests.lastScreen', { name: 'one' })).toMatchObject({ ok: true, output: { png: red.toString('base64'), width: 4, height: 3 } });
    // Without an open view, QEMU is asked (a real screendump, not the red picture).
    const two = await api.dispatch('guests.screenshot', { name: 'two' });
    vb.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await api.dispatch('guests.screenshot', { name: 'two' });
    expect(again).toMatchObject({ ok: true });
    expect(two.ok).toBe(true);
    // Not a PNG, or too big: refused, nothing kept.
    expect(await api.dispatch('display.frame', { name: 'one', png: Buffer.from('not a png').toString('base64') })).toMatchObject({ ok: false, error: { fields: [{ field: 'png', message: expect.stringMatching(/not a PNG/) }] } });

    // The guest goes away: its view is told why, with the code the app reconnects on.
    const closed = closeOf(va);
    expect(await api.dispatch('guests.stop', { name: 'one', force: true })).toMatchObject({ ok: true });
    // Whichever comes first says it: the state event, or QEMU closing its socket.
    expect(await closed).toEqual({ code: 4001, reason: expect.stringMatching(/^"one" stopped$|^the screen of "one" went away: its QEMU stopped$/) });
    await expect.poll(() => api.displays!.connections('one')).toBe(0);
    // Its last picture stays.
    expect(await api.dispatch('guests.lastScreen', { name: 'one' })).toMatchObject({ ok: true, output: { width: 4, height: 3 } });
    ra.close();
    rb.close();
  });
});
