// Issue 12 item 14, reproduced: `guestbay create --preset macos-sonoma` made a guest whose
// command names an OpenCore.qcow2 nobody built (QEMU 10 refuses to start it), and whose name
// then blocked `guestbay macos prepare`. Plain create (CLI and API) now refuses macOS presets
// and points to the way that builds what macOS needs; nothing is written.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  w = await apiWorld('gb-maccreate-');
});
afterAll(() => w.cleanup());

const guestsOnDisk = async () => (await readdir(join(w.home, 'data/guestbay/vms')).catch(() => [])).filter((n) => !n.startsWith('.'));

describe('a macOS preset in plain create', () => {
  it('is refused by `guestbay create`, pointing to `guestbay macos prepare` with the same release and name', async () => {
    const r = await cli(['create', '--preset', 'macos-sonoma', '--name', 'mac', '--disk-size', '1G'], w.env, w.home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).toMatch(/preset: A macOS guest needs Apple's recovery image and an OpenCore boot disk, which create does not make: run `guestbay macos prepare --release sonoma --name mac`/);
    expect(r.stderr).toMatch(/New guest → macOS/);
    expect(await guestsOnDisk()).toEqual([]);
  });

  it('is refused by the API\'s create and preview, on the preset field', async () => {
    for (const call of ['guests.create', 'guests.preview']) {
      const r = await w.call(call, { preset: 'macos-high-sierra', name: 'hs', diskSize: '1G' });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.fields).toEqual([{ field: 'preset', message: expect.stringMatching(/guestbay macos prepare --release high-sierra --name hs/) }]);
    }
    expect(await guestsOnDisk()).toEqual([]);
  });

  it('leaves the name free for `guestbay macos prepare` (no config, no folder: what prepare refuses to build into)', async () => {
    await cli(['create', '--preset', 'macos-sonoma', '--name', 'mac2'], w.env, w.home);
    expect(await w.store.exists('mac2')).toBe(false);
    expect(await readdir(w.store.dirs('mac2').dir).catch(() => 'absent')).toBe('absent');
  });
});
