import { describe, expect, it } from 'vitest';
import { resolveContext } from '../../../src/main/host/options';
import { probeVirtiofsd, virtiofsdFlavour } from '../../../src/main/host/vhost-user';
import { parseToolVersion } from '../../../src/main/host/versions';
import { fakeRunner, makeHost, readFixture } from './helpers';

describe('virtiofsd flavour and version', () => {
  it('tells the Rust daemon from the C one by --help', async () => {
    expect(virtiofsdFlavour(await readFixture('virtiofsd', 'rust-1.13-help.txt'))).toBe('rust');
    expect(virtiofsdFlavour(await readFixture('virtiofsd', 'c-7.2-help.txt'))).toBe('c');
    expect(virtiofsdFlavour('usage: something else')).toBeNull();
  });

  it('versions of the helpers', async () => {
    expect(parseToolVersion(await readFixture('virtiofsd', 'rust-1.13-version.txt'))).toBe('1.13.2');
    expect(parseToolVersion(await readFixture('virtiofsd', 'c-7.2-version.txt'))).toBe('7.2.22');
    expect(parseToolVersion(await readFixture('swtpm-version.txt'))).toBe('0.7.1');
    expect(parseToolVersion(await readFixture('qemu', '10.0', 'qemu-img-version.txt'))).toBe('10.0.13');
  });
});

describe('probeVirtiofsd', () => {
  it('Debian 12: the C daemon, through its descriptor', async () => {
    const h = await makeHost({ tree: 'debian12', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', executables: ['/usr/lib/qemu/virtiofsd'] });
    const ctx = resolveContext({ ...h.options, run: fakeRunner({ virtiofsd: 'c' }).run });
    expect(await probeVirtiofsd(ctx)).toEqual({
      path: '/usr/lib/qemu/virtiofsd', flavour: 'c', version: '7.2.22', features: [], source: 'descriptor', sandbox: null, works: true, reason: null,
    });
  });

  it.each([
    ['c-7.2-user-pidfile.stderr.txt', /^Could not create '\/var\/run\/virtiofsd\/.*\.pid': Permission denied$/],
    ['c-7.2-user-unshare.stderr.txt', /^unshare\(CLONE_NEWPID \| CLONE_NEWNS\): Operation not permitted$/],
  ])('Debian 12 as a user: the C daemon is found, and reported not working with its reason (%s)', async (stderr, reason) => {
    const h = await makeHost({ tree: 'debian12', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', executables: ['/usr/lib/qemu/virtiofsd'] });
    const fake = fakeRunner({ virtiofsd: 'c', virtiofsdStderr: stderr });
    const v = await probeVirtiofsd(resolveContext({ ...h.options, run: fake.run }));
    expect(v).toMatchObject({ path: '/usr/lib/qemu/virtiofsd', flavour: 'c', works: false, reason: expect.stringMatching(reason) });
    // Started the way a guest's start runs it, on a temporary folder and socket.
    const start = fake.calls.find((c) => c.args[0]?.startsWith('--socket-path='))!;
    expect(start.args).toEqual([expect.stringMatching(/^--socket-path=.*\/c\.sock$/), '-o', expect.stringMatching(/^source=.*\/shared$/), '-o', 'cache=auto']);
  });

  it('Debian 13: the Rust daemon, its features, and the first sandbox that starts', async () => {
    const h = await makeHost({ tree: 'debian13', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian13.txt', executables: ['/usr/libexec/virtiofsd'] });
    const fake = fakeRunner({ virtiofsd: 'rust', sandboxes: ['chroot', 'none'] });
    const v = await probeVirtiofsd(resolveContext({ ...h.options, run: fake.run }));
    expect(v).toEqual({
      path: '/usr/libexec/virtiofsd', flavour: 'rust', version: '1.13.2', features: ['migrate-precopy', 'separate-options'], source: 'descriptor', sandbox: 'chroot', works: true, reason: null,
    });
    const tried = fake.calls.filter((c) => c.args.includes('--sandbox')).map((c) => c.args[c.args.indexOf('--sandbox') + 1]);
    expect(tried).toEqual(['namespace', 'chroot']);
  });

  it('Arch without a descriptor: the known path, features from --print-capabilities', async () => {
    const h = await makeHost({ tree: 'arch', cpuinfo: 'intel-i7-4790k.txt', osRelease: 'arch.txt', executables: ['/usr/lib/virtiofsd'] });
    expect(await probeVirtiofsd(resolveContext({ ...h.options, run: fakeRunner({ virtiofsd: 'rust' }).run }))).toMatchObject({
      path: '/usr/lib/virtiofsd', source: 'known-path', flavour: 'rust', features: ['migrate-precopy', 'separate-options'], sandbox: 'namespace',
    });
  });

  it('a descriptor pointing at a missing binary falls through to the known paths', async () => {
    const h = await makeHost({ tree: 'debian13', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian13.txt', executables: ['/usr/lib/qemu/virtiofsd'] });
    expect(await probeVirtiofsd(resolveContext({ ...h.options, run: fakeRunner({ virtiofsd: 'c' }).run }))).toMatchObject({
      path: '/usr/lib/qemu/virtiofsd', source: 'known-path', flavour: 'c',
    });
  });

  it('the Rust daemon that starts with no sandbox mode is reported with each mode\'s reason', async () => {
    const h = await makeHost({ tree: 'debian13', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian13.txt', executables: ['/usr/libexec/virtiofsd'] });
    const v = await probeVirtiofsd(resolveContext({ ...h.options, run: fakeRunner({ virtiofsd: 'rust', sandboxes: [] }).run }));
    expect(v).toMatchObject({ works: false, sandbox: null, reason: expect.stringMatching(/^--sandbox namespace: Error entering sandbox.*; --sandbox chroot: .*; --sandbox none: /) });
  });

  it('none installed', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'arch.txt' });
    expect(await probeVirtiofsd(resolveContext({ ...h.options, run: fakeRunner({}).run }))).toBeNull();
  });
});
