// A local stand-in for Microsoft's public download service, speaking the endpoints the Mido
// script uses: the product page (edition id in an <option>, the published SHA-256 table), the
// session registration on vlscppe, getskuinformationbyproductedition and
// GetProductDownloadLinksBySku (Referer checked, the session id must have been registered), and
// the ISO itself with HTTP Range. `refuse` answers as Microsoft does for blocked networks.
import type http from 'node:http';
import { sha256, startRangeServer, type RangeServer } from './range-server';

export interface FakeMicrosoft {
  srv: RangeServer;
  hosts: { www: string; vlscppe: string };
  /** Answer the link request with Microsoft's Sentinel rejection. */
  refuse: boolean;
  /** List the ISO's SHA-256 on the product page (true), a wrong one ('wrong'), or none (false). */
  publish: boolean | 'wrong';
  calls: string[];
  isoPath: string;
  stop(): Promise<void>;
}

export async function startFakeMicrosoft(iso: Buffer, version: '10' | '11' = '11'): Promise<FakeMicrosoft> {
  const sessions = new Set<string>();
  const isoPath = `/dl/Win${version}_24H2_English_x64.iso`;
  const f: FakeMicrosoft = { srv: undefined as unknown as RangeServer, hosts: { www: '', vlscppe: '' }, refuse: false, publish: true, calls: [], isoPath, stop: () => f.srv.stop() };
  const page = `/en-us/software-download/windows${version === '11' ? '11' : '10ISO'}`;
  const json = (res: http.ServerResponse, v: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
  f.srv = await startRangeServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === isoPath) return false;
    f.calls.push(u.pathname);
    const referer = req.headers.referer ?? '';
    if (u.pathname === page) {
      const hash = f.publish === 'wrong' ? 'ab'.repeat(32) : sha256(iso).toUpperCase();
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(
        `<html><select id="product-edition"><option value="" selected>Select edition</option><option value="3113">Windows ${version} (multi-edition ISO for x64 devices)</option></select>` +
          (f.publish ? `<table><tr><td>Arabic 64-bit</td><td>${'cd'.repeat(32)}</td></tr><tr><td>English 64-bit</td><td>${hash}</td></tr></table>` : '') +
          '</html>',
      );
      return true;
    }
    if (u.pathname === '/tags') {
      if (u.searchParams.get('org_id') === 'y6jn8c31') sessions.add(u.searchParams.get('session_id') ?? '');
      res.writeHead(200).end('');
      return true;
    }
    if (u.pathname === '/software-download-connector/api/getskuinformationbyproductedition') {
      if (u.searchParams.get('ProductEditionId') !== '3113' || u.searchParams.get('profile') !== '606624d44113') return json(res, { Errors: [{ Value: 'unknown edition' }] }), true;
      return json(res, { Skus: [{ Id: '17441', Language: 'Arabic' }, { Id: '17443', Language: version === '11' ? 'English (United States)' : 'English' }] }), true;
    }
    if (u.pathname === '/software-download-connector/api/GetProductDownloadLinksBySku') {
      const ok = !f.refuse && sessions.has(u.searchParams.get('sessionID') ?? '') && referer.endsWith(page) && u.searchParams.get('SKU') === '17443';
      if (!ok) return json(res, { Errors: [{ Key: 'ErrorSettings.SentinelReject', Value: 'Sentinel marked this request as rejected.', Type: 9 }] }), true;
      return json(res, { ProductDownloadOptions: [{ Uri: `${f.srv.base}${isoPath}?t=token`, DownloadType: 1 }] }), true;
    }
    return false;
  });
  f.srv.files.set(isoPath, { body: iso });
  f.hosts = { www: f.srv.base, vlscppe: f.srv.base };
  return f;
}
