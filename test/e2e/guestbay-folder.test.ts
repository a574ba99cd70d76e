// Issue 17 in Chromium, against `guestbay serve` and the real CLI on the same home: the Host
// page's Guestbay folder refuses a relative path at its field (the settings file unchanged), saves
// a new folder that `guestbay settings --json` then reports; the wizard's shares step shows
// "Share the Guestbay folder" ticked with its method and cost on this host. Screenshots of both
// at 1280×800 and 1920×1080, light and dark, go to docs/screens/.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestbay } from '../helpers/cli';
import { closeApp, openApp, screenshots, type AppSession } from '../helpers/e2e';

let s: AppSession;
const settingsFile = () => join(s.t.home, 'config', 'guestbay', 'settings.json');

beforeAll(async () => {
  s = await openApp('gb-e2e-folder-');
  // New guests get the folder, as a user's do (the suites' homes opt out).
  await writeFile(settingsFile(), '{}\n');
});
afterAll(() => closeApp(s));

const byId = (id: string) => s.page.getByTestId(id);

describe('the Guestbay folder in the app', () => {
  it('changes the folder on the Host page, and `guestbay settings --json` reports it', async () => {
    await s.page.goto(`${s.url}#/host`);
    await expect.poll(() => byId('setting-shared-folder').inputValue(), { timeout: 20_000 }).toBe(join(s.t.home, 'Guestbay Shared'));
    const before = await readFile(settingsFile(), 'utf8');
    await byId('setting-shared-folder').fill('Documents/shared');
    await byId('setting-shared-folder-save').click();
    await expect.poll(() => byId('setting-shared-folder-error').textContent(), { timeout: 20_000 }).toMatch(/absolute path/);
    expect(await readFile(settingsFile(), 'utf8')).toBe(before);

    const folder = join(s.t.home, 'Shared with guests');
    await byId('setting-shared-folder').fill(folder);
    await byId('setting-shared-folder-save').click();
    await expect.poll(() => byId('setting-shared-folder-saved').isVisible(), { timeout: 20_000 }).toBe(true);
    const r = await guestbay(['settings', '--json'], s.t.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).sharedFolder).toEqual({ path: folder, isDefault: false, exists: false });
    await screenshots(s.page, 'host-guestbay-folder', () => byId('host-guestbay-folder').scrollIntoViewIfNeeded());
  });

  it('the wizard\'s shares step: the folder ticked, with its method and what it costs here', async () => {
    await s.page.goto(`${s.url}#/new`);
    await byId('wizard-os-linux').click();
    await byId('field-name').fill('withfolder');
    for (const marker of ['field-iso', 'wizard-firmware-uefi', 'field-disk-size', 'field-nic', 'field-guestbay-folder']) {
      await byId('wizard-next').click();
      await expect.poll(() => byId(marker).isVisible(), { timeout: 60_000 }).toBe(true);
    }
    expect(await byId('field-guestbay-folder').isChecked()).toBe(true);
    await expect.poll(() => byId('wizard-guestbay-folder-method').textContent(), { timeout: 20_000 }).toMatch(/sees it over (virtiofs|SMB)/);
    expect(await byId('wizard-guestbay-folder').textContent()).toContain(join(s.t.home, 'Shared with guests'));
    await screenshots(s.page, 'wizard-6-guestbay-folder');
  });
});
