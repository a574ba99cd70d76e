// Per-binary cache of QEMU's capabilities in $XDG_CACHE_HOME/guestbay/qemu-caps.json.
// Keyed by the binary's real path, size and mtime: an upgrade replaces the file, so it
// invalidates itself; CACHE_FORMAT invalidates it when our parsers change. The module folders'
// mtime is part of the key too: installing a display or GL module (a package of its own on
// Debian and Arch) changes what QEMU can do without touching the binary.
import { readBoundedText } from './bounded-read';
import { mkdir, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { hostCaps } from '../../shared/host-caps';

// 2: `chardevs` and `vdagentMigrates` were added (an older entry would read as "no qemu-vdagent").
// 3: `glDevices` and `sandboxOptions`, and entries keyed on the module folders too.
// 4: `shutdownTrace`.
// 5: `mappedRam`.
// 6: `maxCpu` (QEMU 7.2's riscv64 has no `max` CPU), and the other architectures' emulators.
// 7: `glVenus` (an older entry would read as "no Venus").
// 8: `ramFile` (memory-backend-file + x-ignore-shared).
// 9: `directIo` (the direct-io migration parameter).
export const CACHE_FORMAT = 9;

/** Where distributions keep QEMU's loadable modules (Debian, Arch, Fedora). */
export const QEMU_MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/qemu', '/usr/lib/qemu', '/usr/lib64/qemu'];

const qemuCapsSchema = hostCaps.shape.qemu.unwrap();
const cacheEntry = z.object({ size: z.number(), mtimeMs: z.number(), modulesMtimeMs: z.number(), caps: qemuCapsSchema });
const cacheFile = z.object({ format: z.literal(CACHE_FORMAT), binaries: z.record(z.string(), cacheEntry) });
type CacheFile = z.infer<typeof cacheFile>;
// Derived from the schema here rather than imported from qemu-caps.ts, which imports this file.
type QemuCaps = z.infer<typeof qemuCapsSchema>;

export interface BinaryKey {
  realpath: string;
  size: number;
  mtimeMs: number;
  /** The newest mtime of the module folders that exist (0 without any). */
  modulesMtimeMs: number;
}

export function qemuCapsCachePath(xdgCacheHome: string): string {
  return join(xdgCacheHome, 'guestbay', 'qemu-caps.json');
}

/** `fsPath` and `moduleDirs` are where they are on this machine (under the probe root). */
export async function binaryKey(fsPath: string, moduleDirs: readonly string[] = []): Promise<BinaryKey | null> {
  try {
    const real = await realpath(fsPath);
    const s = await stat(real);
    const mods = await Promise.all(moduleDirs.map((d) => stat(d).then((m) => m.mtimeMs, () => 0)));
    return { realpath: real, size: s.size, mtimeMs: s.mtimeMs, modulesMtimeMs: Math.max(0, ...mods) };
  } catch {
    return null;
  }
}

async function load(file: string): Promise<CacheFile> {
  try {
    const parsed = cacheFile.safeParse(JSON.parse(await readBoundedText(file, 8 * 2 ** 20)));
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or corrupt: start afresh; the cache only ever saves time.
  }
  return { format: CACHE_FORMAT, binaries: {} };
}

/**
 * The warm path of every command: only the entry asked for is validated (a probe reads one entry
 * per emulator, and validating the whole file each time tripled the schema work on a start).
 */
export async function readCachedQemuCaps(file: string, key: BinaryKey): Promise<QemuCaps | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readBoundedText(file, 8 * 2 ** 20));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== CACHE_FORMAT) return null;
  const binaries = (raw as { binaries?: unknown }).binaries;
  if (typeof binaries !== 'object' || binaries === null || !Object.hasOwn(binaries, key.realpath)) return null;
  const parsed = cacheEntry.safeParse((binaries as Record<string, unknown>)[key.realpath]);
  if (!parsed.success) return null;
  const entry = parsed.data;
  if (entry.size !== key.size || entry.mtimeMs !== key.mtimeMs || entry.modulesMtimeMs !== key.modulesMtimeMs) return null;
  return entry.caps;
}

/** Writes in flight per cache file, so each reads what the one before it wrote. */
const writes = new Map<string, Promise<void>>();

/**
 * Atomic (temp file + rename), so a crash or a second probe never leaves half a file. One probe
 * asks its emulators (x86_64, aarch64, riscv64) at once: their writes are queued, one after the
 * other, or each would add its entry to the file as it was before the others' (all but the last
 * lost, so every run asked again the emulators the last run had lost).
 */
export function writeCachedQemuCaps(file: string, key: BinaryKey, caps: QemuCaps): Promise<void> {
  const next = (writes.get(file) ?? Promise.resolve()).catch(() => undefined).then(() => writeEntry(file, key, caps));
  writes.set(file, next);
  void next.finally(() => writes.get(file) === next && writes.delete(file)).catch(() => undefined);
  return next;
}

async function writeEntry(file: string, key: BinaryKey, caps: QemuCaps): Promise<void> {
  const data = await load(file);
  data.binaries[key.realpath] = { size: key.size, mtimeMs: key.mtimeMs, modulesMtimeMs: key.modulesMtimeMs, caps };
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
