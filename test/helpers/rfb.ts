// A small RFB (VNC) client for tests: enough of the protocol to see what QEMU's VNC server
// says (desktop size replies, pointer mode, clipboard) and to read its pixels, over any byte
// stream (a unix socket, or a WebSocket through the display bridge). The product draws with
// noVNC; this only looks, so tests can check messages the test guest cannot show.
import { inflateSync, deflateSync } from 'node:zlib';

export const ENC = {
  raw: 0,
  desktopSize: -223,
  pointerTypeChange: -257,
  qemuExtendedKey: -258,
  extendedDesktopSize: -308,
  /** 0xc0a1e5ce as a signed 32-bit number. */
  extendedClipboard: 0xc0a1e5ce | 0,
} as const;

const CLIP = { caps: 1 << 24, request: 1 << 25, peek: 1 << 26, notify: 1 << 27, provide: 1 << 28, text: 1 } as const;

export interface ByteStream {
  write(data: Uint8Array): void;
  onData(fn: (data: Uint8Array) => void): void;
  onClose(fn: () => void): void;
  close(): void;
}

export type RfbMessage =
  | { type: 'desktop-size'; width: number; height: number }
  | { type: 'extended-desktop-size'; reason: number; status: number; width: number; height: number }
  | { type: 'pointer-type'; absolute: boolean }
  | { type: 'qemu-extended-key' }
  | { type: 'clipboard-caps'; flags: number }
  | { type: 'clipboard-notify'; flags: number }
  | { type: 'clipboard-request'; flags: number }
  | { type: 'clipboard-text'; text: string }
  | { type: 'update'; rects: number }
  | { type: 'bell' };

export class RfbClient {
  width = 0;
  height = 0;
  name = '';
  /** BGRX, 4 bytes a pixel, as QEMU sends it for the pixel format set below. */
  pixels = new Uint8Array(0);
  readonly messages: RfbMessage[] = [];
  closed = false;
  private buf = new Uint8Array(0);
  private waiters: { n: number; resolve: (b: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  private listeners = new Set<(m: RfbMessage) => void>();

  private constructor(private readonly s: ByteStream) {
    s.onData((d) => {
      const b = new Uint8Array(this.buf.length + d.length);
      b.set(this.buf);
      b.set(d, this.buf.length);
      this.buf = b;
      this.pump();
    });
    s.onClose(() => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('the VNC connection closed'));
    });
  }

  /** Handshake (RFB 3.8, no authentication: the socket's folder is the guard), then reads messages. */
  static async connect(s: ByteStream, encodings: number[] = [ENC.raw, ENC.desktopSize, ENC.extendedDesktopSize, ENC.pointerTypeChange, ENC.qemuExtendedKey, ENC.extendedClipboard]): Promise<RfbClient> {
    const c = new RfbClient(s);
    const version = new TextDecoder().decode(await c.read(12));
    if (!version.startsWith('RFB 003.')) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
    s.write(new TextEncoder().encode('RFB 003.008\n'));
    const n = (await c.read(1))[0]!;
    const types = [...(await c.read(n))];
    if (!types.includes(1)) throw new Error(`the server wants authentication: ${types.join(',')}`);
    s.write(Uint8Array.of(1));
    const result = new DataView((await c.read(4)).buffer).getUint32(0);
    if (result !== 0) throw new Error('security handshake failed');
    s.write(Uint8Array.of(1)); // shared: other viewers stay connected
    const init = new DataView((await c.read(24)).buffer);
    c.width = init.getUint16(0);
    c.height = init.getUint16(2);
    const nameLen = init.getUint32(20);
    c.name = new TextDecoder().decode(await c.read(nameLen));
    c.pixels = new Uint8Array(c.width * c.height * 4);
    // 32 bpp, depth 24, little endian, true colour, red at 16, green at 8, blue at 0.
    const pf = new Uint8Array(20);
    const v = new DataView(pf.buffer);
    v.setUint8(0, 0);
    v.setUint8(4, 32);
    v.setUint8(5, 24);
    v.setUint8(6, 0);
    v.setUint8(7, 1);
    v.setUint16(8, 255);
    v.setUint16(10, 255);
    v.setUint16(12, 255);
    v.setUint8(14, 16);
    v.setUint8(15, 8);
    v.setUint8(16, 0);
    s.write(pf);
    const enc = new DataView(new ArrayBuffer(4 + 4 * encodings.length));
    enc.setUint8(0, 2);
    enc.setUint16(2, encodings.length);
    encodings.forEach((e, i) => enc.setInt32(4 + 4 * i, e));
    s.write(new Uint8Array(enc.buffer));
    void c.loop().catch(() => undefined);
    return c;
  }

  on(fn: (m: RfbMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Waits for a message matching `pred` (already received ones count). */
  async waitFor<T extends RfbMessage>(pred: (m: RfbMessage) => m is T, timeoutMs?: number): Promise<T>;
  async waitFor(pred: (m: RfbMessage) => boolean, timeoutMs?: number): Promise<RfbMessage>;
  async waitFor(pred: (m: RfbMessage) => boolean, timeoutMs = 20_000): Promise<RfbMessage> {
    const seen = this.messages.find(pred);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        off();
        reject(new Error(`no such VNC message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-8))}`));
      }, timeoutMs);
      const off = this.on((m) => {
        if (!pred(m)) return;
        clearTimeout(t);
        off();
        resolve(m);
      });
    });
  }

  requestUpdate(incremental = false): void {
    const b = new DataView(new ArrayBuffer(10));
    b.setUint8(0, 3);
    b.setUint8(1, incremental ? 1 : 0);
    b.setUint16(6, this.width);
    b.setUint16(8, this.height);
    this.s.write(new Uint8Array(b.buffer));
  }

  /** A whole, fresh picture of the screen. */
  async frame(timeoutMs = 20_000): Promise<{ width: number; height: number; pixels: Uint8Array }> {
    const before = this.messages.length;
    this.requestUpdate(false);
    await this.waitFor((m) => m.type === 'update' && this.messages.indexOf(m) >= before, timeoutMs);
    return { width: this.width, height: this.height, pixels: this.pixels.slice() };
  }

  key(keysym: number, down: boolean): void {
    const b = new DataView(new ArrayBuffer(8));
    b.setUint8(0, 4);
    b.setUint8(1, down ? 1 : 0);
    b.setUint32(4, keysym);
    this.s.write(new Uint8Array(b.buffer));
  }

  pointer(x: number, y: number, buttons = 0): void {
    const b = new DataView(new ArrayBuffer(6));
    b.setUint8(0, 5);
    b.setUint8(1, buttons);
    b.setUint16(2, x);
    b.setUint16(4, y);
    this.s.write(new Uint8Array(b.buffer));
  }

  setDesktopSize(width: number, height: number): void {
    const b = new DataView(new ArrayBuffer(8 + 16));
    b.setUint8(0, 251);
    b.setUint16(2, width);
    b.setUint16(4, height);
    b.setUint8(6, 1);
    b.setUint32(8, 0);
    b.setUint16(16, width);
    b.setUint16(18, height);
    this.s.write(new Uint8Array(b.buffer));
  }

  /** Extended clipboard: "I have text" and the text itself (what noVNC does on a paste). */
  clipboardProvide(text: string): void {
    const utf8 = new TextEncoder().encode(`${text}\0`);
    const body = new Uint8Array(4 + utf8.length);
    new DataView(body.buffer).setUint32(0, utf8.length);
    body.set(utf8, 4);
    this.clipboardMessage(CLIP.notify | CLIP.text);
    this.clipboardMessage(CLIP.provide | CLIP.text, deflateSync(body));
  }

  clipboardRequest(): void {
    this.clipboardMessage(CLIP.request | CLIP.text);
  }

  private clipboardMessage(flags: number, payload: Uint8Array = new Uint8Array(0)): void {
    const b = new DataView(new ArrayBuffer(8 + 4 + payload.length));
    b.setUint8(0, 6);
    b.setInt32(4, -(4 + payload.length));
    b.setUint32(8, flags >>> 0);
    const out = new Uint8Array(b.buffer);
    out.set(payload, 12);
    this.s.write(out);
  }

  close(): void {
    this.s.close();
  }

  private emit(m: RfbMessage): void {
    this.messages.push(m);
    for (const fn of [...this.listeners]) fn(m);
  }

  private read(n: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the VNC connection closed'));
      this.waiters.push({ n, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiters.length && this.buf.length >= this.waiters[0]!.n) {
      const w = this.waiters.shift()!;
      const out = this.buf.slice(0, w.n);
      this.buf = this.buf.slice(w.n);
      w.resolve(out);
    }
  }

  private async u8() {
    return (await this.read(1))[0]!;
  }
  private async u16() {
    return new DataView((await this.read(2)).buffer).getUint16(0);
  }
  private async s32() {
    return new DataView((await this.read(4)).buffer).getInt32(0);
  }

  private async loop(): Promise<void> {
    for (;;) {
      const type = await this.u8();
      if (type === 0) {
        await this.read(1);
        const n = await this.u16();
        for (let r = 0; r < n; r++) {
          const h = new DataView((await this.read(12)).buffer);
          const x = h.getUint16(0), y = h.getUint16(2), w = h.getUint16(4), hh = h.getUint16(6), enc = h.getInt32(8);
          if (enc === ENC.raw) {
            const data = await this.read(w * hh * 4);
            for (let row = 0; row < hh; row++) this.pixels.set(data.subarray(row * w * 4, (row + 1) * w * 4), ((y + row) * this.width + x) * 4);
          } else if (enc === ENC.desktopSize) {
            this.resize(w, hh);
            this.emit({ type: 'desktop-size', width: w, height: hh });
          } else if (enc === ENC.extendedDesktopSize) {
            const screens = await this.u8();
            await this.read(3 + 16 * screens);
            this.resize(w, hh);
            this.emit({ type: 'extended-desktop-size', reason: x, status: y, width: w, height: hh });
          } else if (enc === ENC.pointerTypeChange) {
            this.emit({ type: 'pointer-type', absolute: x !== 0 });
          } else if (enc === ENC.qemuExtendedKey) {
            this.emit({ type: 'qemu-extended-key' });
          } else {
            throw new Error(`unexpected encoding ${enc}`);
          }
        }
        this.emit({ type: 'update', rects: n });
      } else if (type === 2) {
        this.emit({ type: 'bell' });
      } else if (type === 3) {
        await this.read(3);
        const len = await this.s32();
        if (len >= 0) {
          this.emit({ type: 'clipboard-text', text: new TextDecoder('latin1').decode(await this.read(len)) });
          continue;
        }
        const body = await this.read(-len);
        const flags = new DataView(body.buffer).getUint32(0);
        if (flags & CLIP.caps) this.emit({ type: 'clipboard-caps', flags });
        else if (flags & CLIP.provide) {
          const raw = inflateSync(body.subarray(4));
          const size = new DataView(raw.buffer, raw.byteOffset).getUint32(0);
          this.emit({ type: 'clipboard-text', text: new TextDecoder().decode(raw.subarray(4, 4 + size)).replace(/\0$/, '') });
        } else if (flags & CLIP.notify) this.emit({ type: 'clipboard-notify', flags });
        else if (flags & CLIP.request) this.emit({ type: 'clipboard-request', flags });
      } else {
        throw new Error(`unexpected server message ${type}`);
      }
    }
  }

  private resize(w: number, h: number): void {
    this.width = w;
    this.height = h;
    this.pixels = new Uint8Array(w * h * 4);
  }
}

/** A unix socket (QEMU's VNC socket itself) as a ByteStream. */
export function socketStream(sock: import('node:net').Socket): ByteStream {
  return {
    write: (d) => void sock.write(d),
    onData: (fn) => void sock.on('data', (d: Buffer) => fn(new Uint8Array(d))),
    onClose: (fn) => void sock.on('close', fn),
    close: () => sock.destroy(),
  };
}
