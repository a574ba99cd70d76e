// A local stand-in for a static download server (fedorapeople.org, Microsoft's CDN): GET with
// HTTP Range (206 + Content-Range), and faults a test switches on: a connection dropped after
// some bytes, a corrupted body, a refusal.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RangeFile {
  body: Buffer;
  /** Cut the connection after this many bytes of the answer, this many times. */
  dropAfter?: { bytes: number; times: number };
  /** Flip one byte in the next N answers. */
  corrupt?: number;
  /** Answer with this status instead, once per listed entry. */
  refuse?: number[];
  /** Send at about this many bytes per second (so a browser test sees the download in progress). */
  bytesPerSecond?: number;
}

export interface RangeServer {
  base: string;
  files: Map<string, RangeFile>;
  log: { path: string; range: string | null; status: number }[];
  stop(): Promise<void>;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export async function startRangeServer(extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<RangeServer> {
  const files = new Map<string, RangeFile>();
  const log: RangeServer['log'] = [];
  const server = http.createServer((req, res) => {
    if (extra?.(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const f = files.get(path);
    const range = req.headers.range ?? null;
    const note = (status: number) => log.push({ path, range, status });
    if (!f) {
      note(404);
      res.writeHead(404).end('not found');
      return;
    }
    const refusal = f.refuse?.shift();
    if (refusal) {
      note(refusal);
      res.writeHead(refusal).end('refused');
      return;
    }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    if (m) start = Number(m[1]);
    if (start >= f.body.length && m) {
      note(416);
      res.writeHead(416, { 'Content-Range': `bytes */${f.body.length}` }).end();
      return;
    }
    let body = Buffer.from(f.body.subarray(start));
    if (f.corrupt) {
      f.corrupt--;
      const at = Math.floor(body.length / 2);
      body[at] = body[at]! ^ 0xff;
    }
    const status = m ? 206 : 200;
    note(status);
    res.writeHead(status, {
      'Content-Length': body.length,
      'Accept-Ranges': 'bytes',
      ...(m ? { 'Content-Range': `bytes ${start}-${f.body.length - 1}/${f.body.length}` } : {}),
    });
    if (f.dropAfter && f.dropAfter.times > 0) {
      f.dropAfter.times--;
      res.write(body.subarray(0, f.dropAfter.bytes), () => res.socket?.destroy());
      return;
    }
    if (f.bytesPerSecond) {
      const chunk = 64 * 1024;
      const pause = (chunk / f.bytesPerSecond) * 1000;
      let at = 0;
      const tick = () => {
        if (res.destroyed) return;
        const part = body.subarray(at, at + chunk);
        at += chunk;
        if (at >= body.length) res.end(part);
        else res.write(part, () => setTimeout(tick, pause));
      };
      tick();
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    log,
    stop: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
