// Issue 18: the CLI starts like QEMU. The bundle (scripts/build-cli.mjs) is one CommonJS file
// whose command modules are imported when the command runs (commands/index.ts): esbuild wraps
// such a module in an initialiser, so what Node *runs* before a command is that command's code,
// not the whole app's. Checked on the real bundle: its module initialiser is made to record
// each module it initialises, and the bundle is then loaded and run in a child Node.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../helpers/cli';

let meta: { inputs: Record<string, unknown> };
let source: string;
let dir: string;
let home: Awaited<ReturnType<typeof tempHome>>;

const ESM_HELPER = 'var __esm = (fn, res, err) => function __init() {';

beforeAll(async () => {
  const cli = await import(pathToFileURL(join(ROOT, 'scripts/build-cli.mjs')).href);
  meta = await cli.buildCli({ metafile: true });
  dir = await mkdtemp(join(tmpdir(), 'gb-cli-lazy-'));
  home = await tempHome('gb-cli-lazy-home-');
  source = await readFile(join(ROOT, 'dist/cli.cjs'), 'utf8');
  expect(source, "esbuild's module initialiser (its text changed? update ESM_HELPER)").toContain(ESM_HELPER);
  // Each initialiser's object has one method named after the module's source path.
  const recording = `var __esm = (fn, res, err) => function __init() {\n  if (fn) globalThis.__gbInits.push(__getOwnPropNames(fn)[0]);`;
  await writeFile(join(dir, 'cli.cjs'), `globalThis.__gbInits = [];\n${source.replace(ESM_HELPER, recording)}`);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await home.cleanup();
});

/** The modules initialised by loading the bundle and, with `argv`, running that command. */
async function initialised(argv: string[] | null): Promise<string[]> {
  const run = argv ? `await m.runCliProcess(${JSON.stringify(argv)});` : '';
  const driver = `const m = require(${JSON.stringify(join(dir, 'cli.cjs'))}); (async () => { ${run} require('node:fs').writeFileSync(3, JSON.stringify(globalThis.__gbInits)); })();`;
  const r = await execa(process.execPath, ['-e', driver], { env: home.env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], reject: false, timeout: 60_000 });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(String(r.stdio[3]));
}

const HEAVY = ['src/main/vm/supervisor/index.ts', 'src/main/api/index.ts', 'src/main/qemu/plan/index.ts', 'src/shared/contract.ts', 'src/main/macos/prepare.ts'];

describe('the CLI bundle', () => {
  it('loading it runs no command and none of the app: the supervisor, API, launch plan, contract, macOS preparation, the probe', async () => {
    const inits = await initialised(null);
    for (const f of [...HEAVY, 'src/main/host/probe.ts', 'src/main/cli/commands/start.ts', 'src/main/cli/commands/probe.ts']) {
      // Wrapped in an initialiser (so imported lazily somewhere), and not run by loading.
      expect(source, f).toContain(`"${f}"() {`);
      expect(inits, f).not.toContain(f);
    }
  });

  it('`probe` runs the host probe and nothing of what starts guests; a probe answered from its caches never loads execa', async () => {
    await initialised(['probe']); // fills the caches, every emulator's at once
    const inits = await initialised(['probe']);
    expect(inits).toContain('src/main/host/probe.ts');
    for (const f of HEAVY) expect(inits, f).not.toContain(f);
    expect(inits.filter((f) => f.includes('node_modules/execa/'))).toEqual([]);
  }, 120_000);

  it('a one-shot command compiles no code at run time: zod parses without building parsers, even with schemas built as the bundle loads', async () => {
    await initialised(['probe']); // the caches, so the next probe parses them (zod object schemas)
    // Every `new Function` the bundle makes, counted (zod's compiled parsers are made so); the
    // probe must parse its caches for the count to mean anything, so their size is reported too.
    const driver = `let made = 0; const F = globalThis.Function; globalThis.Function = new Proxy(F, { construct(t, a) { made++; return Reflect.construct(t, a); }, apply(t, self, a) { made++; return Reflect.apply(t, self, a); } });
      process.argv[2] = 'probe';
      const m = require(${JSON.stringify(join(ROOT, 'dist/cli.cjs'))});
      (async () => { const code = await m.runCliProcess(['probe', '--json']); require('node:fs').writeFileSync(3, JSON.stringify({ code, made })); })();`;
    const r = await execa(process.execPath, ['-e', driver], { env: home.env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], reject: false, timeout: 60_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const { code, made } = JSON.parse(String(r.stdio[3]));
    expect(code).toBe(0);
    expect(JSON.parse(String(r.stdout)).qemu, 'the probe read its caches').toBeTruthy();
    expect(made).toBe(0);
  }, 120_000);

  it("zod comes without its ~60 message locales (English only: half of zod's bytes) and without fromJSONSchema", () => {
    const zodLocales = Object.keys(meta.inputs).filter((f) => /node_modules\/zod\/v4\/locales\//.test(f));
    expect(zodLocales.map((f) => f.replace(/.*\//, ''))).toEqual(['en.js']);
    // Nor z.fromJSONSchema, which Guestbay never calls and whose module costs every command ~2 ms as it loads.
    expect(Object.keys(meta.inputs).filter((f) => f.endsWith('zod/v4/classic/from-json-schema.js'))).toEqual([]);
  });
});
