// The headless server's display WebSocket, as noVNC's channel: the same object, except that
// bytes arriving before noVNC attaches (QEMU greets the moment the bridge connects, and noVNC
// attaches on a later task) are kept and handed over instead of being dropped.
import type { CloseInfo } from './port-socket';

type Handler = ((ev: unknown) => void) | null;

export class WsSocket {
  onopen: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  private handler: ((ev: { data: ArrayBuffer }) => void) | null = null;
  private early: ArrayBuffer[] = [];
  private readonly closeListeners = new Set<(c: CloseInfo) => void>();

  constructor(private readonly ws: WebSocket) {
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', (e) => this.onopen?.(e));
    ws.addEventListener('error', (e) => this.onerror?.(e));
    ws.addEventListener('close', (e) => {
      this.onclose?.(e);
      for (const fn of this.closeListeners) fn({ code: e.code, reason: e.reason });
    });
    ws.addEventListener('message', (e: MessageEvent) => {
      if (!(e.data instanceof ArrayBuffer)) return;
      if (this.handler && !this.early.length) this.handler({ data: e.data });
      else this.early.push(e.data);
    });
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  get binaryType(): string {
    return this.ws.binaryType;
  }

  set binaryType(_v: string) {
    // Always arraybuffer.
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
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }

  addCloseListener(fn: (c: CloseInfo) => void): void {
    this.closeListeners.add(fn);
  }
}
