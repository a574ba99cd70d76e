// Both of the macOS flow's download sources, local, for one test: Apple's recovery service
// (FakeApple: the real protocol, a generated image, a chunklist signed with a test key) and an
// OpenCorePkg release zip over HTTP. Hands out the same thing three ways: CLI flags (for
// `guestbay macos prepare` and `guestbay serve`), MacosSources (in-process) and the parts.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MacosSources } from '../../../src/main/macos/prepare';
import { FakeApple, MiB, buildChunklist, makeTestKey } from './recovery/fake-apple';
import { fakeRelease } from './opencore/fake-release';

export interface FakeSources {
  apple: FakeApple;
  image: Buffer;
  flags: string[];
  sources: MacosSources;
  /** How many times the OpenCore zip was downloaded. */
  openCoreRequests(): number;
  stop(): Promise<void>;
}

export async function startFakeSources(o: { imageBytes?: number; bootx64?: Buffer } = {}): Promise<FakeSources> {
  const key = makeTestKey();
  const image = randomBytes(o.imageBytes ?? 3 * MiB + 4_321);
  const apple = await new FakeApple(image, MiB, buildChunklist(image, MiB, key.privateKey)).start();
  const release = fakeRelease(o.bootx64 ? { bootx64: o.bootx64 } : {});
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'Content-Length': release.zip.length }).end(release.zip);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const openCoreUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/OpenCore-RELEASE.zip`;
  const dir = await mkdtemp(join(tmpdir(), 'guestbay-fake-sources-'));
  const keyFile = join(dir, 'recovery-key.pem');
  await writeFile(keyFile, key.publicKeyPem);
  return {
    apple,
    image,
    flags: ['--recovery-server', apple.url, '--recovery-key', keyFile, '--opencore-url', openCoreUrl, '--opencore-sha256', release.sha256],
    sources: {
      recoveryServer: apple.url,
      recoveryKeyPem: key.publicKeyPem,
      openCore: { url: openCoreUrl, pin: { version: `custom-${release.sha256.slice(0, 12)}`, sha256: release.sha256 } },
    },
    openCoreRequests: () => requests,
    async stop() {
      await apple.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
