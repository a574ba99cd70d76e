import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FORMAT, binaryKey, qemuCapsCachePath, readCachedQemuCaps, writeCachedQemuCaps } from '../../../src/main/host/cache';
import { resolveContext } from '../../../src/main/host/options';
import { probeQemu, type QemuCaps } from '../../../src/main/host/qemu-caps';
import { fakeRunner, makeHost, result } from './helpers';

const QEMU = '/usr/bin/qemu-system-x86_64';

async function setup() {
  const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt', executables: [QEMU] });
  return { h, file: qemuCapsCachePath(h.options.xdgCacheHome ?? ''), fs: join(h.root, QEMU) };
}

const caps: QemuCaps = {
  binary: QEMU, version: '7.2.22', major: 7, minor: 2, accels: ['tcg'], devices: [], displays: [], netdevs: [], audiodevs: [], chardevs: [], vdagentMigrates: false, machineAliases: {}, fileMigration: false, mappedRam: false, directIo: false, glDevices: [], glVenus: false, sandboxOptions: [], shutdownTrace: false,
  maxCpu: true,
  ramFile: false,
};

describe('qemu-caps cache', () => {
  it('round-trips, and a changed binary (size or mtime) misses', async () => {
    const { file, fs } = await setup();
    const key = await binaryKey(fs);
    if (!key) throw new Error('no key');
    await writeCachedQemuCaps(file, key, caps);
    expect(await readCachedQemuCaps(file, key)).toEqual(caps);
    await utimes(fs, new Date(), new Date('2030-01-01'));
    const touched = await binaryKey(fs);
    if (!touched) throw new Error('no key');
    expect(await readCachedQemuCaps(file, touched)).toBeNull();
    await writeFile(fs, '#!/bin/sh\n# upgraded\n');
    expect(await readCachedQemuCaps(file, (await binaryKey(fs)) ?? key)).toBeNull();
    // The write was atomic: no temp files left beside it.
    expect(await readdir(join(file, '..'))).toEqual(['qemu-caps.json']);
  });

  it('entries written at once (one probe asks every emulator together) all stay', async () => {
    const { h, file } = await setup();
    const bins = ['qemu-system-x86_64', 'qemu-system-aarch64', 'qemu-system-riscv64'].map((b) => join(h.root, 'usr/bin', b));
    for (const b of bins) await writeFile(b, `#!/bin/sh\n# ${b}\n`);
    const keys = await Promise.all(bins.map((b) => binaryKey(b)));
    await Promise.all(keys.map((k, i) => writeCachedQemuCaps(file, k!, { ...caps, binary: bins[i]! })));
    for (const [i, k] of keys.entries()) expect((await readCachedQemuCaps(file, k!))?.binary).toBe(bins[i]);
  });

  it('a corrupt or foreign cache file is ignored and replaced', async () => {
    const { file, fs } = await setup();
    const key = await binaryKey(fs);
    if (!key) throw new Error('no key');
    await writeCachedQemuCaps(file, key, caps);
    await writeFile(file, '{"format": 999, "binaries": {}}');
    expect(await readCachedQemuCaps(file, key)).toBeNull();
    await writeFile(file, 'not json');
    await writeCachedQemuCaps(file, key, caps);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: CACHE_FORMAT });
  });

  it('only the entry asked for is read: a damaged entry of another binary does not matter, a damaged own entry misses', async () => {
    const { file, fs } = await setup();
    const key = await binaryKey(fs);
    if (!key) throw new Error('no key');
    await writeCachedQemuCaps(file, key, caps);
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.binaries['/other/qemu'] = { size: 'garbage' };
    await writeFile(file, JSON.stringify(data));
    expect(await readCachedQemuCaps(file, key)).toEqual(caps);
    data.binaries[key.realpath].caps.version = 7;
    await writeFile(file, JSON.stringify(data));
    expect(await readCachedQemuCaps(file, key)).toBeNull();
  });

  it('probeQemu asks QEMU once, then reads the cache (unless told not to)', async () => {
    const { h } = await setup();
    const fake = fakeRunner({ qemu: '10.0' });
    const ctx = resolveContext({ ...h.options, run: fake.run });
    const first = await probeQemu(ctx, QEMU);
    expect(first).toMatchObject({ version: '10.0.13', fileMigration: true, machineAliases: { q35: 'pc-q35-10.0' } });
    const calls = fake.calls.length;
    expect(first?.shutdownTrace).toBe(true);
    expect(calls).toBe(14); // --version, nine listings (the trace events and CPU models too), the QMP schema, the vdagent blocker, the two GL devices' properties
    expect(await probeQemu(ctx, QEMU)).toEqual(first);
    expect(fake.calls.length).toBe(calls);
    await probeQemu(resolveContext({ ...h.options, run: fake.run, useCache: false }), QEMU);
    expect(fake.calls.length).toBe(2 * calls);
  });

  it('an answer cut short (timeout) is used but not cached', async () => {
    const { h, file } = await setup();
    const fake = fakeRunner({ qemu: '7.2' });
    const slowDevices: typeof fake.run = (f, args, o) =>
      args[0] === '-device' ? Promise.resolve(result({ exitCode: null, signal: 'SIGTERM', timedOut: true })) : fake.run(f, args, o);
    const caps = await probeQemu(resolveContext({ ...h.options, run: slowDevices }), QEMU);
    expect(caps?.devices).toEqual([]);
    await expect(readFile(file, 'utf8')).rejects.toThrow();
  });

  it('a listing that timed out under load is asked once more, alone, before it counts as absent', async () => {
    const { h, file } = await setup();
    const fake = fakeRunner({ qemu: '10.0' });
    let schemaAsks = 0;
    const slowOnce: typeof fake.run = (f, args, o) =>
      args.includes('-qmp') && !args.includes('-chardev') && schemaAsks++ === 0 ? Promise.resolve(result({ exitCode: null, signal: 'SIGTERM', timedOut: true })) : fake.run(f, args, o);
    const caps = await probeQemu(resolveContext({ ...h.options, run: slowOnce }), QEMU);
    expect(schemaAsks).toBe(2);
    expect(caps?.fileMigration).toBe(true);
    expect(await readFile(file, 'utf8')).toContain('"fileMigration": true');
  });
});
