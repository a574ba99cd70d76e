// The layers of src/ (test/architecture/layers.ts), checked over the real tree, and the
// checker shown to catch each kind of violation on small in-memory files.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, importCycles, importsOf } from './layers';

const ROOT = join(__dirname, '../..');

function sources(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(e.name)) out.set(relative(ROOT, p), readFileSync(p, 'utf8'));
  }
  return out;
}

const check = (files: Record<string, string>) => checkLayers(new Map(Object.entries(files))).map((v) => `${v.file}:${v.line}: ${v.message}`);

// Each reads and parses every source file: ~4 s on a quiet machine, ~20 s when two cores run other tests.
describe('the layers of src/', { timeout: 60_000 }, () => {
  it('hold: every import goes to an earlier layer (or within its own)', () => {
    const files = sources(join(ROOT, 'src'));
    expect(files.size).toBeGreaterThan(100);
    expect(checkLayers(files).map((v) => `${v.file}:${v.line}: ${v.message}`)).toEqual([]);
  });

  it('have no import cycles, type-only imports included', () => {
    expect(importCycles(sources(join(ROOT, 'src')))).toEqual([]);
  });
});

describe('the layer checker', () => {
  it('reads static, type-only, re-exported, dynamic and required imports', () => {
    const refs = importsOf(
      'src/main/x.ts',
      [
        "import a from './a';",
        "import type { B } from './b';",
        "import { type C } from './c';",
        "export { d } from './d';",
        "export type { E } from './e';",
        "export * from './f';",
        "import './g';",
        "const h = await import('./h');",
        "const i = require('./i');",
        "type J = import('./j').J;",
        "import k = require('./k');",
      ].join('\n'),
    );
    expect(refs.map((r) => [r.spec, r.typeOnly])).toEqual([
      ['./a', false],
      ['./b', true],
      ['./c', false], // verbatimModuleSyntax keeps the module load
      ['./d', false],
      ['./e', true],
      ['./f', false],
      ['./g', false],
      ['./h', false],
      ['./i', false],
      ['./j', true],
      ['./k', false],
    ]);
  });

  it('reports an upward import, in every form', () => {
    expect(
      check({
        'src/main/host/probe.ts': "import { buildLaunchPlan } from '../qemu/plan';",
        'src/main/vm/store.ts': "export async function f() { return import('../api'); }",
        'src/main/macos/cli.ts': "import type { Io } from '../cli/output';",
        'src/main/qemu/x.ts': "export { json } from '../cli/output';",
        'src/shared/contract.ts': "import { probeHost } from '../main/host/probe';",
      }),
    ).toEqual([
      'src/main/host/probe.ts:1: imports ../qemu/plan (layer "qemu"): layer "media, host" may import only the layers before it',
      'src/main/vm/store.ts:1: imports ../api (layer "api"): layer "vm" may import only the layers before it',
      'src/main/macos/cli.ts:1: imports ../cli/output (layer "electron, server, cli"): layer "macos, desktop, display" may import only the layers before it',
      'src/main/qemu/x.ts:1: imports ../cli/output (layer "electron, server, cli"): layer "qemu" may import only the layers before it',
      'src/shared/contract.ts:1: imports ../main/host/probe (layer "media, host"): layer "shared" may import only the layers before it',
    ]);
  });

  it('allows downward imports and imports within a layer', () => {
    expect(
      check({
        'src/main/cli/commands/serve.ts': "import { serve } from '../../server/serve';\nimport { createApi } from '../../api';\nimport type { HostCaps } from '../../../shared/host-caps';",
        'src/main/vm/screenshot.ts': "import { encodePng } from '../media';\nimport { QmpClient } from '../qemu/qmp';",
        'src/main/macos/prepare.ts': "import { Store } from '../vm/store';\nimport { execa } from 'execa';",
        'src/main/host/qemu-caps.ts': "import { listingArgs } from '../qemu/probe/help';",
      }),
    ).toEqual([]);
  });

  it('lets qemu/ read host types, not host code; host/ may use qemu/probe alone', () => {
    expect(
      check({
        'src/main/qemu/plan/a.ts': "import type { ProbeContext } from '../../host/options';",
        'src/main/qemu/plan/b.ts': "import { pickFirmware } from '../../host/firmware';",
        'src/main/qemu/plan/c.ts': "import { type ProbeContext } from '../../host/options';",
        'src/main/qemu/probe/d.ts': "import type { Runner } from '../../host/run';",
        'src/main/host/e.ts': "import { QmpClient } from '../qemu/qmp';",
      }),
    ).toEqual([
      "src/main/qemu/plan/b.ts:1: imports ../../host/firmware (layer \"media, host\"): qemu/ may read host's capability types only (`import type`), not its code",
      "src/main/qemu/plan/c.ts:1: imports ../../host/options (layer \"media, host\"): qemu/ may read host's capability types only (`import type`), not its code",
      'src/main/qemu/probe/d.ts:1: imports ../../host/run (layer "media, host"): layer "qemu/probe" may import only the layers before it',
      'src/main/host/e.ts:1: imports ../qemu/qmp (layer "qemu"): layer "media, host" may import only the layers before it',
    ]);
  });

  it('keeps the renderer on shared, and the main process off the renderer', () => {
    expect(
      check({
        'src/renderer/pages/X.tsx': "import { Store } from '../../main/vm/store';\nimport { z } from '../../shared/contract';\nimport { readFile } from 'node:fs/promises';\nimport { useState } from 'react';",
        'src/main/api/x.ts': "import { App } from '../../renderer/App';",
      }),
    ).toEqual([
      'src/renderer/pages/X.tsx:1: imports ../../main/vm/store (layer "vm"): the renderer imports only src/shared (and itself)',
      'src/renderer/pages/X.tsx:3: imports node:fs/promises: the renderer runs in a browser, without Node',
      'src/main/api/x.ts:1: imports ../../renderer/App (renderer): only the renderer imports the renderer',
    ]);
  });

  it('keeps Node and the DOM out of src/shared', () => {
    expect(
      check({
        'src/shared/a.ts': "import { readFileSync } from 'node:fs';\nimport path from 'path';\nimport { useState } from 'react';\nimport { z } from 'zod';",
        'src/shared/b.ts': 'export const here = () => window.location.href;\nexport function el(e: HTMLElement) { return document.title + e.id; }',
        'src/shared/c.ts': "export const o = { window: 1, document: 2 };\nexport function f(navigator: string) { return o.window + navigator; }",
      }),
    ).toEqual([
      'src/shared/a.ts:1: imports node:fs: src/shared runs in the renderer too, without Node',
      'src/shared/a.ts:2: imports path: src/shared runs in the renderer too, without Node',
      'src/shared/a.ts:3: imports react: src/shared may import only zod',
      'src/shared/b.ts:1: uses window: src/shared runs in Node too, without a DOM',
      'src/shared/b.ts:2: uses HTMLElement: src/shared runs in Node too, without a DOM',
      'src/shared/b.ts:2: uses document: src/shared runs in Node too, without a DOM',
    ]);
  });

  it('keeps electron in src/main/electron, and every folder in a layer', () => {
    expect(
      check({
        'src/main/electron/tray.ts': "import { Tray } from 'electron';",
        'src/main/desktop/tray.ts': "import { Tray } from 'electron';",
        'src/main/unplaced/thing.ts': "export const x = 1;",
      }),
    ).toEqual([
      'src/main/desktop/tray.ts:1: imports electron: only src/main/electron/ may',
      'src/main/unplaced/thing.ts:1: src/main/unplaced is in no layer: add it to LAYERS in test/architecture/layers.ts (and docs/decisions.md, "Layers")',
    ]);
  });

  it('keeps QMP command names in src/main/qemu/', () => {
    expect(
      check({
        'src/main/qemu/qmp/commands.ts': "export const quit = (c: C) => c.execute('quit');",
        'src/main/vm/session.ts': "export async function f(c: C) { await c.execute('system_powerdown'); await c.client.execute('migrate', { uri: 'file:/x' }); }",
      }),
    ).toEqual([
      'src/main/vm/session.ts:1: sends the QMP command "system_powerdown": QEMU\'s vocabulary stays in src/main/qemu/ (add a typed command to qemu/qmp/commands.ts)',
      'src/main/vm/session.ts:1: sends the QMP command "migrate": QEMU\'s vocabulary stays in src/main/qemu/ (add a typed command to qemu/qmp/commands.ts)',
    ]);
  });

  it('finds an import cycle, even when one side imports only a type', () => {
    const files = new Map(
      Object.entries({
        'src/main/host/cache.ts': "import type { QemuCaps } from './qemu-caps';",
        'src/main/host/qemu-caps.ts': "import { readCache } from './cache';\nimport { run } from './run';",
        'src/main/host/run.ts': 'export const run = 1;',
        'src/main/vm/a.ts': "import { b } from './b';",
        'src/main/vm/b/index.ts': "import { c } from './c';",
        'src/main/vm/b/c.tsx': "import { a } from '../a';",
      }),
    );
    expect(importCycles(files)).toEqual([
      ['src/main/host/cache.ts', 'src/main/host/qemu-caps.ts'],
      ['src/main/vm/a.ts', 'src/main/vm/b/c.tsx', 'src/main/vm/b/index.ts'],
    ]);
  });
});
