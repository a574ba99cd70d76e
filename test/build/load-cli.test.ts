// bin/load-cli.mjs: on Node 20 (no compile cache of its own) the CLI's bundle runs with V8's
// code cache, one file per command, written after the command ran; a rebuilt bundle gets a new
// one and the old ones go. Node 22.1+ keeps compiled code itself: the bundle is simply required.
import { execa } from 'execa';
import module from 'node:module';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

// Node 22.1+ only (its types here are Node 20's).
const nodeCaches = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-load-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const bundle = () => join(dir, 'cli.cjs');
const caches = () => join(dir, 'cache');
// Enough code that V8 has something to cache; the command's answer proves the bundle ran.
const source = (answer: number) =>
  `${Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i} + ${answer}; }`).join('\n')}\nexports.runCliProcess = async (argv) => { let s = 0; for (let i = 0; i < 50; i++) s += eval('f' + i)(1); return argv[0] === 'probe' ? ${answer} : s; };\n`;

/** Runs `command` through the loader in a fresh Node; its exit code is the bundle's answer. */
async function run(command: string) {
  const driver = `import(${JSON.stringify(pathToFileURL(join(ROOT, 'bin/load-cli.mjs')).href)}).then(async ({ loadCli }) => { const c = loadCli(${JSON.stringify(bundle())}, ${JSON.stringify(caches())}, ${JSON.stringify(command)}); const code = await c.exports.runCliProcess([${JSON.stringify(command)}]); c.done(); console.log(JSON.stringify({ code, cache: c.cache })); });`;
  const r = await execa(process.execPath, ['-e', driver]);
  return JSON.parse(r.stdout) as { code: number; cache: string };
}

describe('the CLI loader', () => {
  it.runIf(!nodeCaches)('Node 20: no cache, then the cache written by the first run; a rebuilt bundle starts over and the old cache goes', async () => {
    await writeFile(bundle(), source(7));
    expect(await run('probe')).toEqual({ code: 7, cache: 'none' });
    expect(await run('probe')).toEqual({ code: 7, cache: 'used' });
    const files = await readdir(caches());
    expect(files).toHaveLength(1);
    expect((await stat(join(caches(), files[0]!))).mode & 0o777).toBe(0o600);
    // Another command has its own cache (it compiles other functions).
    expect((await run('list')).cache).toBe('none');
    expect(await readdir(caches())).toHaveLength(2);

    await new Promise((r) => setTimeout(r, 20)); // a new mtime
    await writeFile(bundle(), source(9));
    expect(await run('probe')).toEqual({ code: 9, cache: 'none' });
    expect(await run('probe')).toEqual({ code: 9, cache: 'used' });
    expect(await readdir(caches())).toHaveLength(1);
  });

  it.runIf(nodeCaches)('Node 22.1+: the bundle is required (Node keeps its compiled code)', async () => {
    await writeFile(bundle(), source(7));
    expect(await run('probe')).toEqual({ code: 7, cache: 'node' });
  });
});
