// Issue 12 item 10, reproduced: `--share ''` silently shared the folder the command ran in;
// `--share /` and the whole home folder went by without a word. An empty path and the whole
// file system are refused (nothing written); the home folder, a folder holding it, or a link
// to either is created with a warning that says what the guest can reach.
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  w = await apiWorld('gb-share-');
  await mkdir(join(w.home, 'Shared'));
  await symlink(w.home, join(w.home, 'Shared', 'home-link'));
});
afterAll(() => w.cleanup());

const guestsOnDisk = async () => (await readdir(join(w.home, 'data/guestbay/vms')).catch(() => [])).sort();

describe('guestbay create --share', () => {
  it('refuses an empty path instead of sharing the folder it runs in', async () => {
    for (const empty of ['', '  ']) {
      const r = await cli(['create', '--preset', 'linux', '--name', 'empty', '--share', join(w.home, 'Shared'), '--share', empty], w.env, w.home);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/shares\.1: Choose a folder to share: an empty path would share the folder you are in/);
      expect(await guestsOnDisk()).toEqual([]);
    }
  });

  it('refuses the whole file system, through a link too', async () => {
    await symlink('/', join(w.home, 'root-link'));
    for (const root of ['/', '//', join(w.home, 'root-link')]) {
      const r = await cli(['create', '--preset', 'linux', '--name', 'root', '--share', root], w.env, w.home);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/shares\.0: Sharing the whole file system \(\/\) .* Share the folder the guest needs instead/);
    }
    expect(await guestsOnDisk()).toEqual([]);
  });

  it('creates a guest sharing the user\'s home folder, with a warning', async () => {
    // The CLI's home is the user's own ($HOME of the process running it).
    const r = await cli(['create', '--preset', 'linux', '--name', 'home', '--disk-size', '1G', '--share', homedir(), '--json'], w.env, w.home);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([{ field: 'shares.0', message: expect.stringMatching(/^This shares your whole home folder/) }]);
    expect(await guestsOnDisk()).toEqual(['home']);
    // Without --json the warning is printed on stderr, beside the "Created" line.
    const t = await cli(['create', '--preset', 'linux', '--name', 'home2', '--disk-size', '1G', '--share', homedir()], w.env, w.home);
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/^guestbay: warning: shares\.0: This shares your whole home folder/m);
  });
});

describe('the API\'s create and preview', () => {
  it('say the same: refused for an empty path and /, a warning for the home folder or a folder holding it', async () => {
    const refused = await w.call('guests.create', { preset: 'linux', name: 'x', shares: ['', '/'] });
    expect(refused.ok ? [] : refused.error.fields).toEqual([
      { field: 'shares.0', message: expect.stringMatching(/^Choose a folder to share/) },
      { field: 'shares.1', message: expect.stringMatching(/^Sharing the whole file system/) },
    ]);
    expect(await guestsOnDisk()).not.toContain('x');

    const shares = [join(w.home, 'Shared'), join(w.home, 'Shared', 'home-link'), dirname(w.home)];
    const preview = await w.call('guests.preview', { preset: 'linux', name: 'wide', shares });
    if (!preview.ok) throw new Error(preview.error.message);
    const o = preview.output as { warnings: { field: string; message: string }[]; plan?: { warnings: { id: string; message: string }[] } };
    expect(o.warnings).toEqual([
      { field: 'shares.1', message: expect.stringMatching(/^This shares your whole home folder/) },
      { field: 'shares.2', message: expect.stringMatching(/^This shares a folder that holds your home folder/) },
    ]);
    // The review page lists the command's warnings: these are among them.
    expect(o.plan?.warnings.filter((x) => x.id === 'share-wide')).toHaveLength(2);
    const made = await w.call('guests.create', { preset: 'linux', name: 'wide', diskSize: '1G', shares });
    expect(made.ok && (made.output as { warnings: unknown[] }).warnings).toHaveLength(2);
  });
});
