// Headless mode: the built renderer and the contract over a WebSocket, on 127.0.0.1 only, under
// a random per-run token (`http://127.0.0.1:PORT/<token>/`). Without the token nothing answers
// (404, so its existence is not revealed); a WebSocket from any other Origin is refused, and so
// is any Host but 127.0.0.1/localhost (a rebound DNS name). For a remote host:
// `ssh -L PORT:127.0.0.1:PORT host`, then open the printed URL locally (same port: the Origin
// check compares it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { request as requestSchema, type Response } from '../../shared/contract';
import type { Api } from '../api';
import { isTicket } from '../display/bridge';
import { wsDisplayChannel } from './display-ws';

/**
 * `connect-src 'self'` covers ws:// to the same host and port in current Chromium and Firefox
 * (CSP 3), but not in older engines: the two WebSocket origins are named as well.
 */
export function cspFor(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ServeOptions {
  api: Api;
  /** The built renderer (dist/renderer); served as it is, nothing outside it. */
  staticDir: string;
  /** 0 (the default): a free port. */
  port?: number;
  /** Tests only: a fixed token. */
  token?: string;
}

export interface Served {
  url: string;
  port: number;
  token: string;
  /** Stops listening and drops every connection; the Api stays the caller's to dispose. */
  close(): Promise<void>;
}

/** Larger requests close the connection: no call needs more (serial input is at most 64 KiB). */
export const MAX_MESSAGE = 1024 * 1024;
/** A client this far behind on events (a flooding serial console, a stalled tab) is dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Guestbay</title></head>
<body><h1>The renderer is not built</h1>
<p>Build it, then reload this page:</p>
<pre>npm run build:renderer</pre></body></html>
`;

export async function serve(o: ServeOptions): Promise<Served> {
  const token = o.token ?? randomBytes(24).toString('hex');
  const tokenBytes = Buffer.from(token);
  const root = resolve(o.staticDir);
  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, headers('text/plain; charset=utf-8'));
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  // The view sends only input (keys, pointer, clipboard): small messages; the server sends frames.
  const displayWss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE, perMessageDeflate: false });
  let port = 0;

  const headers = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': cspFor(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // The token is in every URL: keep pages out of shared caches and the disk cache alike.
    'Cache-Control': 'no-store',
  });
  const hostOk = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  /** The path below the token ('' for the app's root), or null when the token is not there. */
  function underToken(rawUrl: string | undefined): string | null {
    const path = (rawUrl ?? '').split('?')[0]!;
    const m = /^\/([^/]*)(\/.*)?$/.exec(path);
    if (!m) return null;
    const given = Buffer.from(m[1]!);
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return null;
    return m[2] === undefined ? null : m[2].slice(1);
  }

  function tokenRoot(rawUrl: string | undefined): boolean {
    const path = (rawUrl ?? '').split('?')[0]!;
    const given = Buffer.from(path.slice(1));
    return path.startsWith('/') && given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const notFound = () => void res.writeHead(404, headers('text/plain; charset=utf-8')).end('not found\n');
    if (!hostOk(req.headers.host)) return notFound();
    if (tokenRoot(req.url)) return void res.writeHead(302, { ...headers('text/plain; charset=utf-8'), Location: `/${token}/` }).end();
    const rel = underToken(req.url);
    if (rel === null) return notFound();
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { ...headers('text/plain; charset=utf-8'), Allow: 'GET, HEAD' }).end();
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      return void res.writeHead(400, headers('text/plain; charset=utf-8')).end('bad request\n');
    }
    if (decoded.includes('\0')) return void res.writeHead(400, headers('text/plain; charset=utf-8')).end('bad request\n');
    const file = resolve(root, decoded || 'index.html');
    // Normalized first, then checked: `..`, `%2e%2e%2f` and absolute paths all end up here.
    if (!file.startsWith(root + sep)) return notFound();
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) {
      if (file === resolve(root, 'index.html')) return void res.writeHead(503, headers('text/html; charset=utf-8')).end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return notFound();
    }
    const body = await readFile(file);
    res.writeHead(200, { ...headers(TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'), 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const refuse = (socket: Duplex, status: string, message = '') => {
    const body = message ? `${message}\n` : '';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };

  /** The contract's socket (`ws`), or a guest's screen (`display/<ticket>`, a ticket from display.open). */
  const route = (rel: string | null): { kind: 'contract' } | { kind: 'display'; ticket: string } | null => {
    if (rel === 'ws') return { kind: 'contract' };
    const m = rel === null ? null : /^display\/([^/]*)$/.exec(rel);
    return m && isTicket(m[1]!) ? { kind: 'display', ticket: m[1]! } : null;
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const where = hostOk(req.headers.host) ? route(underToken(req.url)) : null;
    if (!where) return refuse(socket, '404 Not Found');
    // A page on any other site can open a WebSocket to 127.0.0.1 (browsers send its Origin and
    // do not apply CORS): the exact Origin is what keeps it out. No Origin: not a browser tab
    // of ours either. The same check guards the contract and every guest's screen.
    const origin = req.headers.origin;
    if (origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return refuse(socket, '403 Forbidden', `refused: a WebSocket from ${origin ? `the origin ${origin}` : 'no origin'} is not Guestbay's page`);
    }
    if (where.kind === 'display') {
      const displays = o.api.displays;
      if (!displays) return refuse(socket, '404 Not Found');
      // Binary frames, no size limit of the contract's: a screen update can be megabytes.
      return displayWss.handleUpgrade(req, socket, head, (ws) => void displays.attach(where.ticket, wsDisplayChannel(ws)));
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  function connection(ws: WebSocket) {
    // Oversized or malformed frames: ws reports here and closes the connection itself.
    ws.on('error', () => {});
    const send = (data: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) return void ws.terminate();
      ws.send(JSON.stringify(data));
    };
    const off = o.api.onEvent(send);
    ws.on('close', off);
    ws.on('message', (raw: RawData) => void answer(raw));

    async function answer(raw: RawData) {
      let msg: unknown;
      try {
        msg = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.concat(raw instanceof ArrayBuffer ? [Buffer.from(raw)] : raw).toString('utf8'));
      } catch {
        return ws.close(1007, 'not JSON');
      }
      const r = requestSchema.safeParse(msg);
      if (!r.success) return ws.close(1008, 'not a request');
      const reply = await o.api.dispatch(r.data.call, r.data.input);
      const response: Response = { id: r.data.id, ...reply };
      send(response);
    }
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    // Loopback only: the headless mode is never reachable from the network by itself.
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as { port: number }).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    port,
    token,
    close: () =>
      (closed ??= new Promise<void>((done) => {
        for (const c of wss.clients) c.terminate();
        for (const c of displayWss.clients) c.terminate();
        wss.close();
        displayWss.close();
        server.close(() => done());
        server.closeAllConnections();
      })),
  };
}
