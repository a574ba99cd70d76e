// Builds the renderer (vite) into dist/renderer for `guestbay serve` in a source checkout, when it
// is missing or older than its sources, so a fresh clone's `npx guestbay serve` serves the app
// instead of a page saying it is not built. Packages ship it built (they have no src/). Built into
// a temp folder and renamed into place, so a server never reads half a build.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = 0;
  for (const e of readdirSync(path)) n = Math.max(n, newest(join(path, e)));
  return n;
}

/** Why the renderer must be built first ('missing', 'older than its sources'), or null. */
export function rendererIsStale(dir = root) {
  const built = join(dir, 'dist', 'renderer', 'index.html');
  if (!existsSync(built)) return 'missing';
  const at = statSync(built).mtimeMs;
  return ['src/renderer', 'src/shared', 'vite.config.ts'].some((p) => newest(join(dir, p)) > at) ? 'older than its sources' : null;
}

export async function buildRenderer(dir = root) {
  const { build } = await import('vite');
  const out = join(dir, 'dist', 'renderer');
  const tmp = `${out}.${process.pid}.tmp`;
  await build({
    configFile: join(dir, 'vite.config.ts'),
    root: join(dir, 'src', 'renderer'),
    logLevel: 'warn',
    build: { outDir: tmp, emptyOutDir: true },
  });
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildRenderer();
