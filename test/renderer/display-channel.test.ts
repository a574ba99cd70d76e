// The channels noVNC's RFB gets (src/renderer/display/): they must pass noVNC's own check of a
// raw channel (core/websock.js: these properties, as own keys or on the class), keep the bytes
// QEMU sends before noVNC attaches and hand them over only after its attach has run, and say why
// they closed.
import { describe, expect, it } from 'vitest';
import { PortSocket } from '../../src/renderer/display/port-socket';

/** What noVNC's Websock.attach() checks (@novnc/novnc 1.7.0, core/websock.js). */
const RAW_CHANNEL_PROPS = ['send', 'close', 'binaryType', 'onerror', 'onmessage', 'onopen', 'protocol', 'readyState'];

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('PortSocket (the desktop app\'s display channel)', () => {
  it('looks like a channel to noVNC, keeps early bytes until it attaches, and carries both ways', async () => {
    const { port1, port2 } = new MessageChannel();
    const s = new PortSocket(port1 as unknown as MessagePort);
    const props = [...Object.keys(s), ...Object.getOwnPropertyNames(Object.getPrototypeOf(s))];
    for (const p of RAW_CHANNEL_PROPS) expect(props).toContain(p);
    // QEMU greets before anyone listens.
    port2.postMessage(new TextEncoder().encode('RFB 003.008\n'));
    await tick();
    expect(s.readyState).toBe(1);
    // noVNC's attach: sets onmessage, then (same task) its state; the early bytes come after.
    const got: string[] = [];
    let state = '';
    s.onmessage = (e) => got.push(`${state}:${new TextDecoder().decode(e.data)}`);
    state = 'ProtocolVersion';
    await tick();
    expect(got).toEqual(['ProtocolVersion:RFB 003.008\n']);
    // From the view to main.
    const toMain: unknown[] = [];
    port2.onmessage = (e) => toMain.push(e.data);
    s.send(new TextEncoder().encode('RFB 003.008\n'));
    await tick();
    expect(new TextDecoder().decode(toMain[0] as Uint8Array)).toBe('RFB 003.008\n');
    // Main ends it, saying why: the view learns the code and the reason.
    const closed: unknown[] = [];
    s.addCloseListener((c) => closed.push(c));
    port2.postMessage({ close: { code: 4001, reason: '"deb" was saved' } });
    await tick();
    expect(s.readyState).toBe(3);
    expect(closed).toEqual([{ code: 4001, reason: '"deb" was saved' }]);
    port2.close();
  });

  it('closing from the view tells main', async () => {
    const { port1, port2 } = new MessageChannel();
    const s = new PortSocket(port1 as unknown as MessagePort);
    const toMain: unknown[] = [];
    port2.onmessage = (e) => toMain.push(e.data);
    s.close();
    await tick();
    expect(toMain).toEqual([{ close: { code: 1000, reason: 'the view was closed' } }]);
    port2.close();
  });
});
