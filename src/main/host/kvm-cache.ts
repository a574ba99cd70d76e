// The KVM check's answer, kept until something it depends on changes. The check boots a test
// firmware: ~50 ms on a host where KVM works, but the full deadline (1.5 s) where KVM only
// emulates, and the probe runs before every start. What the answer depends on: this boot of
// the kernel (boot_id: a module reload or a reboot may change it), the device node (recreated
// when the module is reloaded: its inode and change time), the loaded kvm modules, and the QEMU
// binary that ran the check (path, size, mtime).
import { readBoundedText } from './bounded-read';
import { stat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { binaryKey } from './cache';
import { readText } from './files';
import type { KvmCheck } from './kvm-check';
import type { KvmHost } from './kvm-host';
import type { ProbeContext } from './options';

const entry = z.object({ key: z.string(), check: z.object({ ran: z.boolean(), reason: z.string(), ms: z.number() }) });

export function kvmCheckCachePath(xdgCacheHome: string): string {
  return join(xdgCacheHome, 'guestbay', 'kvm-check.json');
}

/** Everything the check's answer depends on, as one string; null when it cannot be known (no cache then). */
export async function kvmCheckKey(ctx: ProbeContext, host: KvmHost, qemuPath: string): Promise<string | null> {
  const [bootId, dev, qemu] = await Promise.all([
    readText(ctx.host('/proc/sys/kernel/random/boot_id')),
    stat(ctx.host('/dev/kvm')).catch(() => null),
    binaryKey(ctx.host(qemuPath)),
  ]);
  if (!bootId?.trim() || !dev || !qemu) return null;
  return JSON.stringify([bootId.trim(), dev.ino, dev.ctimeMs, host.loadedModules, qemu.realpath, qemu.size, qemu.mtimeMs]);
}

export async function readCachedKvmCheck(file: string, key: string): Promise<KvmCheck | null> {
  try {
    const parsed = entry.safeParse(JSON.parse(await readBoundedText(file, 2 ** 20)));
    return parsed.success && parsed.data.key === key ? parsed.data.check : null;
  } catch {
    return null; // missing or corrupt: check again
  }
}

/** Atomic (temp file + rename), like the QEMU capability cache. */
export async function writeCachedKvmCheck(file: string, key: string, check: KvmCheck): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify({ key, check })}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
