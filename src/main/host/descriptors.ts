// QEMU's interop descriptors (docs/interop/firmware.json, vhost-user.json) live in three
// directories: the distribution's, the administrator's and the user's. A file in a later
// directory replaces the one with the same name in an earlier one, an empty file hides it,
// and the survivors are ordered by file name, which is their priority ("50-…" before "60-…").
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeContext } from './options';

export interface DescriptorFile {
  /** Host path of the file (what the user would look at). */
  path: string;
  name: string;
  json: unknown;
}

/** `kind` is `firmware` or `vhost-user`. */
export function descriptorDirs(ctx: ProbeContext, kind: string): { hostDir: string; fsDir: string }[] {
  return [
    { hostDir: `/usr/share/qemu/${kind}`, fsDir: ctx.host(`/usr/share/qemu/${kind}`) },
    { hostDir: `/etc/qemu/${kind}`, fsDir: ctx.host(`/etc/qemu/${kind}`) },
    { hostDir: join(ctx.xdgConfigHome, 'qemu', kind), fsDir: join(ctx.xdgConfigHome, 'qemu', kind) },
  ];
}

async function jsonNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
}

/** The winning descriptors in priority order; unreadable or invalid JSON is skipped. */
export async function readDescriptors(ctx: ProbeContext, kind: string): Promise<DescriptorFile[]> {
  const winners = new Map<string, { hostDir: string; fsDir: string }>();
  for (const dir of descriptorDirs(ctx, kind)) {
    for (const name of await jsonNames(dir.fsDir)) winners.set(name, dir);
  }
  const names = [...winners.keys()].sort();
  const files = await Promise.all(
    names.map(async (name): Promise<DescriptorFile | null> => {
      const dir = winners.get(name);
      if (!dir) return null;
      let text: string;
      try {
        text = await readFile(join(dir.fsDir, name), 'utf8');
      } catch {
        return null;
      }
      if (text.trim() === '') return null; // an empty file masks this name
      try {
        return { path: join(dir.hostDir, name), name, json: JSON.parse(text) as unknown };
      } catch {
        return null;
      }
    }),
  );
  return files.filter((f): f is DescriptorFile => f !== null);
}
