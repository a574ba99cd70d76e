// Issue acceptance (the app): Debian's Chromium, driven by Playwright, against `guestbay serve`
// and the real services. Create a Linux guest through the wizard (the test guest's kernel),
// start it, see it running with a thumbnail, read its serial console, stop it; open the host
// page and see the KVM finding. Screenshots of each page go to test-results/screens/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestGuest, type TestGuest } from '../guest/guest';
import { ROOT, tempHome } from '../helpers/cli';
import { buildAndServe, launchChromium } from '../helpers/e2e';

const SHOTS = join(ROOT, 'test-results', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;
let guest: TestGuest;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await tempHome('gb-e2e-app-');
  guest = await ensureTestGuest();
  ({ server, url } = await buildAndServe(t.env));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await server?.catch(() => {});
  // The server leaves guests running by design; this test's guest is stopped by the test.
  await t?.cleanup();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const byId = (id: string) => page.getByTestId(id);

describe('the app in a browser', () => {
  it('creates a Linux guest in the wizard, runs it, reads its console, stops it, and shows the host', async () => {
    await page.goto(url);
    await expect.poll(() => byId('library-empty').isVisible(), { timeout: 20_000 }).toBe(true);
    await shot('library-empty');

    await byId('empty-new').click();
    await byId('wizard-os-linux').click();
    await byId('field-name').fill('tiny');
    await shot('wizard-os');
    await byId('wizard-next').click();
    await page.getByText('Advanced: boot a kernel directly').click();
    await byId('field-kernel').fill(guest.kernel);
    await byId('field-initrd').fill(guest.initrd);
    await byId('field-append').fill('console=ttyS0 quiet panic=-1');
    await shot('wizard-media');
    await byId('wizard-next').click(); // firmware
    await byId('wizard-next').click(); // resources
    await byId('field-cores').fill('1');
    await byId('field-memory').fill('0.25');
    await byId('field-disk-size').fill('64M');
    await shot('wizard-resources');
    for (const step of ['devices', 'shares', 'review']) {
      await byId('wizard-next').click();
      await expect.poll(() => byId(`wizard-step-${step}`).getAttribute('aria-current'), { timeout: 10_000 }).toBe('step');
    }
    await expect.poll(() => byId('wizard-review-command').textContent(), { timeout: 20_000 }).toContain('-kernel');
    await shot('wizard-review');
    await byId('wizard-create').click();
    await expect.poll(() => page.url(), { timeout: 20_000 }).toContain('#/guest/tiny');

    await byId('nav-library').click();
    await byId('action-start-tiny').click();
    await expect.poll(() => byId('guest-state-tiny').getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
    await expect.poll(async () => (await byId('guest-thumb-tiny').locator('img').getAttribute('src', { timeout: 1000 }).catch(() => null)) ?? '', { timeout: 30_000 }).toMatch(/^data:image\/png;base64,/);
    await shot('library-running');

    // The guest page's Console tab opens the serial console at once; the Command tab shows the command.
    await page.goto(`${url}#/guest/tiny/console`);
    await expect.poll(() => byId('serial-console').textContent(), { timeout: 60_000 }).toMatch(/GB:TICK/);
    await shot('guest-console');
    await byId('tab-command').click();
    await expect.poll(() => byId('guest-command').textContent()).toContain('qemu-system-x86_64');

    await byId('nav-library').click();
    await byId('action-stop-tiny').click();
    await expect.poll(() => byId('guest-state-tiny').getAttribute('data-state'), { timeout: 90_000 }).toBe('stopped');

    await byId('nav-host').click();
    await expect.poll(() => byId('host-finding-kvm').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await byId('host-finding-kvm').textContent()).toMatch(/KVM/);
    await shot('host');
  });
});
