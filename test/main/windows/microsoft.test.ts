// The Windows ISO from Microsoft's download service, against a stand-in speaking its endpoints
// as the Mido script uses them: the published hash checked, a dropped connection resumed, a
// corrupt body refused, Microsoft's refusal said with the manual download page.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadWindowsIso } from '../../../src/main/windows/microsoft/download';
import { sha256 } from '../../helpers/range-server';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../helpers/fake-microsoft';

const iso = randomBytes(2 * 2 ** 20 + 7);
let ms: FakeMicrosoft;
let dir: string;
beforeAll(async () => {
  ms = await startFakeMicrosoft(iso);
});
afterAll(async () => {
  await ms.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-ms-'));
  ms.refuse = false;
  ms.publish = true;
  ms.calls.length = 0;
  ms.srv.log.length = 0;
  ms.srv.files.set(ms.isoPath, { body: iso });
  return () => rm(dir, { recursive: true, force: true });
});
const get = () => downloadWindowsIso({ version: '11', cacheDir: dir, hosts: ms.hosts, retryDelayMs: 10 });

describe("Microsoft's download service", () => {
  it('session, SKU by edition, link by SKU; the ISO resumed after a drop and checked against the published hash', async () => {
    ms.srv.files.set(ms.isoPath, { body: iso, dropAfter: { bytes: 500_000, times: 1 } });
    const r = await get();
    expect(ms.calls).toEqual(['/en-us/software-download/windows11', '/tags', '/software-download-connector/api/getskuinformationbyproductedition', '/software-download-connector/api/GetProductDownloadLinksBySku']);
    expect(r.publishedSha256).toBe(sha256(iso));
    expect(r.trust.basis).toBe('pinned');
    expect(r.download.sha256).toBe(sha256(iso));
    expect(ms.srv.log.map((l) => l.status)).toEqual([200, 206]);
    expect(r.download.path).toBe(join(dir, 'Win11_24H2_English_x64.iso'));
  });

  it("a refusal names Microsoft's block and the manual download page; nothing is written", async () => {
    ms.refuse = true;
    await expect(get()).rejects.toThrow(/refused to hand out Windows 11 \(Sentinel marked this request as rejected\.\)(.|\n)*software-download\/windows11 .*--iso FILE/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a body that does not match the published hash is refused and deleted', async () => {
    ms.srv.files.set(ms.isoPath, { body: iso, corrupt: 1 });
    await expect(get()).rejects.toThrow(/does not have the SHA-256 it must have/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('without a published hash: trust on first use, said plainly', async () => {
    ms.publish = false;
    const r = await get();
    expect(r.trust.basis).toBe('recorded');
    expect(r.trust.note).toMatch(/no SHA-256 is pinned/);
  });
});
