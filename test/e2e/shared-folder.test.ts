// Issue 17, item 4, in Chromium against `guestbay serve`: the guest page says the Guestbay
// folder is mounted in the guest (the test guest mounts it at boot; its agent, `gb.qga`, reports
// the mount), and once the guest unmounts it, that it is not, with the command to mount it and
// the guest tools to insert. Screenshots of both states at 1280×800, light and dark, go to
// test-results/screens/shared-folder-*.png. One guest, one boot.
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestExec, withAgent } from '../../src/main/qemu/qga/commands';
import { guestbayPaths } from '../../src/main/vm/paths';
import { readRecord } from '../../src/main/vm/runtime-files';
import { Store } from '../../src/main/vm/store';
import type { TestGuest } from '../guest/guest';
import { guestbay, ROOT, tempHome } from '../helpers/cli';
import { closeApp, openApp } from '../helpers/e2e';

const SHOTS = join(ROOT, 'test-results', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;
let guest: TestGuest;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ t, server, url, browser, page, guest } = await openApp('gb-e2e-folder-'));
  // The settings as a user has them: new guests get the Guestbay folder.
  await rm(join(t.home, 'config', 'guestbay', 'settings.json'), { force: true });
});

afterAll(() => closeApp({ t, server, browser }, ['folder']));

async function shots(state: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `shared-folder-${state}-1280x800-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the shared folder on the guest page', () => {
  it('says it is mounted, and once unmounted gives the command and the guest tools', async () => {
    const made = await guestbay(
      ['create', '--preset', 'linux', '--name', 'folder', '--disk-size', '64M', '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0 quiet panic=-1 gb.qga', '--memory', '256M', '--cores', '1', '--display', 'none'],
      t.env,
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const started = await guestbay(['start', 'folder', '--headless'], t.env);
    expect(started.exitCode, started.stderr).toBe(0);

    await page.goto(`${url}#/guest/folder`);
    const line = page.getByTestId('share-guestbay');
    await expect.poll(() => line.getAttribute('data-mounted').catch(() => null), { timeout: 120_000, interval: 500 }).toBe('yes');
    expect(await line.textContent()).toContain('mounted in the guest at /mnt/guestbay');
    await shots('mounted');

    const store = new Store(guestbayPaths(t.env));
    const socket = (await readRecord(store.dirs('folder').runtimeDir))!.plan.runtime.qgaSocket!;
    const r = await withAgent(socket, (q) => guestExec(q, '/bin/busybox', ['umount', '/mnt/guestbay']), { syncTimeoutMs: 10_000 }); // the server's page polls the same agent: wait for our turn
    expect(r.exitCode, r.stderr).toBe(0);
    await expect.poll(() => line.getAttribute('data-mounted').catch(() => null), { timeout: 60_000, interval: 500 }).toBe('no');
    expect(await page.getByTestId('share-command-guestbay').textContent()).toBe('sudo mkdir -p /mnt/guestbay && sudo mount -t virtiofs guestbay /mnt/guestbay');
    expect(await page.getByTestId('guest-tools-insert').isVisible()).toBe(true);
    await shots('unmounted');
  });
});
