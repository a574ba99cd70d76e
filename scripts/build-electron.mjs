// Bundles the desktop app's main process and its preload with esbuild into dist/electron/.
// CommonJS because a sandboxed preload can only be a classic script, and main follows suit so
// both load the same way; `electron` stays external (it is provided by the runtime).
import { renameSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'dist', 'electron');

export const entries = {
  main: join(root, 'src/main/electron/main.ts'),
  preload: join(root, 'src/main/electron/preload.ts'),
};

/** esbuild options for one entry; the preload test bundles with these too. */
export function options(entry) {
  return {
    entryPoints: [entries[entry]],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
  };
}

export async function buildElectron() {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  for (const entry of Object.keys(entries)) {
    const out = join(outDir, `${entry}.cjs`);
    // Written to a temp name and renamed, so a running `electron .` never loads half a file.
    const tmp = `${out}.${process.pid}.tmp`;
    await build({ ...options(entry), outfile: tmp });
    renameSync(tmp, out);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildElectron();
