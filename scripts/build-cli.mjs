// Bundles the CLI (src/main/cli/process.ts, main.ts and what they import) into one CommonJS file,
// dist/cli.cjs, with esbuild: Node then starts it in a fraction of the ~0.8 s a transpiling
// loader took. One file, because Node can keep a CommonJS script's compiled code between runs
// and not an ES module's on Node 20 (bin/load-cli.mjs; Node 22.1+ caches either): with it, a
// command starts without compiling what it runs. Each command's module is still only *run* when
// the command is (commands/index.ts imports it lazily; esbuild wraps such modules in an
// initialiser), so `guestbay probe` initialises the probe's code, not the whole app's.
// Built into a temp file and renamed over the bundle, so concurrent runs never see half a build.
import { renameSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundle = join(root, 'dist', 'cli.cjs');
/** What earlier builds made (an ES module and its chunks): removed once a day old. */
const formerBundle = join(root, 'dist', 'cli.mjs');
const formerChunks = join(root, 'dist', 'cli');

// Every command in a source checkout starts with this walk (~340 files): plain string paths,
// as path.join's normalising doubled its cost.
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    const t = e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/**
 * zod, trimmed to what the CLI uses. It re-exports its ~60 message locales as `z.locales` and `z.core.locales`; a namespace import
 * keeps them all (368 KB of the CLI's 766 KB zod chunk, parsed by every command before it does
 * anything). Guestbay's messages are its own and zod's default is English, so the locales'
 * index resolves to English alone. (Node 20 has no compile cache: what is not bundled is not
 * parsed.)
 */
const zodTrimmed = {
  name: 'zod-trimmed',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents:
        args.path === 'zod-from-json-schema'
          ? "export function fromJSONSchema() { throw new Error('z.fromJSONSchema is left out of the CLI bundle (scripts/build-cli.mjs)'); }"
          : "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
      loader: 'js',
    }));
    // `z.fromJSONSchema` (turning a JSON Schema into a zod schema), which Guestbay never calls:
    // its module spreads three of zod's namespaces into one object as it loads (~2 ms of every
    // command). A stand-in says so if anything ever calls it.
    build.onResolve({ filter: /^\.\/from-json-schema\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]/.test(args.importer) ? { path: 'zod-from-json-schema', namespace: 'zod-locales' } : undefined,
    );
  },
};

/** True when a source checkout has changed since the bundle was built. */
export function bundleIsStale() {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return ['src/main', 'src/shared'].some((d) => newestSource(join(root, d)) > built);
}

/** `metafile`: also return esbuild's account of the build (which sources it holds), for tests. */
export async function buildCli({ metafile = false } = {}) {
  const { build } = await import('esbuild');
  const tmp = join(root, 'dist', `.cli-build-${process.pid}-${Date.now()}.cjs`);
  try {
    const result = await build({
      entryPoints: [join(root, 'src/main/cli/process.ts')],
      bundle: true,
      metafile,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Sources that find files beside themselves read import.meta.url: in CommonJS it is the
      // bundle's own file.
      define: { 'import.meta.url': '__gbBundleUrl' },
      // Self-contained (dependencies included), so the packaged app can run it with Electron's
      // own Node from outside the asar archive, with no node_modules to resolve.
      banner: { js: "const __gbBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
      outfile: tmp,
      // ASCII only (esbuild's default, pinned): bin/load-cli.mjs reads it as Latin-1, with no
      // UTF-8 decoding (only comments keep other characters, and they do not run).
      charset: 'ascii',
      logLevel: 'warning',
      plugins: [zodTrimmed],
    });
    renameSync(tmp, bundle);
    return result.metafile;
  } finally {
    rmSync(tmp, { force: true });
    removeFormerLayout();
  }
}

/** A `guestbay serve` started from an earlier build may still import its chunks: a day later they go. */
function removeFormerLayout() {
  const old = (p) => existsSync(p) && statSync(p).mtimeMs < Date.now() - 86_400_000;
  if (old(formerBundle)) rmSync(formerBundle, { force: true });
  if (existsSync(formerChunks)) {
    for (const f of readdirSync(formerChunks)) if (old(join(formerChunks, f))) rmSync(join(formerChunks, f), { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
