// Answers of host programs that are worth keeping between probes (a tool's version, whether
// virtiofsd starts as this user), each in its own file under $XDG_CACHE_HOME/guestbay/answers/
// with the key it was found under: everything the answer depends on, as one string. A probe
// whose key differs asks again. Without a key (something it depends on cannot be read) nothing
// is read or kept. One file per answer, so the probe's parallel parts never write one file.
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { readBoundedText } from './bounded-read';
import { binaryKey } from './cache';
import { readText } from './files';
import type { ProbeContext } from './options';

export function answerCachePath(xdgCacheHome: string, name: string): string {
  return join(xdgCacheHome, 'guestbay', 'answers', `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

/** What a program's answers depend on: its real path, size and mtime (an upgrade replaces the file). */
export async function programKey(ctx: ProbeContext, path: string): Promise<string | null> {
  const k = await binaryKey(ctx.host(path));
  return k && JSON.stringify([path, k.realpath, k.size, k.mtimeMs]);
}

/**
 * What a start as this user depends on beyond the program: this boot of the kernel, who we are,
 * and the switches that allow or forbid user namespaces (a sandbox needs them).
 */
export async function userStartKey(ctx: ProbeContext): Promise<string | null> {
  const files = [
    '/proc/sys/kernel/random/boot_id',
    '/proc/sys/kernel/unprivileged_userns_clone',
    '/proc/sys/user/max_user_namespaces',
    '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
  ];
  const [bootId, ...switches] = await Promise.all(files.map((f) => readText(ctx.host(f))));
  if (!bootId?.trim()) return null;
  const self = await stat('/proc/self').catch(() => null);
  return JSON.stringify([bootId.trim(), process.getuid?.() ?? null, self?.uid ?? null, ...switches.map((s) => s?.trim() ?? null)]);
}

/**
 * The answer kept under `key`, or `compute`'s, kept when `keep` says it may be (a failure is
 * asked again each time: the user may be fixing it in ways no key sees).
 */
export async function cachedAnswer<T>(
  ctx: ProbeContext,
  name: string,
  key: string | null,
  schema: z.ZodType<T>,
  compute: () => Promise<T>,
  keep: (value: T) => boolean = () => true,
): Promise<T> {
  const file = answerCachePath(ctx.xdgCacheHome, name);
  if (ctx.useCache && key) {
    try {
      const saved = JSON.parse(await readBoundedText(file, 2 ** 20)) as { key?: unknown; value?: unknown };
      if (saved.key === key) {
        const parsed = schema.safeParse(saved.value);
        if (parsed.success) return parsed.data;
      }
    } catch {
      // Missing or corrupt: ask again.
    }
  }
  const value = await compute();
  if (key && keep(value)) await writeAtomic(file, `${JSON.stringify({ key, value })}\n`).catch(() => undefined);
  return value;
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
