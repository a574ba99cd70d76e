// Issue 17, item 1: the Guestbay-wide folder. A guest made from a preset with the settings as
// they come gets it with no per-guest setting; its first start makes ~/Guestbay Shared (0700);
// the guest (which mounts the tag "guestbay" by itself) reads what the host wrote and writes
// what the host reads. The test homes turn the folder off for new guests (test/helpers/cli.ts),
// so this one turns it back on.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestbayFolder } from '../../../src/main/vm/app-settings';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-folder-');
  // The settings as a user has them: none written.
  await rm(join(w.home, 'config', 'guestbay', 'settings.json'), { force: true });
});
afterAll(() => w.cleanup());

const poll = { timeout: 120_000, interval: 200 };

describe('the Guestbay folder', () => {
  it('is in a new guest by default, made at its first start, and works both ways', async () => {
    await w.create('folder');
    expect((await w.store.get('folder')).guestbayFolder).toBe(true);
    const setting = await guestbayFolder(w.store.paths);
    expect(setting).toEqual({ path: join(w.home, 'Guestbay Shared'), isDefault: true, exists: false });

    const sup = w.supervisor();
    await sup.start('folder', { headless: true });
    expect(((await stat(setting.path)).mode & 0o777).toString(8)).toBe('700');
    await expect.poll(() => w.serial('folder'), poll).toContain('GB:SHARE-WROTE guestbay');
    expect(await readFile(join(setting.path, 'from-guest.txt'), 'utf8')).toBe('written by guest\n');
    // The guest reads a file the host writes while it runs, and answers in another.
    await writeFile(join(setting.path, 'ping'), 'hello-from-host\n');
    await expect.poll(() => w.serial('folder'), poll).toContain('GB:SHARE-PONG guestbay hello-from-host');
    expect(await readFile(join(setting.path, 'pong'), 'utf8')).toBe('pong hello-from-host\n');
    await sup.stop('folder', { force: true });
  });

  it('a guest that opts out does not get it', async () => {
    await w.create('without', { guestbayFolder: false });
    expect((await w.store.get('without')).guestbayFolder).toBe(false);
  });
});
