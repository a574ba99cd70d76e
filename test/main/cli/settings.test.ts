// `guestbay settings`: the Guestbay folder read, set (with field-level refusals that change
// nothing on disk) and reset; `create --no-shared-folder` opts a guest out.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  t = await tempHome('gb-settings-');
});
afterEach(() => t.cleanup());

const file = () => join(t.home, 'config', 'guestbay', 'settings.json');

describe('guestbay settings', () => {
  it('shows the default, sets a folder (~ expanded), refuses bad ones without writing, and resets', async () => {
    let r = await cli(['settings', '--json'], t.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sharedFolder: { path: join(t.home, 'Guestbay Shared'), isDefault: true, exists: false }, newGuestsGetFolder: false });

    await mkdir(join(t.home, 'Shared'));
    r = await cli(['settings', 'set', 'shared-folder', '~/Shared'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`shared-folder: ${join(t.home, 'Shared')}`);
    const before = await readFile(file(), 'utf8');
    expect(JSON.parse(before)).toMatchObject({ sharedFolder: join(t.home, 'Shared'), newGuestsGetFolder: false });

    for (const bad of ['relative/dir', '/', join(t.home, 'a-file')]) {
      if (bad.endsWith('a-file')) await writeFile(bad, 'x');
      r = await cli(['settings', 'set', 'shared-folder', bad], t.env);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/shared-?folder/i);
      expect(await readFile(file(), 'utf8')).toBe(before);
    }
    r = await cli(['settings', 'set', 'colour', 'red'], t.env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown setting "colour"');

    r = await cli(['settings', 'reset', 'shared-folder', '--json'], t.env);
    expect(JSON.parse(r.stdout).sharedFolder).toMatchObject({ path: join(t.home, 'Guestbay Shared'), isDefault: true });
    expect((await cli(['settings', '--help'], t.env)).stdout).toContain('--no-shared-folder');
  });

  it('create gives the folder by default and --no-shared-folder opts out', async () => {
    await writeFile(file(), '{}\n');
    expect((await cli(['create', '--preset', 'linux', '--name', 'a', '--disk-size', '64M'], t.env)).code).toBe(0);
    expect((await cli(['create', '--preset', 'linux', '--name', 'b', '--disk-size', '64M', '--no-shared-folder'], t.env)).code).toBe(0);
    expect(JSON.parse((await cli(['show', 'a', '--json'], t.env)).stdout).guestbayFolder).toBe(true);
    expect(JSON.parse((await cli(['show', 'b', '--json'], t.env)).stdout).guestbayFolder).toBe(false);
  });
});
