// Issue 14 item 9 in Chromium, against `guestbay serve` (no guest is started: lean): the help
// overlay takes and keeps the focus and Esc closes it; the browser-mode file picker opens in the
// folder of the field's file with only the types it takes, goes where a typed path says, and Esc
// closes it; a library card's link says the guest and its state. Screenshots of the file picker
// and of the library at 1280×800 and 1920×1080, light and dark, go to docs/screens/.
import { mkdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestbay, ROOT, tempHome } from '../helpers/cli';
import { buildAndServe, launchChromium, screenshots } from '../helpers/e2e';

const DOCS = join(ROOT, 'docs', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  t = await tempHome('gb-e2e-a11y-');
  // A warm host (the first probe of a fresh home runs every emulator) and a few guests to show.
  expect((await guestbay(['probe', '--json'], t.env)).exitCode).toBe(0);
  for (const [preset, name, title] of [['linux', 'debian', 'Debian 12'], ['windows-11', 'win11', 'Windows 11'], ['linux', 'fedora', ''], ['windows-10', 'office', 'Office PC']] as const) {
    const made = await guestbay(['create', '--preset', preset, '--name', name, ...(title ? ['--title', title] : []), '--disk-size', preset === 'linux' ? '1G' : '64G'], t.env);
    expect(made.exitCode, made.stderr).toBe(0);
  }
  const isos = join(t.home, 'Downloads', 'isos');
  await mkdir(join(isos, 'old releases'), { recursive: true });
  for (const f of ['debian-12.8.0-amd64-netinst.iso', 'Win11_24H2_English_x64.iso', 'SHA256SUMS', 'notes.txt']) await writeFile(join(isos, f), 'x');
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
const focusInside = (testId: string) => page.evaluate((id) => !!document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement), testId);

/** In the page: the contrast of an element's border with its own background and with the first opaque one behind it. */
const BORDER_CONTRAST = (el: Element) => {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = (c: string) => {
    const [r, g, b] = rgb(c).slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const ratio = (a: string, b: string) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  const opaque = (e: Element | null): string => {
    for (; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (rgb(bg)[3] !== 0 && bg !== 'transparent') return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const border = getComputedStyle(el).borderTopColor;
  return { field: ratio(border, opaque(el)), around: ratio(border, opaque(el.parentElement)) };
};

/** The screen as it is, at both sizes in light and dark (back to 1280×800 light after). */
const shots = (name: string) => screenshots(page, name);

describe('accessibility in Chromium', () => {
  it('help overlay, library names, and the file picker: focus, Esc, folder, types and typed paths', async () => {
    await page.goto(url);
    await expect.poll(() => byId('guest-card-win11').isVisible(), { timeout: 20_000 }).toBe(true);
    // Named by its title (a title that only repeats the system, like "Windows 11", gives way to the name).
    expect(await page.getByRole('link', { name: 'Office PC, Stopped', exact: true }).getAttribute('data-testid')).toBe('guest-open-office');
    expect(await page.getByRole('link', { name: 'win11, Stopped', exact: true }).getAttribute('data-testid')).toBe('guest-open-win11');
    await shots('library-a11y');

    // The help overlay: focus in, Tab kept inside, Esc closes it and the focus goes back.
    await byId('library-new').focus();
    await page.keyboard.press('?');
    await expect.poll(() => focusInside('help-overlay'), { timeout: 5_000 }).toBe(true);
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInside('help-overlay')).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await focusInside('help-overlay')).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => byId('help-overlay').count(), { timeout: 5_000 }).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('library-new');

    // The file picker from the wizard's installer field, which holds an ISO in ~/Downloads/isos.
    const isos = join(t.home, 'Downloads', 'isos');
    await byId('library-new').click();
    await byId('wizard-os-linux').click();
    await byId('field-name').fill('new-one');
    await byId('wizard-next').click();
    await byId('field-iso').fill(join(isos, 'debian-12.8.0-amd64-netinst.iso'));
    // The field's border, as Chromium draws it, against the field and the panel around it: ≥ 3:1.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const c = await byId('field-iso').evaluate(BORDER_CONTRAST);
      expect(c.field, `${scheme}: border on the field`).toBeGreaterThanOrEqual(3);
      expect(c.around, `${scheme}: border on what surrounds it`).toBeGreaterThanOrEqual(3);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await byId('field-iso-browse').click();
    await expect.poll(() => byId('file-path').inputValue(), { timeout: 10_000 }).toBe(isos);
    expect(await focusInside('file-browser')).toBe(true);
    expect(await byId('file-entry-Win11_24H2_English_x64.iso').isVisible()).toBe(true);
    expect(await byId('file-entry-old releases').isVisible()).toBe(true);
    expect(await byId('file-entry-notes.txt').count()).toBe(0);
    // Every icon is drawn (SVG with a size), none a character of a font.
    expect(await page.locator('[data-testid="file-browser"] .file-entry svg').evaluateAll((svgs) => svgs.every((s) => s.getBoundingClientRect().width >= 12))).toBe(true);
    await shots('file-picker');

    // A typed path: a wrong one is said, a folder is opened, a file is picked.
    await byId('file-path').fill(join(isos, 'nowhere'));
    await byId('file-path').press('Enter');
    await expect.poll(() => page.locator('[data-testid="file-browser"] [data-testid="error"]').textContent(), { timeout: 10_000 }).toMatch(/^There is no file or folder at \S*nowhere\. Check the path, or pick from the list\./);
    await shots('file-picker-wrong-path');
    await byId('file-path').fill(join(isos, 'old releases'));
    await byId('file-path').press('Enter');
    await expect.poll(() => byId('file-parent').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => byId('file-entry-debian-12.8.0-amd64-netinst.iso').count()).toBe(0);
    await byId('file-parent').click();
    await byId('file-entry-Win11_24H2_English_x64.iso').click();
    await expect.poll(() => byId('file-browser').count(), { timeout: 5_000 }).toBe(0);
    expect(await byId('field-iso').inputValue()).toBe(join(isos, 'Win11_24H2_English_x64.iso'));

    // Esc closes it, and the field keeps its value.
    await byId('field-iso-browse').click();
    await expect.poll(() => byId('file-browser').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => byId('file-browser').count(), { timeout: 5_000 }).toBe(0);
    expect(await byId('field-iso').inputValue()).toBe(join(isos, 'Win11_24H2_English_x64.iso'));
  });
});
