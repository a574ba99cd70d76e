// Issue 5's acceptance for the guided flow: Debian's Chromium, driven by Playwright, against
// `guestbay serve` pointed at local stand-ins for Apple's recovery service and OpenCorePkg's
// release. Wizard → macOS → preflight (with the TCG warning acknowledged on this host) →
// release → disk and screen → download with progress → create → start → the companion panel
// beside the running guest. Screenshots go to test-results/screens/macos-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestbay, ROOT, tempHome } from '../helpers/cli';
import { buildAndServe, launchChromium } from '../helpers/e2e';
import { startFakeSources, type FakeSources } from '../main/macos/fake-sources';

const SHOTS = join(ROOT, 'test-results', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let fake: FakeSources;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await tempHome('gb-e2e-macos-');
  // A bigger image than the unit tests', so the download is seen in progress.
  fake = await startFakeSources({ imageBytes: 24 * 2 ** 20 + 77 });
  ({ server, url } = await buildAndServe(t.env, fake.flags));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await guestbay(['stop', 'mac', '--force'], t.env);
  server?.kill('SIGTERM');
  await server?.catch(() => {});
  await fake?.stop();
  await t?.cleanup();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `macos-${name}.png`), fullPage: true });
const byId = (id: string) => page.getByTestId(id);

describe('the guided macOS flow', () => {
  it('goes from the wizard to a running macOS guest with the companion panel beside it', async () => {
    await page.goto(`${url}#/new`);
    await byId('wizard-os-macos').click();
    await byId('wizard-macos-guided').click();
    await expect.poll(() => page.url()).toContain('#/new/macos');

    // 1. This host: every finding, the TCG warning loud, and Next only once it is acknowledged.
    await expect.poll(() => byId('macos-finding-macos-kvm').isVisible(), { timeout: 20_000 }).toBe(true);
    const noKvm = (await byId('macos-finding-macos-kvm').getAttribute('data-status')) !== 'ok';
    for (const id of ['macos-applesmc', 'macos-ovmf', 'macos-mtools', 'macos-ram', 'macos-disk']) expect(await byId(`macos-finding-${id}`).getAttribute('data-status')).toBe('ok');
    if (noKvm) {
      // Said once, in the KVM finding (the list's first: the most pressing), which carries the tick.
      expect(await byId('macos-finding-macos-kvm').textContent()).toMatch(/No KVM: macOS will be extremely slow/);
      expect(await page.getByText('No KVM: macOS will be extremely slow').count()).toBe(1);
      expect(await byId('macos-finding-macos-kvm').getByTestId('macos-allow-tcg').count()).toBe(1);
      expect(await byId('macos-next').isDisabled()).toBe(true);
      await byId('macos-allow-tcg').check();
    }
    await shot('preflight');
    await byId('macos-next').click();

    // 2. The release, with its needs.
    expect(await byId('macos-release-tahoe').textContent()).toMatch(/needs AVX2/);
    await byId('macos-release-sonoma').click();
    await shot('release');
    await byId('macos-next').click();

    // 3. Disk and screen; a bad size comes back from the server next to its field.
    await byId('macos-field-name').fill('mac');
    await byId('macos-field-disk-size').fill('lots');
    await byId('macos-prepare').click();
    await expect.poll(() => page.locator('#macos-disk-error').textContent(), { timeout: 10_000 }).toMatch(/size/i);
    expect(fake.apple.log).toEqual([]);
    await byId('macos-field-disk-size').fill('2G');
    await byId('macos-field-resolution').selectOption('1440x900');
    await shot('guest');
    fake.apple.knobs = { throttleBytesPerSecond: 8 * 2 ** 20 };
    await byId('macos-prepare').click();

    // 4. Download with progress, then the disks and the guest.
    await expect.poll(() => byId('macos-download').textContent(), { timeout: 20_000 }).toMatch(/BaseSystem\.dmg: [\d.]+ [KM]iB of 24\.0 MiB/);
    await shot('download');
    await expect.poll(() => byId('macos-progress').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    if (noKvm) expect(await byId('macos-warning-macos-kvm').isVisible()).toBe(true);
    await shot('ready');
    await byId('macos-start').click();

    // 5. The guest runs, and the companion walks through the installer beside it.
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('#/guest/mac');
    await expect.poll(() => byId('guest-state-mac').getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => byId('macos-companion').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await byId('companion-step-picker').getAttribute('data-state')).toBe('current');
    expect(await byId('macos-companion').textContent()).toMatch(/\(dmg\)/);
    await byId('companion-next').click();
    expect(await byId('companion-step-language').getAttribute('data-state')).toBe('current');
    await shot('companion');
  }, 240_000);
});
