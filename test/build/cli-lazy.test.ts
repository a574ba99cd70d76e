// Issue 18: the CLI starts like QEMU. The bundle is split (scripts/build-cli.mjs) and each
// command's module imported when it runs (commands/index.ts), so what Node parses before a
// command runs is that command's code, not the whole app. Read from esbuild's own account of
// the build: which chunk statically imports which, and which sources each chunk holds.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

interface Meta {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}
let meta: Meta;
beforeAll(async () => {
  const cli = await import(pathToFileURL(join(ROOT, 'scripts/build-cli.mjs')).href);
  meta = (await cli.buildCli({ metafile: true })) as Meta;
}, 120_000);

/** The sources Node loads before anything else when it imports the output made from `source`. */
function loadedWith(source: string): Set<string> {
  const root = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === source);
  if (!root) throw new Error(`no chunk for ${source}`);
  const chunks = new Set<string>();
  const visit = (o: string) => {
    if (chunks.has(o)) return;
    chunks.add(o);
    for (const i of meta.outputs[o]!.imports) if (i.kind === 'import-statement' && meta.outputs[i.path]) visit(i.path);
  };
  visit(root);
  return new Set([...chunks].flatMap((c) => Object.keys(meta.outputs[c]!.inputs)));
}

const HEAVY = ['src/main/vm/supervisor/index.ts', 'src/main/api/index.ts', 'src/main/qemu/plan/index.ts', 'src/shared/contract.ts', 'src/main/macos/prepare.ts'];

describe('the CLI bundle', () => {
  it('its entry loads no command and none of the app: the supervisor, API, launch plan, contract, macOS preparation', () => {
    const entry = loadedWith('src/main/cli/main.ts');
    expect(entry).toContain('src/main/cli/commands/index.ts');
    for (const f of [...HEAVY, 'src/main/host/probe.ts', 'src/main/cli/commands/start.ts', 'src/main/cli/commands/probe.ts']) expect(entry, f).not.toContain(f);
  });

  it('`probe` loads the host probe and nothing of what starts guests', () => {
    const probe = loadedWith('src/main/cli/commands/probe.ts');
    expect(probe).toContain('src/main/host/probe.ts');
    for (const f of HEAVY) expect(probe, f).not.toContain(f);
  });

  it('zod comes without its ~60 message locales (English only: half of zod\'s bytes, parsed by every command)', () => {
    const zodLocales = [...loadedWith('src/main/cli/commands/start.ts')].filter((f) => /node_modules\/zod\/v4\/locales\//.test(f));
    expect(zodLocales.map((f) => f.replace(/.*\//, ''))).toEqual(['en.js']);
  });

  it('`start` loads the supervisor (imported when the command asks for it)', () => {
    // The supervisor is a dynamic import of common.ts: a chunk of its own, reachable from the build.
    expect(Object.values(meta.outputs).some((o) => o.entryPoint === 'src/main/vm/supervisor/index.ts')).toBe(true);
    expect(loadedWith('src/main/cli/commands/start.ts')).not.toContain('src/main/vm/supervisor/index.ts');
  });
});
