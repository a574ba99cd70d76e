// The probe keeps what host programs answered (answer-cache.ts) while nothing the answer depends
// on has changed, so a warm probe starts no virtiofsd and asks no tool its version.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeHost } from '../../../src/main/host/probe';
import { fakeRunner, makeHost } from './helpers';

const BINARIES = ['/usr/bin/qemu-system-x86_64', '/usr/bin/qemu-img', '/usr/bin/swtpm', '/usr/lib/qemu/virtiofsd'];

async function host(opts: { bootId?: boolean } = {}) {
  const h = await makeHost({ tree: 'debian12', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', executables: BINARIES });
  if (opts.bootId !== false) {
    await mkdir(join(h.root, 'proc/sys/kernel/random'), { recursive: true });
    await writeFile(join(h.root, 'proc/sys/kernel/random/boot_id'), '6b1c6a4e-0f1d-4c7e-9d55-1f0e6c1b2a3d\n');
  }
  return h;
}

const starts = (calls: { file: string; args: readonly string[] }[]) => calls.filter((c) => c.file.endsWith('virtiofsd') && c.args[0]?.startsWith('--socket-path')).length;
const versions = (calls: { file: string; args: readonly string[] }[], tool: string) => calls.filter((c) => c.file.endsWith(tool) && c.args[0] === '--version').length;

describe('the probe answer cache', () => {
  it('a working virtiofsd and the tools\' versions are asked once; again when a binary or the boot changes, and with --no-cache', async () => {
    const h = await host();
    const fake = fakeRunner({ qemu: '7.2', virtiofsd: 'c' });
    const first = await probeHost({ ...h.options, run: fake.run });
    expect(first.virtiofsd).toMatchObject({ works: true, flavour: 'c' });
    expect([starts(fake.calls), versions(fake.calls, 'qemu-img'), versions(fake.calls, 'swtpm')]).toEqual([1, 1, 1]);

    const second = await probeHost({ ...h.options, run: fake.run });
    expect(second.virtiofsd).toEqual(first.virtiofsd);
    expect(second.qemuImg).toEqual(first.qemuImg);
    expect(second.swtpm).toEqual(first.swtpm);
    expect([starts(fake.calls), versions(fake.calls, 'qemu-img'), versions(fake.calls, 'swtpm')]).toEqual([1, 1, 1]);

    await writeFile(join(h.root, 'usr/lib/qemu/virtiofsd'), '#!/bin/sh\n# upgraded\nexit 99\n'); // a new daemon
    await writeFile(join(h.root, 'usr/bin/qemu-img'), '#!/bin/sh\n# upgraded\nexit 99\n');
    await probeHost({ ...h.options, run: fake.run });
    expect([starts(fake.calls), versions(fake.calls, 'qemu-img'), versions(fake.calls, 'swtpm')]).toEqual([2, 2, 1]);

    await writeFile(join(h.root, 'proc/sys/kernel/random/boot_id'), 'c1d2e3f4-0000-4000-8000-000000000001\n'); // a reboot
    await probeHost({ ...h.options, run: fake.run });
    expect(starts(fake.calls)).toBe(3);

    await probeHost({ ...h.options, useCache: false, run: fake.run });
    expect([starts(fake.calls), versions(fake.calls, 'qemu-img')]).toEqual([4, 3]);
  });

  it('a virtiofsd that fails its start test is tested again every time', async () => {
    const h = await host();
    const fake = fakeRunner({ qemu: '7.2', virtiofsd: 'c', virtiofsdStderr: 'c-7.2-user-pidfile.stderr.txt' });
    expect((await probeHost({ ...h.options, run: fake.run })).virtiofsd?.works).toBe(false);
    await probeHost({ ...h.options, run: fake.run });
    expect(starts(fake.calls)).toBe(2);
  });

  it('without a boot id the start test is not kept', async () => {
    const h = await host({ bootId: false });
    const fake = fakeRunner({ qemu: '7.2', virtiofsd: 'c' });
    await probeHost({ ...h.options, run: fake.run });
    await probeHost({ ...h.options, run: fake.run });
    expect(starts(fake.calls)).toBe(2);
  });
});
