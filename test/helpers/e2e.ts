// What the browser tests share: the renderer built, `guestbay serve` started (its URL read from
// what it prints), and Debian's Chromium launched for Playwright; openApp/closeApp: all of it at once.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureTestGuest, type TestGuest } from '../guest/guest';
import { guestbay, ROOT, tempHome } from './cli';

/**
 * Builds the renderer and starts `guestbay serve ARGS…`; resolves once it prints its URL.
 * Vitest sets NODE_ENV=test, which Vite's build inherits: React's development build, with its
 * checks and warnings (what the tests want). `production`: the build users get (benchmarks).
 */
export async function buildAndServe(env: NodeJS.ProcessEnv, args: string[] = [], o: { production?: boolean } = {}): Promise<{ server: ResultPromise; url: string }> {
  // Vite through this Node (no npx): the QEMU 10 chroot has Node but not npm.
  await execa(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, ...(o.production ? { env: { NODE_ENV: 'production' } } : {}) });
  const server = execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), 'serve', ...args], { env, reject: false });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void server.then((r) => reject(new Error(`serve ended: ${r.stderr}`)));
  });
  return { server, url };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One browser test's world: a temporary home, the test guest, `guestbay serve` and a Chromium page on it. */
export interface AppSession {
  t: Awaited<ReturnType<typeof tempHome>>;
  guest: TestGuest;
  server: ResultPromise;
  url: string;
  browser: Browser;
  page: Page;
}

/** `env`: more for the server (GUESTBAY_TEST_HOST_ROOT: the passthrough views read a fixture host). */
export async function openApp(prefix: string, viewport = { width: 1280, height: 800 }, env: NodeJS.ProcessEnv = {}): Promise<AppSession> {
  const t = await tempHome(prefix);
  const guest = await ensureTestGuest();
  const { server, url } = await buildAndServe({ ...t.env, ...env });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { t, guest, server, url, browser, page };
}

/** Ends what openApp started (whatever part of it did start): the named guests forced off first. */
export async function closeApp(s: Partial<AppSession> | undefined, guests: string[] = []): Promise<void> {
  for (const g of guests) if (s?.t) await guestbay(['stop', g, '--force'], s.t.env).catch(() => undefined);
  await s?.browser?.close();
  s?.server?.kill('SIGTERM');
  await s?.server?.catch(() => {});
  await s?.t?.cleanup();
}

/**
 * The page as it is, at 1280×800 and 1920×1080 in light and dark, as `docs/screens/<name>-<w>x<h>-<scheme>.png`
 * (back to 1280×800 light after). `settle` runs after each change of size (scroll what matters into view).
 */
export async function screenshots(page: Page, name: string, settle: () => Promise<void> = async () => {}): Promise<void> {
  for (const [width, height] of [[1280, 800], [1920, 1080]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await settle();
      await page.waitForTimeout(200); // layout and the theme settle; nothing is asserted on it
      await page.screenshot({ path: join(ROOT, 'docs', 'screens', `${name}-${width}x${height}-${scheme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}
