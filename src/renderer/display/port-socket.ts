// The desktop app's display channel: a MessagePort from the main process (handed over by the
// preload, see src/main/electron/display-port.ts), dressed as the WebSocket noVNC's RFB takes
// as its channel. Data messages are bytes; the one control message is `{ close: { code, reason } }`
// from main, or `{ close: … }` from here when the view ends.

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export interface CloseInfo {
  code: number;
  reason: string;
}

type Handler = ((ev: unknown) => void) | null;

export class PortSocket {
  readyState: number = CONNECTING;
  binaryType = 'arraybuffer';
  protocol = '';
  onopen: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  private handler: ((ev: { data: ArrayBuffer }) => void) | null = null;
  /** Bytes that came before anyone listened (QEMU greets at once; noVNC attaches a moment later). */
  private early: ArrayBuffer[] = [];
  /** Why it closed, once it has (the WebSocket close code and reason, same meaning). */
  closed: CloseInfo | null = null;
  private readonly closeListeners = new Set<(c: CloseInfo) => void>();

  constructor(private readonly port: MessagePort) {
    port.onmessage = (e: MessageEvent) => this.receive(e.data);
    port.start();
    // Open at once: the main process has the other end and answers with bytes or a close.
    queueMicrotask(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.onopen?.({ type: 'open' });
    });
  }

  get onmessage(): ((ev: { data: ArrayBuffer }) => void) | null {
    return this.handler;
  }

  set onmessage(fn: ((ev: { data: ArrayBuffer }) => void) | null) {
    this.handler = fn;
    // After the attaching code has run (noVNC sets its state right after this handler): a
    // microtask, so nothing that arrives later can overtake these.
    if (fn && this.early.length) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    while (this.handler && this.early.length) this.handler({ data: this.early.shift()! });
  }

  send(data: ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== OPEN) return;
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data.slice(0)) : new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.port.postMessage(bytes, [bytes.buffer]);
  }

  close(): void {
    if (this.readyState === CLOSED) return;
    this.port.postMessage({ close: { code: 1000, reason: 'the view was closed' } });
    this.finish({ code: 1000, reason: 'the view was closed' });
  }

  addCloseListener(fn: (c: CloseInfo) => void): void {
    this.closeListeners.add(fn);
  }

  private receive(data: unknown): void {
    if (this.readyState === CLOSED) return;
    // By shape, not instanceof: a message may come from another realm (another context's Uint8Array).
    const isBuffer = Object.prototype.toString.call(data) === '[object ArrayBuffer]';
    if (ArrayBuffer.isView(data) || isBuffer) {
      const buf = isBuffer ? (data as ArrayBuffer) : ((data as ArrayBufferView).buffer.slice((data as ArrayBufferView).byteOffset, (data as ArrayBufferView).byteOffset + (data as ArrayBufferView).byteLength) as ArrayBuffer);
      if (this.handler && !this.early.length) this.handler({ data: buf });
      else this.early.push(buf);
    } else if (typeof data === 'object' && data !== null && 'close' in data) {
      const c = (data as { close?: Partial<CloseInfo> }).close ?? {};
      this.finish({ code: typeof c.code === 'number' ? c.code : 1006, reason: typeof c.reason === 'string' ? c.reason : '' });
    }
  }

  private finish(c: CloseInfo): void {
    this.readyState = CLOSED;
    this.closed = c;
    this.port.onmessage = null;
    this.port.close();
    this.onclose?.({ type: 'close', code: c.code, reason: c.reason, wasClean: c.code === 1000 });
    for (const fn of this.closeListeners) fn(c);
  }
}
