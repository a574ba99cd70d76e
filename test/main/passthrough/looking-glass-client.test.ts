// Looking Glass's client is not in Debian 12 and there is no GPU here: a stub executable on the
// fake host's PATH stands in for it and writes down how it was started.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientArgs, launchLookingGlass, LookingGlassError } from '../../../src/main/passthrough/looking-glass-client';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import { makeHost } from '../host/helpers';

const guest = (change: object) => parseVmConfig({ ...buildPreset('windows-11', { name: 'win', host: { threads: 4, memoryMiB: 16384 } }).config, title: 'Gaming', ...change });

describe('Looking Glass client', () => {
  it('is started detached on the guest\'s shared memory, with the guest in its title', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'arch.txt' });
    const out = join(h.root, 'argv.txt');
    await mkdir(join(h.root, 'usr/bin'), { recursive: true });
    await writeFile(join(h.root, 'usr/bin/looking-glass-client'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${out}.tmp && mv ${out}.tmp ${out}\n`);
    await chmod(join(h.root, 'usr/bin/looking-glass-client'), 0o755);
    const r = await launchLookingGlass(guest({ lookingGlass: { memory: 'shm', width: 2560, height: 1440 } }), h.options);
    expect(r.pid).toBeGreaterThan(0);
    let argv = '';
    for (let i = 0; i < 200 && !argv; i++) {
      argv = await readFile(out, 'utf8').catch(() => '');
      if (!argv) await new Promise((res) => setTimeout(res, 50));
    }
    expect(argv.split('\n').filter(Boolean)).toEqual(['-f', '/dev/shm/looking-glass-win', 'win:title=Gaming — Looking Glass']);
  });

  it('KVMFR: the client reads /dev/kvmfr0, unless a virtiofs share made the plan use the /dev/shm file', () => {
    expect(clientArgs(guest({ lookingGlass: { memory: 'kvmfr', width: 1920, height: 1080 }, sharedFolders: [] }))[1]).toBe('/dev/kvmfr0');
    expect(clientArgs(guest({ lookingGlass: { memory: 'kvmfr', width: 1920, height: 1080 }, sharedFolders: [{ tag: 's', hostPath: '/home/u/s', method: 'virtiofs' }] }))[1]).toBe('/dev/shm/looking-glass-win');
  });

  it('says what to do when the client is not installed, or the guest has no Looking Glass display', async () => {
    const h = await makeHost({ cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt' });
    await expect(launchLookingGlass(guest({ lookingGlass: { memory: 'shm', width: 1920, height: 1080 } }), h.options)).rejects.toThrow(/looking-glass-client\) is not installed/);
    await expect(launchLookingGlass(guest({}), h.options)).rejects.toThrow(new LookingGlassError('"win" has no Looking Glass display: turn it on in the guest\'s display settings first.'));
  });
});
