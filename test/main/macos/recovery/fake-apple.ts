// A stand-in for osrecovery.apple.com and its CDN on 127.0.0.1: the protocol as OpenCorePkg's
// macrecovery.py speaks it (session cookie, RecoveryImage POST, AssetToken cookies), plus
// Range support and knobs for each way the real thing can go wrong.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MiB = 2 ** 20;

export interface TestKey {
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function makeTestKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface ChunklistBuild {
  magic?: string;
  signatureMethod?: number;
  /** Sign with this key instead (a "wrong" signature). */
  signWith?: KeyObject;
  /** Flip a bit in the signature after signing. */
  damageSignature?: boolean;
}

/** Apple's binary chunklist for `image`, signed like Apple does, signature stored little-endian. */
export function buildChunklist(image: Buffer, chunkSize: number, key: KeyObject, b: ChunklistBuild = {}): Buffer {
  const lengths: number[] = [];
  for (let at = 0; at < image.length; at += chunkSize) lengths.push(Math.min(chunkSize, image.length - at));
  const header = Buffer.alloc(0x24);
  header.write(b.magic ?? 'CNKL', 0, 'latin1');
  header.writeUInt32LE(0x24, 4);
  header.writeUInt8(1, 8);
  header.writeUInt8(1, 9);
  header.writeUInt8(b.signatureMethod ?? 1, 10);
  header.writeBigUInt64LE(BigInt(lengths.length), 12);
  header.writeBigUInt64LE(0x24n, 20);
  header.writeBigUInt64LE(BigInt(0x24 + 0x24 * lengths.length), 28);
  const table = Buffer.concat(
    lengths.map((len, i) => {
      const e = Buffer.alloc(0x24);
      e.writeUInt32LE(len, 0);
      createHash('sha256')
        .update(image.subarray(i * chunkSize, i * chunkSize + len))
        .digest()
        .copy(e, 4);
      return e;
    }),
  );
  const signed = Buffer.concat([header, table]);
  const sig = Buffer.from(sign('sha256', signed, b.signWith ?? key)).reverse();
  if (b.damageSignature) sig[17]! ^= 0x01;
  return Buffer.concat([signed, sig]);
}

export interface Knobs {
  /** Chunk index to damage in the image responses that contain it… */
  corruptChunk?: number;
  /** …this many times (default once). */
  corruptTimes?: number;
  /** Every image response sends at most this many bytes, then the connection is cut (once). */
  cutAfterBytes?: number;
  /** One image response sends this many bytes, then goes silent with the connection open. */
  hangAfterBytes?: number;
  /** Answer every Range request with 200 and the whole image. */
  ignoreRange?: boolean;
  /** Status for GET / (e.g. 500). */
  rootStatus?: number;
  /** Status for the RecoveryImage POST. */
  recoveryStatus?: number;
  /** Leave this key out of the RecoveryImage answer. */
  omitKey?: string;
  /** Asset tokens from the first RecoveryImage answer are refused (403) for the image. */
  expireFirstTokens?: boolean;
  /** Serve this instead of the real chunklist. */
  chunklistOverride?: Buffer;
  /** Send the image at about this rate (a download slow enough to be seen in progress). */
  throttleBytesPerSecond?: number;
}

export interface Logged {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

export class FakeApple {
  readonly log: Logged[] = [];
  knobs: Knobs = {};
  private server!: Server;
  private sessions = new Set<string>();
  private tokens = new Set<string>();
  private firstTokens = new Set<string>();
  private posts = 0;
  private corrupted = 0;
  private cut = false;
  private hung = false;

  constructor(
    readonly image: Buffer,
    readonly chunkSize: number,
    readonly chunklist: Buffer,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  imageRequests(): Logged[] {
    return this.log.filter((l) => l.path.endsWith('.dmg'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const part of req) body += String(part);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const entry: Logged = { method: req.method ?? '', path, headers: req.headers, body, status: 0 };
    this.log.push(entry);
    const reply = (status: number, text = '', headers: Record<string, string | string[]> = {}) => {
      entry.status = status;
      res.writeHead(status, headers).end(text);
    };

    if (req.method === 'GET' && path === '/') {
      if (this.knobs.rootStatus) return reply(this.knobs.rootStatus, 'oops');
      const session = randomBytes(8).toString('hex');
      this.sessions.add(session);
      return reply(200, '', { 'Set-Cookie': [`session=${session}; Domain=127.0.0.1; Path=/`, 'other=1; Path=/'] });
    }

    if (req.method === 'POST' && path === '/InstallationPayload/RecoveryImage') {
      const session = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!session || !this.sessions.has(session)) return reply(403, 'no session');
      if (req.headers['content-type'] !== 'text/plain') return reply(400, 'content type');
      if (this.knobs.recoveryStatus) return reply(this.knobs.recoveryStatus, 'oops');
      const f = Object.fromEntries(body.split('\n').map((l) => l.split('=') as [string, string]));
      if (!/^[0-9A-F]{16}$/.test(f.cid ?? '') || !/^[0-9A-F]{64}$/.test(f.k ?? '') || !/^[0-9A-F]{64}$/.test(f.fg ?? '')) {
        return reply(400, 'ids');
      }
      if (!f.sn || !f.bid || !['default', 'latest'].includes(f.os ?? '')) return reply(400, 'fields');
      const at = randomBytes(8).toString('hex');
      const ct = randomBytes(8).toString('hex');
      this.tokens.add(at);
      this.tokens.add(ct);
      if (this.posts++ === 0 && this.knobs.expireFirstTokens) this.firstTokens.add(at);
      const base = this.url;
      const lines = {
        AP: '041-TEST1',
        AU: `${base}content/BaseSystem.dmg`,
        AH: 'ABCDEF',
        AT: at,
        CU: `${base}content/BaseSystem.chunklist`,
        CH: '123456',
        CT: ct,
      } as Record<string, string>;
      if (this.knobs.omitKey) delete lines[this.knobs.omitKey];
      return reply(
        200,
        Object.entries(lines)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n') + '\n',
      );
    }

    if (req.method === 'GET' && path.startsWith('/content/')) {
      const token = /(?:^|;\s*)AssetToken=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!token || !this.tokens.has(token)) return reply(403, 'token');
      if (path.endsWith('.chunklist')) {
        entry.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(this.knobs.chunklistOverride ?? this.chunklist);
        return;
      }
      if (path.endsWith('.dmg')) return this.serveImage(req, res, entry, token);
      return reply(404);
    }
    reply(404);
  }

  private serveImage(req: IncomingMessage, res: ServerResponse, entry: Logged, token: string): void {
    if (this.firstTokens.has(token)) {
      entry.status = 403;
      res.writeHead(403).end('expired');
      return;
    }
    const total = this.image.length;
    let start = 0;
    let end = total - 1;
    let status = 200;
    const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (m && !this.knobs.ignoreRange) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), total - 1) : total - 1;
      if (start >= total) {
        entry.status = 416;
        res.writeHead(416, { 'Content-Range': `bytes */${total}` }).end();
        return;
      }
      status = 206;
    }
    let data = Buffer.from(this.image.subarray(start, end + 1));
    const k = this.knobs.corruptChunk;
    if (k !== undefined && this.corrupted < (this.knobs.corruptTimes ?? 1)) {
      const at = k * this.chunkSize + 10 - start;
      if (at >= 0 && at < data.length) {
        data[at]! ^= 0xff;
        this.corrupted++;
      }
    }
    const headers: Record<string, string> = { 'Content-Length': String(data.length), 'Content-Type': 'application/octet-stream' };
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${total}`;
    entry.status = status;
    res.writeHead(status, headers);
    const hangAt = this.knobs.hangAfterBytes;
    if (hangAt !== undefined && !this.hung && hangAt < data.length) {
      this.hung = true;
      res.write(data.subarray(0, hangAt));
      return;
    }
    const cutAt = this.knobs.cutAfterBytes;
    if (cutAt !== undefined && !this.cut && cutAt < data.length) {
      this.cut = true;
      res.write(data.subarray(0, cutAt), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    const rate = this.knobs.throttleBytesPerSecond;
    if (rate) {
      const piece = 256 * 1024;
      const send = (o: number) => {
        if (res.destroyed) return;
        if (o >= data.length) return void res.end();
        res.write(data.subarray(o, o + piece));
        setTimeout(() => send(o + piece), (piece / rate) * 1000);
      };
      send(0);
      return;
    }
    res.end(data);
  }
}
