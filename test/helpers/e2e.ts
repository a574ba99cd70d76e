// What the browser tests share: the renderer built, `guestbay serve` started (its URL read from
// what it prints), and Debian's Chromium launched for Playwright.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './cli';

/** Builds the renderer and starts `guestbay serve ARGS…`; resolves once it prints its URL. */
export async function buildAndServe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ server: ResultPromise; url: string }> {
  // Vite through this Node (no npx): the QEMU 10 chroot has Node but not npm.
  await execa(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT });
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
