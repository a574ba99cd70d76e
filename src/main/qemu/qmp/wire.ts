// Framing of QMP on a byte stream: one JSON object per line, both ways. QEMU ends its lines
// with "\r\n"; we send "\n". Lines are split on bytes and decoded whole, so a multi-byte
// UTF-8 character cut by a chunk boundary is never mangled.

import { QmpProtocolError } from './errors';

/** 64 MiB: far above the largest real reply (query-qmp-schema is ~200 kB), yet bounded. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const LF = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Feeds one chunk; returns the complete, non-blank lines it finished, without the EOL. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(LF, start); nl !== -1; nl = chunk.indexOf(LF, start)) {
      let bytes = chunk.subarray(start, nl);
      if (this.parts.length > 0) {
        this.parts.push(bytes);
        bytes = Buffer.concat(this.parts, this.pendingBytes + bytes.length);
        this.parts = [];
        this.pendingBytes = 0;
      }
      this.checkLength(bytes.length);
      start = nl + 1;
      const line = bytes.toString('utf8').trim();
      if (line !== '') lines.push(line);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pendingBytes += rest.length;
      this.checkLength(this.pendingBytes);
      this.parts.push(rest);
    }
    return lines;
  }

  /** Bytes received after the last line end (a message cut by a disconnect). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private checkLength(n: number): void {
    if (n > this.maxLineBytes) {
      throw new QmpProtocolError(`QMP line longer than ${this.maxLineBytes} bytes`);
    }
  }
}

export function encodeLine(message: object): string {
  return `${JSON.stringify(message)}\n`;
}

export function decodeLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new QmpProtocolError(`not JSON from QMP: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
  }
}
