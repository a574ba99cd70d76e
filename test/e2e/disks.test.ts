// The disks section, the snapshot tree and Import in Chromium against `guestbay serve` (Debian's
// Chromium driven by Playwright): a linked clone made with the CLI shows the base it sits on and
// a branched snapshot tree; Import shows its form. Screenshots at 1280×800 and 1920×1080, light
// and dark, go to test-results/screens/disks-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestGuest } from '../guest/guest';
import { cli, ROOT, tempHome } from '../helpers/cli';
import { buildAndServe, launchChromium } from '../helpers/e2e';

const SHOTS = join(ROOT, 'test-results', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;

async function run(args: string[]) {
  const r = await cli(args, t.env);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await tempHome('gb-e2e-disks-');
  const guest = await ensureTestGuest();
  await run(['create', '--preset', 'linux', '--name', 'deb', '--disk-size', '64M', '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0']);
  await run(['clone', 'deb', 'deb-work', '--linked']);
  await run(['snapshot', 'deb-work', 'create', 'clean']);
  await run(['snapshot', 'deb-work', 'create', 'tools']);
  await run(['snapshot', 'deb-work', 'revert', 'clean']);
  await run(['snapshot', 'deb-work', 'create', 'experiment']);
  ({ server, url } = await buildAndServe(t.env));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await server?.catch(() => {});
  await t?.cleanup();
});

const byId = (id: string) => page.getByTestId(id);

describe('disks and snapshots in the app', () => {
  it('shows the clone on its base, the branched snapshot tree and Import, in both sizes and themes', async () => {
    await page.goto(`${url}#/guest/deb-work/disks`);
    await byId('disks-section').waitFor({ timeout: 30_000 });
    await expect.poll(async () => byId('disk-chain-system').textContent()).toMatch(/on the base “deb”/);
    // "experiment" was taken after reverting to "clean": a second branch under it, and "now".
    await expect.poll(async () => byId('snapshot-clean').locator('[data-testid^="snapshot-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(
      expect.arrayContaining(['snapshot-tools', 'snapshot-experiment', 'snapshot-now-experiment']),
    );
    for (const [w, h] of [[1280, 800], [1920, 1080]] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${url}#/guest/deb-work/disks`);
        await byId('snapshot-now-experiment').waitFor();
        await byId('disks-section').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `disks-${w}x${h}-${scheme}.png`) });
        await page.goto(`${url}#/`);
        await byId('library-import').click();
        await byId('import-path').waitFor();
        await page.screenshot({ path: join(SHOTS, `import-${w}x${h}-${scheme}.png`) });
      }
    }
  });
});
