// A Windows ISO from Microsoft's public download service, the way the Mido script (used by
// dockur and quickget) talks to it: the product page names the product edition id, a session
// id is registered with Microsoft's fingerprinting host (vlscppe), the edition's SKUs are
// listed per language, and the SKU's download links are asked for with the product page as
// Referer. Microsoft refuses some networks ("Sentinel marked this request as rejected", error
// 715-123130): then the user gets the manual page. The ISO is fetched by the shared downloader
// (resumable) and checked against the SHA-256 Microsoft lists on the product page when the
// page lists one for that language; otherwise trust on first use applies.
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { DownloadError } from '../../download/errors';
import { downloadFile, type DownloadedFile } from '../../download/file';
import { WINDOWS_ISO_MAX_BYTES } from '../../download/pins';
import type { DownloadProgress } from '../../download/progress';
import { trustDownload, type TrustOutcome } from '../../download/trust';

export interface MicrosoftHosts {
  /** https://www.microsoft.com */
  www: string;
  /** https://vlscppe.microsoft.com: the session registration. */
  vlscppe: string;
}

export const MICROSOFT: MicrosoftHosts = { www: 'https://www.microsoft.com', vlscppe: 'https://vlscppe.microsoft.com' };
/** The download connector's profile id and the fingerprinting org id, as Microsoft's own page sends them. */
const PROFILE = '606624d44113';
const ORG_ID = 'y6jn8c31';
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

export function productPage(version: '10' | '11', hosts: MicrosoftHosts = MICROSOFT): string {
  return `${hosts.www}/en-us/software-download/windows${version === '11' ? '11' : '10ISO'}`;
}

export interface MicrosoftIso {
  download: DownloadedFile;
  trust: TrustOutcome;
  /** Microsoft's SHA-256 from the product page, when it listed one. */
  publishedSha256: string | null;
  url: string;
}

function refused(version: '10' | '11', hosts: MicrosoftHosts, why: string): DownloadError {
  return new DownloadError(
    'refused',
    `Microsoft's download service refused to hand out Windows ${version} (${why}). It blocks some networks and VPNs. ` +
      `Download the ISO in a browser from ${productPage(version, hosts)} (choose the multi-edition ISO, your language, 64-bit) and run again with --iso FILE.`,
  );
}

async function getText(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: { 'User-Agent': UA, ...headers }, ...(signal ? { signal } : {}) });
  return { status: res.status, text: await res.text() };
}

/** `<option value="3113">Windows 11 (multi-edition ISO for x64 devices)</option>` → 3113. */
export function productEditionId(html: string): string | null {
  const m = /<option value="(\d+)">\s*Windows (?:10|11)[^<]*<\/option>/.exec(html);
  return m?.[1] ?? null;
}

/** The SHA-256 Microsoft lists for a language's 64-bit ISO ("English 64-bit … HEX"), if it lists one. */
export function publishedHash(html: string, language: string): string | null {
  const esc = language.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc}\\s+64-bit\\s*</td>\\s*<td>\\s*([0-9A-Fa-f]{64})\\s*</td>`).exec(html);
  return m ? m[1]!.toLowerCase() : null;
}

export async function downloadWindowsIso(o: {
  version: '10' | '11';
  /** Microsoft's language name, as the SKU list spells it. */
  language?: string;
  cacheDir: string;
  hosts?: MicrosoftHosts;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  retryDelayMs?: number;
}): Promise<MicrosoftIso> {
  const hosts = o.hosts ?? MICROSOFT;
  const language = o.language ?? (o.version === '11' ? 'English (United States)' : 'English');
  const page = productPage(o.version, hosts);
  const net = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof DownloadError) throw e;
      if (o.signal?.aborted) throw new DownloadError('aborted', 'The download was cancelled.');
      throw new DownloadError('network', `Microsoft's download service could not be reached (${what}): ${(e as Error).message}. Try again, or download the ISO from ${page}.`);
    }
  };

  // 1. The product page: the edition id, and the hashes Microsoft publishes.
  const html = await net('the product page', () => getText(page, { Accept: 'text/html' }, o.signal));
  if (html.status !== 200) throw refused(o.version, hosts, `the product page answered HTTP ${html.status}`);
  const edition = productEditionId(html.text);
  if (!edition) throw refused(o.version, hosts, 'the product page names no ISO edition');
  const published = publishedHash(html.text, language.replace(/ \(United States\)$/, ''));

  // 2. A session id, registered with the fingerprinting host Microsoft's page loads.
  const session = randomUUID();
  await net('the session registration', () => getText(`${hosts.vlscppe}/tags?org_id=${ORG_ID}&session_id=${session}`, {}, o.signal));

  // 3. The edition's SKUs by language.
  const q = (extra: Record<string, string>) => new URLSearchParams({ profile: PROFILE, ...extra, friendlyFileName: 'undefined', Locale: 'en-US', sessionID: session }).toString();
  const skus = await net('the language list', () =>
    getText(`${hosts.www}/software-download-connector/api/getskuinformationbyproductedition?${q({ ProductEditionId: edition, SKU: 'undefined' })}`, { Referer: page, Accept: 'application/json' }, o.signal),
  );
  let list: { Skus?: { Id: string; Language: string }[]; Errors?: { Value?: string }[] };
  try {
    list = JSON.parse(skus.text);
  } catch {
    throw refused(o.version, hosts, `the language list was not JSON (HTTP ${skus.status})`);
  }
  if (list.Errors?.length) throw refused(o.version, hosts, list.Errors[0]?.Value ?? 'an error');
  const sku = list.Skus?.find((s) => s.Language === language);
  if (!sku) throw new DownloadError('refused', `Microsoft offers Windows ${o.version} in ${(list.Skus ?? []).map((s) => s.Language).join(', ') || 'no language'}, not "${language}".`);

  // 4. The SKU's download links, with the product page as Referer (Microsoft checks it).
  const links = await net('the download link', () =>
    getText(`${hosts.www}/software-download-connector/api/GetProductDownloadLinksBySku?${q({ productEditionId: 'undefined', SKU: sku.Id })}`, { Referer: page, Accept: 'application/json' }, o.signal),
  );
  let answer: { ProductDownloadOptions?: { Uri: string; DownloadType?: number }[]; Errors?: { Value?: string; Type?: number }[] };
  try {
    answer = JSON.parse(links.text);
  } catch {
    throw refused(o.version, hosts, `the download link answer was not JSON (HTTP ${links.status})`);
  }
  if (answer.Errors?.length) throw refused(o.version, hosts, answer.Errors[0]?.Value ?? 'an error');
  // x64 (DownloadType 1), not 32-bit or Arm.
  const uri = (answer.ProductDownloadOptions ?? []).find((x) => /x64/i.test(x.Uri) || x.DownloadType === 1)?.Uri;
  if (!uri) throw refused(o.version, hosts, 'no 64-bit ISO among the links');

  const file = basename(new URL(uri).pathname) || `Win${o.version}_x64.iso`;
  const download = await downloadFile({
    url: uri,
    dest: join(o.cacheDir, file),
    what: `the Windows ${o.version} ISO`,
    sha256: published,
    maxBytes: WINDOWS_ISO_MAX_BYTES,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.retryDelayMs !== undefined ? { retry: { retryDelayMs: o.retryDelayMs } } : {}),
  });
  const trust = published
    ? { basis: 'pinned' as const, note: `the Windows ${o.version} ISO: SHA-256 ${download.sha256} matches the hash Microsoft publishes on ${page}.` }
    : await trustDownload({ cacheDir: o.cacheDir, key: file, what: `the Windows ${o.version} ISO`, pinned: false, sha256: download.sha256, bytes: download.bytes, url: uri });
  return { download, trust, publishedSha256: published, url: uri };
}
