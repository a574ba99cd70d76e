// Issue 14, bench/library: the app opens on the library, so what its first paint waits for is
// what main.tsx loads before it — statically, without `import()`. The other pages are chunks of
// their own (React.lazy), and the contract's zod schemas, most of the bundle's weight, are not
// evaluated before the library is on screen (the client and the cards need none of them).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, resolveIn } from './layers';

const ROOT = join(__dirname, '../..');

function sources(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(e.name)) out.set(relative(ROOT, p), readFileSync(p, 'utf8'));
  }
  return out;
}

/** The files and packages main.tsx loads before anything runs: static, run-time imports only. */
function firstLoad(files: Map<string, string>, entry: string): { files: Set<string>; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const r of importsOf(f, files.get(f)!)) {
      if (r.typeOnly || r.dynamic) continue;
      if (!r.spec.startsWith('.')) packages.add(r.spec.split('/')[0]!.startsWith('@') ? r.spec.split('/').slice(0, 2).join('/') : r.spec.split('/')[0]!);
      else {
        const to = resolveIn(files, f, r.spec);
        if (to) todo.push(to);
      }
    }
  }
  return { files: seen, packages };
}

describe("the renderer's first load", { timeout: 60_000 }, () => {
  it('is the library alone: no other page, and no zod', () => {
    const files = sources(join(ROOT, 'src'));
    const first = firstLoad(files, 'src/renderer/main.tsx');
    expect(first.files.has('src/renderer/pages/Library.tsx')).toBe(true);
    const pages = [...first.files].filter((f) => f.startsWith('src/renderer/pages/') && f !== 'src/renderer/pages/Library.tsx');
    expect(pages).toEqual([]);
    expect([...first.files].filter((f) => /components\/disks\/ImportGuest|display\/DisplayView|SerialConsole/.test(f))).toEqual([]);
    expect(first.packages.has('zod')).toBe(false);
    expect(first.packages.has('react-dom')).toBe(true);
  });
});
