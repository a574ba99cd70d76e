// Bundles the CLI (src/main/cli/main.ts and what it imports) into dist/cli.mjs with esbuild:
// Node then starts it in ~0.3 s, where loading the TypeScript through a transpiling loader
// took ~0.8 s. Split into chunks (dist/cli/): each command's module is imported when it runs
// (commands/index.ts), so `guestbay probe` parses the probe's code, not the whole app's.
// Built into a temp folder; the chunks (named by their content's hash) are moved in first and
// the entry last, so concurrent runs never see half a build.
import { renameSync, readdirSync, statSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundle = join(root, 'dist', 'cli.mjs');
/** The chunks dist/cli.mjs imports, by relative path. */
export const chunks = join(root, 'dist', 'cli');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * zod re-exports its ~60 message locales as `z.locales` and `z.core.locales`; a namespace import
 * keeps them all (368 KB of the CLI's 766 KB zod chunk, parsed by every command before it does
 * anything). Guestbay's messages are its own and zod's default is English, so the locales'
 * index resolves to English alone. (Node 20 has no compile cache: what is not bundled is not
 * parsed.)
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** True when a source checkout has changed since the bundle was built. */
export function bundleIsStale() {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return ['src/main', 'src/shared'].some((d) => newestSource(join(root, d)) > built);
}

/** `metafile`: also return esbuild's account of the build (which chunk imports which), for tests. */
export async function buildCli({ metafile = false } = {}) {
  const { build } = await import('esbuild');
  const tmp = join(root, 'dist', `.cli-build-${process.pid}-${Date.now()}`);
  const result = await build({
    entryPoints: { cli: join(root, 'src/main/cli/main.ts') },
    bundle: true,
    splitting: true,
    chunkNames: 'cli/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    metafile,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Self-contained (dependencies included), so the packaged app can run it with Electron's
    // own Node from outside the asar archive, with no node_modules to resolve.
    banner: { js: "import { createRequire as __gbCreateRequire } from 'node:module'; const require = __gbCreateRequire(import.meta.url);" },
    outdir: tmp,
    logLevel: 'warning',
    plugins: [zodEnglishOnly],
  });
  const built = new Set(readdirSync(join(tmp, 'cli')));
  try {
    mkdirSync(chunks, { recursive: true });
    for (const f of built) renameSync(join(tmp, 'cli', f), join(chunks, f));
    renameSync(join(tmp, 'cli.mjs'), bundle);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Chunks of older builds are left for a CLI still running from one (a long `guestbay
  // serve` imports commands' chunks when they run); a day later they go.
  for (const f of readdirSync(chunks)) {
    if (!built.has(f) && statSync(join(chunks, f)).mtimeMs < Date.now() - 86_400_000) rmSync(join(chunks, f), { force: true });
  }
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
