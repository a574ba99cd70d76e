// A new guest's disk against the OS table's minimum and the free space where it is made
// (issue 14 item 4), one check in main for the API's create and `guestbay create`: Windows 11
// below 64 GiB is refused at the disk size with nothing written; a sparse disk larger than the
// free space is made, with a warning (API) / a warning line (CLI); a preallocated one that cannot
// fit is refused (the shared rule); host.freeSpace measures a folder not made yet at its parent
// and refuses a relative path or one with a newline.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/shared/contract';
import { diskSpaceProblem } from '../../../src/shared/disk-space';
import { freeSpace } from '../../../src/main/host/free-space';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  w = await apiWorld('gb-space-');
  await writeFile(join(w.home, 'win.iso'), 'iso');
});
afterAll(() => w.cleanup());

const out = <T>(r: Reply): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.output as T;
};
const guests = () => readdir(w.store.paths.vms).catch(() => []);

describe('the system disk\'s minimum', () => {
  const SMALL = 'Windows 11 needs a disk of at least 64 GiB: give it 64 GiB or more.';
  it('is refused in the API and the CLI alike, at the disk size, writing nothing', async () => {
    const r = await w.call('guests.create', { preset: 'windows-11', name: 'w11', diskSize: '32G', iso: join(w.home, 'win.iso') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fields).toEqual([{ field: 'diskSize', message: SMALL }]);
    const c = await cli(['create', '--preset', 'windows-11', '--name', 'w11', '--disk-size', '32G', '--iso', join(w.home, 'win.iso')], w.env, w.home);
    expect(c.code).not.toBe(0);
    expect(c.stderr).toContain(SMALL);
    expect(await guests()).toEqual([]);
    // The preset's own 80 GiB is fine, and so is 64 GiB.
    out(await w.call('guests.create', { preset: 'windows-11', name: 'w11', diskSize: '64G', iso: join(w.home, 'win.iso') }));
  });
});

describe('free space', () => {
  it('warns (API and CLI) when a sparse disk could outgrow the free space, and makes it', async () => {
    const space = out<{ path: string; freeBytes: number }>(await w.call('host.freeSpace', {}));
    expect(space.path).toBe(w.store.paths.vms);
    const size = `${Math.ceil(space.freeBytes / 2 ** 30) + 64}G`;
    const r = out<{ warnings: { field: string; message: string }[] }>(await w.call('guests.create', { preset: 'linux', name: 'big', diskSize: size }));
    expect(r.warnings).toEqual([{ field: 'diskSize', message: expect.stringMatching(/^The disk can grow to .* but .* free: the guest would stop when it fills up\. Free some space there, or choose a smaller size\.$/) }]);
    expect(await guests()).toContain('big');
    const c = await cli(['create', '--preset', 'linux', '--name', 'big2', '--disk-size', size], w.env, w.home);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/warning: diskSize: The disk can grow to/);
    // A disk that fits says nothing.
    expect(out<{ warnings: unknown[] }>(await w.call('guests.create', { preset: 'linux', name: 'small', diskSize: '64M' })).warnings).toEqual([]);
  });

  it('refuses a preallocated disk that cannot fit (the shared rule)', () => {
    expect(diskSpaceProblem(2 ** 30, 2 ** 31, '/g')).toBeNull();
    expect(diskSpaceProblem(2 ** 32, 2 ** 30, '/g', true)).toEqual({ level: 'refuse', message: 'A preallocated disk of 4 GiB does not fit: /g has 1 GiB free. Free some space there, or choose a smaller size.' });
    expect(diskSpaceProblem(2 ** 32, 2 ** 30, '/g')?.level).toBe('warn');
  });

  it('measures a folder not made yet at its nearest parent, and refuses paths it should not take', async () => {
    const f = await freeSpace(join(w.home, 'not', 'yet'));
    expect(f.measured).toBe(w.home);
    expect(f.freeBytes).toBeGreaterThan(0);
    for (const path of ['relative/dir', '/tmp/a\nb']) {
      const r = await w.call('host.freeSpace', { path });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.fields?.[0]?.field).toBe('path');
    }
  });
});
