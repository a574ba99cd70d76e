// Headless mode: the built renderer and the contract over a WebSocket, on 127.0.0.1 only, under
// a random per-run token (`http://127.0.0.1:PORT/<token>/`). Without the token nothing answers
// (404, so its existence is not revealed); a WebSocket from any other Origin is refused. For a
// remote host: `ssh -L PORT:127.0.0.1:PORT host`, then open the printed URL locally.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { request as requestSchema, type Response } from '../../shared/contract';
import type { Api } from '../api';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface ServeOptions {
  api: Api;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface Served {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE = 1024 * 1024;

export async function serve(o: ServeOptions): Promise<Served> {
  const token = o.token ?? randomBytes(24).toString('hex');
  const prefix = `/${token}/`;
  const server = createServer((req, res) => void handleHttp(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  let port = 0;

  const headers = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (url.pathname === `/${token}`) return void res.writeHead(302, { Location: prefix }).end();
    if (!url.pathname.startsWith(prefix)) return void res.writeHead(404, headers('text/plain')).end('not found');
    const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    const file = normalize(join(o.staticDir, rel));
    if (!file.startsWith(normalize(o.staticDir) + sep)) return void res.writeHead(404, headers('text/plain')).end('not found');
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) {
      if (rel === 'index.html') {
        return void res.writeHead(503, headers('text/plain; charset=utf-8')).end('The renderer is not built: run npm run build:renderer');
      }
      return void res.writeHead(404, headers('text/plain')).end('not found');
    }
    res.writeHead(200, headers(TYPES[extname(file)] ?? 'application/octet-stream'));
    res.end(req.method === 'HEAD' ? undefined : await readFile(file));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    if (url.pathname !== `${prefix}ws`) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (!origin || !allowed.includes(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  function connection(ws: WebSocket) {
    const off = o.api.onEvent((m) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m)));
    ws.on('close', off);
    ws.on('message', async (raw) => {
      let msg: unknown;
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        return ws.close(1003, 'not JSON');
      }
      const r = requestSchema.safeParse(msg);
      if (!r.success) return ws.close(1003, 'not a request');
      const reply = await o.api.dispatch(r.data.call, r.data.input);
      const response: Response = { id: r.data.id, ...reply };
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the headless mode is never reachable from the network by itself.
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
