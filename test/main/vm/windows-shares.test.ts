// Issue 12 item 16, reproduced: a Windows guest with two shares and no virtio-win disc was
// created, then `cmdline` failed ("QEMU serves one SMB share per guest"). Without the drivers
// disc Windows shares over SMB, and QEMU's user-mode network serves one SMB folder: create now
// refuses, saying the two ways out.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

let w: Awaited<ReturnType<typeof apiWorld>>;
let a: string;
let b: string;
let iso: string;
let drivers: string;
beforeAll(async () => {
  w = await apiWorld('gb-winshare-');
  a = join(w.home, 'Projects');
  b = join(w.home, 'Photos');
  await mkdir(a);
  await mkdir(b);
  iso = join(w.home, 'win.iso');
  drivers = join(w.home, 'virtio-win.iso');
  await writeFile(iso, 'iso');
  await writeFile(drivers, 'iso');
});
afterAll(() => w.cleanup());

const guestsOnDisk = async () => (await readdir(join(w.home, 'data/guestbay/vms')).catch(() => [])).sort();

describe('two shares for Windows', () => {
  it('without the virtio-win disc: refused at create with the fix, nothing written', async () => {
    const r = await cli(['create', '--preset', 'windows-10', '--name', 'win', '--iso', iso, '--share', a, '--share', b], w.env, w.home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).toMatch(/shares\.1: Without the virtio-win drivers disc, Windows shares folders over SMB, and QEMU serves one SMB share per guest: add the disc \(--drivers virtio-win\.iso, or \"virtio-win drivers disc\" in the app\) to share them over virtiofs, or share one folder/);
    expect(await guestsOnDisk()).toEqual([]);

    const api = await w.call('guests.create', { preset: 'windows-11', name: 'win', iso, shares: [a, b] });
    expect(api.ok ? [] : api.error.fields).toEqual([{ field: 'shares.1', message: expect.stringMatching(/^Without the virtio-win drivers disc/) }]);
    expect(await guestsOnDisk()).toEqual([]);
  });

  it('a share method chosen as SMB for two folders is refused on that choice', async () => {
    const r = await w.call('guests.create', { preset: 'linux', name: 'lin', shares: [a, b], overrides: { shareMethod: 'smb' } });
    expect(r.ok ? [] : r.error.fields).toEqual([{ field: 'overrides.shareMethod', message: expect.stringMatching(/^QEMU serves one SMB share per guest: choose virtiofs or 9p for these folders, or share one folder/) }]);
  });

  it('with the disc (virtiofs), or one folder, it is created and its command builds', async () => {
    const r = await cli(['create', '--preset', 'windows-10', '--name', 'win', '--disk-size', '32G', '--iso', iso, '--drivers', drivers, '--share', a, '--share', b], w.env, w.home);
    expect(r.code, r.stderr).toBe(0);
    const one = await cli(['create', '--preset', 'windows-10', '--name', 'win1', '--disk-size', '32G', '--iso', iso, '--share', a], w.env, w.home);
    expect(one.code, one.stderr).toBe(0);
    const cmd = await w.call('guests.cmdline', { name: 'win1' });
    // The command builds (smbd present) or says only what this host lacks.
    if (!cmd.ok) expect(cmd.error.message).toMatch(/smbd/);
    else expect((cmd.output as { command: string }).command).toContain(`smb=${a}`);
  });
});
