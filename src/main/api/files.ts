// Browsing the host's folders for pickers that have no native dialog (the headless mode).
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export async function listDir(dir: string) {
  const abs = resolve(dir);
  const entries = await readdir(abs, { withFileTypes: true });
  const out = [];
  for (const e of entries) {
    const path = join(abs, e.name);
    const s = await stat(path).catch(() => null); // follows links: a link to a folder is a folder
    if (!s) continue;
    out.push(s.isDirectory() ? { name: e.name, path, kind: 'dir' as const } : { name: e.name, path, kind: 'file' as const, size: s.size });
  }
  out.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  return { dir: abs, parent: abs === '/' ? null : dirname(abs), entries: out };
}
