// The Guestbay folder from the command line (issue 17): `guestbay cmdline` and `export --script`
// show what a start runs, the folder included, from the settings a start reads (before the fix
// they left it out); `create --no-guestbay-folder` opts out; a folder of the guest's own over SMB
// is refused where the Guestbay folder takes QEMU's one SMB share, with nothing written.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
const folder = () => join(t.home, 'Guestbay Shared');
beforeAll(async () => {
  t = await tempHome('gb-folder-cli-');
  // These guests get the folder, as a user's do (the suites' homes opt out).
  await writeFile(join(t.home, 'config', 'guestbay', 'settings.json'), '{}\n');
  await mkdir(join(t.home, 'Projects'));
});
afterAll(() => t.cleanup());

describe('the Guestbay folder on the command line', () => {
  it('cmdline and export --script carry the folder of a guest that has it, and not of one that opted out', async () => {
    expect((await cli(['create', '--preset', 'linux', '--name', 'on', '--disk-size', '64M'], t.env)).code).toBe(0);
    const off = await cli(['create', '--preset', 'linux', '--name', 'off', '--disk-size', '64M', '--no-guestbay-folder'], t.env);
    expect(off.code, off.stderr).toBe(0);

    const on = await cli(['cmdline', 'on'], t.env);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain(folder());
    const json = JSON.parse((await cli(['cmdline', 'on', '--json'], t.env)).stdout);
    // Over virtiofs (a helper sharing it) or, where virtiofsd does not work, SMB: either way the folder is there.
    expect(JSON.stringify([json.args, json.sidecars])).toContain(folder());

    const none = await cli(['cmdline', 'off'], t.env);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain(folder());

    const script = await cli(['export', 'on', '--script'], t.env);
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout).toContain(folder());
    expect((await cli(['export', 'off', '--script'], t.env)).stdout).not.toContain(folder());

    // The folder's place comes from the settings at each look, as at each start.
    await mkdir(join(t.home, 'Moved'));
    expect((await cli(['settings', 'set', 'shared-folder', '~/Moved'], t.env)).code).toBe(0);
    expect((await cli(['cmdline', 'on'], t.env)).stdout).toContain(join(t.home, 'Moved'));
    expect((await cli(['settings', 'reset', 'shared-folder'], t.env)).code).toBe(0);
  });

  it('create refuses an SMB folder of the guest\'s own where the Guestbay folder takes SMB (Windows without drivers)', async () => {
    const r = await cli(['create', '--preset', 'windows-11', '--name', 'w', '--disk-size', '64G', '--share', join(t.home, 'Projects')], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shares\.0: QEMU serves one SMB share per guest, and the Guestbay folder takes it/);
    expect(await readdir(join(t.home, 'data', 'guestbay', 'vms'))).not.toContain('w');
    const without = await cli(['create', '--preset', 'windows-11', '--name', 'w', '--disk-size', '64G', '--share', join(t.home, 'Projects'), '--no-guestbay-folder'], t.env);
    expect(without.code, without.stderr).toBe(0);
  });
});
