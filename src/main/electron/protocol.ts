// Serves the built renderer under guestbay://app with the CSP as a real response header.
// file:// would give the renderer a "null"-ish origin shared with every local file, and
// header-rewriting file:// loads in webRequest is unreliable; a scheme of our own is neither.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CSP } from './origin';

/** Registered before `ready` (Electron ignores privileges given later), in one call (a second replaces the first). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  // standard: relative URLs, a real origin and web storage; secure: treated like https.
  // supportFetchAPI and corsEnabled: Vite emits `<script type="module" crossorigin>`, a
  // CORS-mode request that Chromium only makes to schemes marked this way. Our responses carry
  // no Access-Control-Allow-Origin, so no other origin can read them.
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

function respond(status: number, body: ConstructorParameters<typeof Response>[0], type: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': type,
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  });
}

/** The file a request maps to under `rootDir`, or null when it would leave it. */
export function resolveAppFile(rootDir: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname).replace(/^\/+/, '') || 'index.html';
  } catch {
    return null;
  }
  // Never part of a built file's name: refused rather than left to how each layer reads them.
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const root = normalize(rootDir);
  const file = normalize(join(root, rel));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

export function createAppHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, null, 'text/plain');
    const file = resolveAppFile(rootDir, request.url);
    if (!file) return respond(404, 'not found', 'text/plain');
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) {
      if (file === join(normalize(rootDir), 'index.html')) {
        return respond(503, 'The renderer is not built: run npm run build:renderer', 'text/plain; charset=utf-8');
      }
      return respond(404, 'not found', 'text/plain');
    }
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
    return respond(200, body, TYPES[extname(file)] ?? 'application/octet-stream');
  };
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppHandler(rootDir));
}
