// Bundles the CLI (src/main/cli/main.ts and what it imports) into dist/cli.mjs with esbuild:
// Node then starts it in ~0.3 s, where loading the TypeScript through a transpiling loader
// took ~0.8 s. Written to a temp name and renamed, so concurrent runs never see half a file.
import { renameSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundle = join(root, 'dist', 'cli.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when a source checkout has changed since the bundle was built. */
export function bundleIsStale() {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return ['src/main', 'src/shared'].some((d) => newestSource(join(root, d)) > built);
}

export async function buildCli() {
  const { build } = await import('esbuild');
  const tmp = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(root, 'src/main/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Self-contained (dependencies included), so the packaged app can run it with Electron's
    // own Node from outside the asar archive, with no node_modules to resolve.
    banner: { js: "import { createRequire as __gbCreateRequire } from 'node:module'; const require = __gbCreateRequire(import.meta.url);" },
    outfile: tmp,
    logLevel: 'warning',
  });
  renameSync(tmp, bundle);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
