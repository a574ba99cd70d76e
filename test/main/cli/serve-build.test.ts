// Item 20 of issue 12: in a fresh checkout (no dist/renderer) `guestbay serve` used to serve a
// page saying the renderer is not built. It now builds it first, saying so; and again only when
// the renderer is older than its sources.
import { copyFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { rendererIsStale } from '../../../scripts/build-renderer.mjs';
import { guestbay, ROOT, tempHome } from '../../helpers/cli';

let checkout: string;
let t: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  t = await tempHome('gb-serve-build-');
  // A checkout without a built renderer: the sources and node_modules linked, the CLI bundle
  // copied (built by a first run of the real command).
  checkout = await mkdtemp(join(tmpdir(), 'gb-checkout-'));
  await guestbay(['help'], t.env);
  for (const p of ['src', 'scripts', 'node_modules', 'vite.config.ts', 'package.json', 'tsconfig.json']) await symlink(join(ROOT, p), join(checkout, p));
  await mkdir(join(checkout, 'bin'));
  await mkdir(join(checkout, 'dist'));
  for (const f of ['bin/guestbay.mjs', 'bin/load-cli.mjs', 'dist/cli.cjs']) await copyFile(join(ROOT, f), join(checkout, f));
});
afterAll(async () => {
  await rm(checkout, { recursive: true, force: true });
  await t.cleanup();
});

describe('guestbay serve in a checkout', () => {
  it('builds a missing renderer first, saying so, then serves the app', async () => {
    const server = execa('node', [join(checkout, 'bin/guestbay.mjs'), 'serve', '--port', '0'], { env: t.env, reject: false, all: true });
    let out = '';
    server.all!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 300_000, interval: 200 }).toMatch(/serving on (http\S+)|rror/);
    expect(out).toMatch(/building the renderer first \(dist\/renderer is missing\)/);
    const url = /serving on (http\S+)/.exec(out)![1]!;
    const page = await (await fetch(url)).text();
    expect(page).not.toMatch(/not built/);
    expect(page).toMatch(/<script type="module"[^>]* src="\.\/assets\/index-[^"]+\.js"/);
    server.kill('SIGINT');
    await server;
    expect(rendererIsStale(checkout)).toBeNull();
  }, 320_000);

  it('is stale when missing or older than any source, fresh otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-stale-'));
    await mkdir(join(dir, 'src/renderer/components'), { recursive: true });
    await mkdir(join(dir, 'src/shared'));
    await writeFile(join(dir, 'src/renderer/components/A.tsx'), 'a');
    await writeFile(join(dir, 'src/shared/b.ts'), 'b');
    expect(rendererIsStale(dir)).toBe('missing');
    await mkdir(join(dir, 'dist/renderer'), { recursive: true });
    await writeFile(join(dir, 'dist/renderer/index.html'), '<html>');
    const past = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'src/renderer/components/A.tsx'), past, past);
    await utimes(join(dir, 'src/shared/b.ts'), past, past);
    expect(rendererIsStale(dir)).toBeNull();
    await writeFile(join(dir, 'src/shared/b.ts'), 'changed');
    expect(rendererIsStale(dir)).toBe('older than its sources');
    await rm(dir, { recursive: true, force: true });
  });
});
