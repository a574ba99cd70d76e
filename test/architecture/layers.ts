// The layers of src/, and a checker over the import graph that enforces them (CI runs it as a
// unit test: layers.test.ts). Each layer imports only from the layers before it (or within
// itself); the renderer imports only shared; shared imports no Node module and touches no
// DOM global; only src/main/electron/ imports Electron. Imports are read with the TypeScript
// compiler's parser: static imports and re-exports (type-only ones included), `import type`,
// dynamic `import()`, `require()`, `import x = require()` and `import('…')` types. No file
// takes part in an import cycle, and only src/main/qemu/ sends QMP commands by name.
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export interface Layer {
  name: string;
  rank: number;
  dirs: string[];
}

/** In order: a layer may import the layers before it. Paths are relative to the repository root. */
export const LAYERS: Layer[] = [
  { name: 'shared', rank: 0, dirs: ['src/shared'] },
  // QEMU's words the host probe needs too (help listings, the QMP schema, the KVM check's
  // command line): pure, under qemu/ like all of QEMU's vocabulary, importable by host/.
  { name: 'qemu/probe', rank: 1, dirs: ['src/main/qemu/probe'] },
  // Host facts (probe) and pixel formats: plain Node, no guests.
  { name: 'media, host', rank: 2, dirs: ['src/main/media', 'src/main/host'] },
  // The one downloader (resumable, verified while streaming) and the pins of what it fetches.
  { name: 'download', rank: 2, dirs: ['src/main/download'] },
  // The app's long preparations as background jobs (check, run, follow, cancel): generic, no
  // guests; the macOS and Windows setups configure it.
  { name: 'jobs', rank: 2, dirs: ['src/main/jobs'] },
  // QEMU's syntax and protocol; reads host's capability types only (`import type`).
  { name: 'qemu', rank: 3, dirs: ['src/main/qemu'] },
  // The one module over qemu-img: images as files (create, read, check, resize, convert,
  // compact, snapshot, commit), no guests. Between qemu/ and vm/, which creates guests' disks.
  { name: 'images', rank: 3.5, dirs: ['src/main/images'] },
  // Passthrough: IOMMU groups and verdicts, the prerequisite checks a start runs, the privileged
  // helper's calls. Host facts only, no guests: before vm/, whose start asks it.
  { name: 'passthrough', rank: 3.7, dirs: ['src/main/passthrough'] },
  // Guests: store, create, sessions, supervisor.
  { name: 'vm', rank: 4, dirs: ['src/main/vm'] },
  // Domain services over guests: macOS setup; the desktop's pure models (tray, quit, autostart);
  // guests' screens (the display bridge, the last pictures kept).
  { name: 'macos, desktop, display', rank: 5, dirs: ['src/main/macos', 'src/main/desktop', 'src/main/display'] },
  // Windows setup: virtio-win, the answer file and disk, the ISO's edition, Microsoft's download.
  // It builds its answer disk with macOS's FAT tools (macos/disk/), a layer of the same rank.
  { name: 'windows', rank: 5, dirs: ['src/main/windows'] },
  // Guests' disks as the user sees them: in-use and base rules over images/, linked clones,
  // snapshots offline and live, a look inside, import from other managers and export.
  { name: 'disks', rank: 5, dirs: ['src/main/disks'] },
  // The guest tools disk (per-OS setup for a guest's shares, built with macOS's FAT tools, a
  // layer of the same rank) and whether a running guest has its shares mounted (its agent).
  { name: 'guest-tools', rank: 5, dirs: ['src/main/guest-tools'] },
  // The contract's handlers over every service.
  { name: 'api', rank: 6, dirs: ['src/main/api'] },
  // The shells: Electron, the headless server, the command line.
  { name: 'electron, server, cli', rank: 7, dirs: ['src/main/electron', 'src/main/server', 'src/main/cli'] },
];

export const RENDERER_DIR = 'src/renderer';

/** Packages src/shared may import: it runs in the renderer and in Node alike. */
export const SHARED_PACKAGES = ['zod'];
/** Packages that only run in Node (or only in Electron's main process): never in the renderer. */
export const NODE_ONLY_PACKAGES = ['electron', 'execa', 'ws', 'esbuild', '@xmldom/xmldom'];
/** Globals only a browser has; src/shared must not reach for them. */
export const DOM_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element', 'Node', 'customElements', 'requestAnimationFrame'];

export interface ImportRef {
  spec: string;
  /** Erased at compile time: `import type`, `export type`, an `import('…')` type. */
  typeOnly: boolean;
  /** `import('…')` at run time: loaded when called, not with the importing file. */
  dynamic?: boolean;
  line: number;
}

export interface Violation {
  file: string;
  line: number;
  message: string;
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** Every module specifier a file refers to, and whether the reference is erased at run time. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (lit: ts.Expression | undefined, typeOnly: boolean, node: ts.Node, dynamic = false) => {
    if (lit && ts.isStringLiteralLike(lit)) out.push({ spec: lit.text, typeOnly, line: lineOf(sf, node), ...(dynamic ? { dynamic } : {}) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // With verbatimModuleSyntax `import { type A } from 'x'` still loads 'x': only the
      // `import type` form is erased.
      add(node.moduleSpecifier, node.importClause?.isTypeOnly ?? false, node);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, node);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], false, node, true);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal as ts.Expression, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** QMP commands a file sends itself: `<anything>.execute('name', …)` with a literal name. */
export function qmpCommandsSent(fileName: string, text: string): { name: string; line: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { name: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'execute') {
      const first = node.arguments[0];
      if (first && ts.isStringLiteralLike(first)) found.push({ name: first.text, line: lineOf(sf, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** DOM globals a file uses as values or types (not as property names or its own declarations). */
export function domGlobalsUsed(fileName: string, text: string): { name: string; line: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const declared = new Set<string>();
  const found: { name: string; line: number }[] = [];
  const collect = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name && ts.isIdentifier(node.name)) {
      declared.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(sf);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && DOM_GLOBALS.includes(node.text) && !declared.has(node.text)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === node) ||
        (ts.isQualifiedName(p) && p.right === node) ||
        ts.isImportSpecifier(p) ||
        ts.isExportSpecifier(p) ||
        ts.isBindingElement(p);
      if (!isName) found.push({ name: node.text, line: lineOf(sf, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** The layer of the deepest folder in LAYERS that holds `path` (qemu/probe before qemu). */
export function layerOf(path: string): Layer | 'renderer' | null {
  if (within(path, RENDERER_DIR)) return 'renderer';
  let best: { layer: Layer; depth: number } | null = null;
  for (const layer of LAYERS) {
    for (const d of layer.dirs) if (within(path, d) && (!best || d.length > best.depth)) best = { layer, depth: d.length };
  }
  return best?.layer ?? null;
}

const describeLayer = (l: Layer | 'renderer' | null) => (l === null ? 'no layer' : l === 'renderer' ? 'renderer' : `layer "${l.name}"`);

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(packageName(spec));

/**
 * The layer rules broken by `files` (repository-relative path → source text). Only files under
 * src/ are judged; each import is judged by where its target lives.
 */
export function checkLayers(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, text] of files) {
    if (!within(file, 'src')) continue;
    const from = layerOf(file);
    const report = (line: number, message: string) => violations.push({ file, line, message });
    if (from === null) {
      report(1, `${posix.dirname(file)} is in no layer: add it to LAYERS in test/architecture/layers.ts (and docs/decisions.md, "Layers")`);
      continue;
    }
    for (const imp of importsOf(file, text)) {
      if (imp.spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file), imp.spec));
        const to = layerOf(target);
        const what = `imports ${imp.spec} (${describeLayer(to)})`;
        if (to === null) report(imp.line, `${what}: outside the layers of src/`);
        else if (from === 'renderer') {
          if (to !== 'renderer' && to.rank !== 0) report(imp.line, `${what}: the renderer imports only src/shared (and itself)`);
        } else if (to === 'renderer') report(imp.line, `${what}: only the renderer imports the renderer`);
        else if (to.rank > from.rank) report(imp.line, `${what}: ${describeLayer(from)} may import only the layers before it`);
        else if (from.name === 'qemu' && within(target, 'src/main/host') && !imp.typeOnly) {
          report(imp.line, `${what}: qemu/ may read host's capability types only (\`import type\`), not its code`);
        }
        continue;
      }
      const pkg = packageName(imp.spec);
      if (pkg === 'electron' && !within(file, 'src/main/electron')) report(imp.line, `imports electron: only src/main/electron/ may`);
      if (from === 'renderer') {
        if (isNodeBuiltin(imp.spec) || (NODE_ONLY_PACKAGES.includes(pkg) && !imp.typeOnly)) report(imp.line, `imports ${imp.spec}: the renderer runs in a browser, without Node`);
      } else if (from.rank === 0) {
        if (isNodeBuiltin(imp.spec)) report(imp.line, `imports ${imp.spec}: src/shared runs in the renderer too, without Node`);
        else if (!SHARED_PACKAGES.includes(pkg)) report(imp.line, `imports ${imp.spec}: src/shared may import only ${SHARED_PACKAGES.join(', ')}`);
      }
    }
    if (!within(file, 'src/main/qemu')) {
      for (const c of qmpCommandsSent(file, text)) {
        report(c.line, `sends the QMP command "${c.name}": QEMU's vocabulary stays in src/main/qemu/ (add a typed command to qemu/qmp/commands.ts)`);
      }
    }
    if (from !== 'renderer' && from.rank === 0) {
      for (const g of domGlobalsUsed(file, text)) report(g.line, `uses ${g.name}: src/shared runs in Node too, without a DOM`);
    }
  }
  return violations;
}

/** The file a relative specifier names, among `files` (TypeScript's resolution: .ts, .tsx, /index). */
export function resolveIn(files: ReadonlyMap<string, string>, from: string, spec: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((p) => files.has(p));
}

/**
 * Import cycles among `files`, each once as the list of its files. Type-only imports count: two
 * files that need each other, even one of them only for a type, are one concern split in two,
 * or a type that wants a home of its own (issue 15 found host/cache.ts and host/qemu-caps.ts so).
 */
export function importCycles(files: ReadonlyMap<string, string>): string[][] {
  const edges = new Map<string, string[]>();
  for (const [file, text] of files) {
    const to = importsOf(file, text)
      .filter((i) => i.spec.startsWith('.'))
      .map((i) => resolveIn(files, file, i.spec))
      .filter((p): p is string => p !== undefined);
    edges.set(file, [...new Set(to)]);
  }
  // Tarjan's strongly connected components: each component of more than one file is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) strong(v);
  return cycles;
}
