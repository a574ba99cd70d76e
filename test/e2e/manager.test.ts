// Issue 14 acceptance in Chromium (the guest page as a manager), against `guestbay serve` and
// the real CLI on the same data dir: a guest created by the CLI appears in the open tab within a
// second; on the stopped guest a bad value gets its field's message and vm.json stays byte for
// byte, a good one shows in the page, in `guestbay show` and `guestbay cmdline`, and the guest
// started afterwards sees it (its memory in /proc/meminfo); a malformed forward is refused at its
// field and a good one binds 127.0.0.1; on the running guest a memory change is listed as pending
// with the old and new command. Screenshots of each screen at 1280×800 and 1920×1080, light and
// dark, go to docs/screens/.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestbayPaths } from '../../src/main/vm/paths';
import { Store } from '../../src/main/vm/store';
import { ensureTestGuest, type TestGuest } from '../guest/guest';
import { guestbay, ROOT, tempHome } from '../helpers/cli';
import { buildAndServe, launchChromium } from '../helpers/e2e';

const DOCS = join(ROOT, 'docs', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;
let guest: TestGuest;

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  t = await tempHome('gb-e2e-manager-');
  guest = await ensureTestGuest();
  ({ server, url } = await buildAndServe(t.env));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

afterAll(async () => {
  await guestbay(['stop', 'tiny', '--force'], t.env).catch(() => undefined);
  await browser?.close();
  server?.kill('SIGTERM');
  await server?.catch(() => {});
  await t?.cleanup();
});

const byId = (id: string) => page.getByTestId(id);
const vmJson = () => readFile(join(new Store(guestbayPaths(t.env)).dirs('tiny').dir, 'vm.json'));

/** The screen as it is, at both sizes in light and dark (back to 1280×800 light after). */
async function shots(name: string) {
  for (const [w, h] of [[1280, 800], [1920, 1080]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(200); // layout and the theme settle; nothing is asserted on it
      await page.screenshot({ path: join(DOCS, `${name}-${w}x${h}-${scheme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the guest page as a manager', () => {
  it('shows a guest the CLI creates within a second, edits it with field-level refusals, and lists what waits for the next start', async () => {
    await page.goto(url);
    await expect.poll(() => byId('library-empty').isVisible(), { timeout: 20_000 }).toBe(true);

    // Item 5: created by another process, in the open tab without a reload.
    const made = await guestbay(
      ['create', '--preset', 'linux', '--name', 'tiny', '--disk-size', '64M', '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0 quiet panic=-1', '--memory', '256M', '--cores', '1', '--display', 'std'],
      t.env,
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const created = Date.now();
    await expect.poll(() => byId('guest-card-tiny').isVisible(), { timeout: 1_000, interval: 25 }).toBe(true);
    console.log(`the CLI's guest showed in the tab after ${Date.now() - created} ms`);
    await guestbay(['create', '--preset', 'windows-11', '--name', 'win11', '--disk-size', '64G'], t.env);
    await guestbay(['create', '--preset', 'linux', '--name', 'fedora', '--disk-size', '1G'], t.env);
    await expect.poll(() => byId('guest-card-fedora').isVisible(), { timeout: 5_000 }).toBe(true);
    await shots('library-grid');
    await byId('library-view-list').click();
    await shots('library-list');
    await byId('library-view-grid').click();

    // Bad values on the stopped guest: the field's message, and vm.json byte for byte.
    const before = await vmJson();
    await page.goto(`${url}#/guest/tiny/settings/cpu`);
    await byId('settings-cores').fill('99');
    await byId('settings-memory').fill('1000000000');
    await byId('settings-save-cpu').click();
    await expect.poll(() => byId('settings-cores-error').textContent()).toMatch(/give the guest at most \d+ cores?/);
    expect(await byId('settings-memory-error').textContent()).toMatch(/GiB/);
    await shots('guest-settings-error');
    expect((await vmJson()).equals(before)).toBe(true);

    await page.goto(`${url}#/guest/tiny/settings/network`);
    await byId('settings-forward-host-port').fill('99999');
    await byId('settings-forward-guest-port').fill('22');
    await byId('forward-add').click();
    await expect.poll(() => byId('settings-forward-host-port-error').textContent()).toMatch(/port/i);
    expect((await vmJson()).equals(before)).toBe(true);
    await byId('settings-forward-host-port').fill('2222');
    await byId('forward-add').click();
    await expect.poll(() => byId('forward-tcp-2222').textContent()).toContain('127.0.0.1:2222');

    // A good value: the page, `guestbay show` and `guestbay cmdline` agree.
    await page.goto(`${url}#/guest/tiny/settings/cpu`);
    await byId('settings-memory').fill('0.375');
    await byId('settings-save-cpu').click();
    await expect.poll(() => byId('settings-saved').isVisible()).toBe(true);
    expect(await page.locator('.guest-sub').textContent()).toMatch(/1 core · 0\.4 GiB|384 MiB|0\.38 GiB/);
    const show = await guestbay(['show', 'tiny', '--json'], t.env);
    expect(JSON.parse(show.stdout)).toMatchObject({ memoryMiB: 384, network: { portForwards: [{ hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }] } });
    expect((await guestbay(['cmdline', 'tiny'], t.env)).stdout).toMatch(/-m 384M/);

    // Started: the guest sees its memory.
    await byId('action-start-tiny').click();
    await expect.poll(() => byId('guest-state-tiny').getAttribute('data-state'), { timeout: 90_000 }).toBe('running');
    await page.goto(`${url}#/guest/tiny/console`);
    await expect.poll(() => byId('serial-console').textContent(), { timeout: 90_000 }).toMatch(/GB:MEM \d+/);
    const memKiB = Number(/GB:MEM (\d+)/.exec((await byId('serial-console').textContent())!)![1]);
    // MemTotal is RAM less what the kernel keeps: between 300 and 384 MiB for 384 MiB.
    expect(memKiB).toBeGreaterThan(300 * 1024);
    expect(memKiB).toBeLessThanOrEqual(384 * 1024);
    await page.goto(`${url}#/guest/tiny`);
    await shots('guest-running-display');

    // A change the running guest gets only at its next start: listed, with both commands.
    await page.goto(`${url}#/guest/tiny/settings/cpu`);
    await byId('settings-memory').fill('0.5');
    await byId('settings-save-cpu').click();
    await expect.poll(() => byId('pending-list').textContent(), { timeout: 20_000 }).toMatch(/memory/i);
    await byId('pending-toggle').click();
    const diff = (await byId('pending-diff').textContent())!;
    expect(diff).toContain('384M');
    expect(diff).toContain('512M');
    expect(await byId('pending-chip').textContent()).toMatch(/at next start/);
    await shots('guest-settings-pending');

    // Force off asks first, then the guest stops.
    await byId('action-force-off-tiny').click();
    await byId('confirm-action').getByRole('button', { name: 'Force off' }).click();
    await expect.poll(() => byId('guest-state-tiny').getAttribute('data-state'), { timeout: 60_000 }).toBe('stopped');
    await page.goto(`${url}#/host`);
    await expect.poll(() => byId('host-finding-kvm').isVisible(), { timeout: 20_000 }).toBe(true);
    await shots('host');
  });
});
