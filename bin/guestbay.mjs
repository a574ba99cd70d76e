#!/usr/bin/env node
// The `guestbay` command. In a source checkout the CLI is bundled on first use and whenever a
// source file is newer than the bundle (scripts/build-cli.mjs), so there is no build step to
// forget; a packaged build ships dist/cli.cjs alone.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 22.1+ keeps the bundle's compiled code between runs (a faster start); on Node 20
// load-cli.mjs keeps V8's code cache itself.
const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'guestbay');
module.enableCompileCache?.(join(cache, 'node-compile-cache'));

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(join(root, 'src', 'main', 'cli', 'main.ts'))) {
  const { bundleIsStale, buildCli } = await import(pathToFileURL(join(root, 'scripts', 'build-cli.mjs')).href);
  if (bundleIsStale()) await buildCli();
  // `serve` serves the built renderer: built here when it is missing or older than its sources.
  const args = process.argv.slice(2);
  if (args[0] === 'serve' && !args.includes('--help') && !args.includes('-h')) {
    const { rendererIsStale, buildRenderer } = await import(pathToFileURL(join(root, 'scripts', 'build-renderer.mjs')).href);
    const why = rendererIsStale(root);
    if (why) {
      process.stderr.write(`guestbay: building the renderer first (dist/renderer is ${why}); this takes a minute…\n`);
      await buildRenderer(root);
    }
  }
}
const { loadCli } = await import(pathToFileURL(join(root, 'bin', 'load-cli.mjs')).href);
const cli = loadCli(join(root, 'dist', 'cli.cjs'), join(cache, 'v8-code-cache'), process.argv[2]);
process.exitCode = await cli.exports.runCliProcess(process.argv.slice(2));
cli.done();
