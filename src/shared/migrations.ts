// Reads any VmConfig document Guestbay ever wrote and brings it to the current version.
// Each step is a pure function from version N to N+1; a document from a newer Guestbay is
// refused rather than guessed at, so an older app never silently drops fields it doesn't know.
import { ConfigError, VM_CONFIG_VERSION, toFieldErrors, vmConfig, type VmConfig } from './vm-config';

type Doc = Record<string, unknown>;
export type Migration = (doc: Doc) => Doc;

/** `MIGRATIONS[n]` turns a version-n document into version n+1. */
export const MIGRATIONS: Record<number, Migration> = {
  // Version 0 was never released; the slot shows the shape of a step and is exercised by tests.
  0: (doc) => ({ ...doc, schemaVersion: 1 }),
  // 1 → 2: `display.backend` (gtk|sdl|spice|vnc|none) became `viewer` (in Guestbay or QEMU's
  // own window) + `window` (gtk|sdl|spice). Guestbay's own view is the new default; a guest
  // keeps its own window only where its config asked for something only a window gives:
  // SPICE, or OpenGL in a GTK/SDL window.
  1: (doc) => displayViewer(doc),
  // 2 → 3: media drives get ids, so a drive can be named (insert, eject, boot order) and keeps its
  // name when another is removed. The ids are the ones the launch plan gave them before
  // (`boot0` for boot loaders, `<role><n>` for the others, counted together), so QEMU's drive
  // names and a saved guest's command stay the same. (cpu.threads, autostart and bootOrder came
  // in with this version too; their absence means what it meant before: 1, off, the usual order.)
  // A version-2 file written while issue 14 was being built still has `display.backend`: it
  // gets the 1 → 2 display step here as well.
  2: (doc) => {
    const d = doc.display;
    const legacy = typeof d === 'object' && d !== null && !Array.isArray(d) && 'backend' in d && !('viewer' in d);
    return mediaIds(legacy ? displayViewer(doc) : doc);
  },
  // 3 → 4: guests have an architecture (x86_64, aarch64, riscv64). Every guest before was a PC.
  3: (doc) => ({ ...doc, arch: 'x86_64' }),
};

function displayViewer(doc: Doc): Doc {
  const d = doc.display;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return doc;
  const { backend, ...rest } = d as Record<string, unknown>;
  const win = backend === 'sdl' || backend === 'spice' ? backend : 'gtk';
  const ownWindow = backend === 'spice' || ((backend === 'gtk' || backend === 'sdl' || backend === undefined) && rest.gl === true);
  return { ...doc, display: { ...rest, viewer: ownWindow ? 'window' : 'guestbay', window: win } };
}

function mediaIds(doc: Doc): Doc {
  if (!Array.isArray(doc.media)) return doc;
  let boot = 0;
  let other = 0;
  const media = doc.media.map((m: unknown) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m) || 'id' in m) return m;
    const role = (m as { role?: unknown }).role;
    return { id: role === 'bootloader' ? `boot${boot++}` : `${typeof role === 'string' ? role : 'media'}${other++}`, ...m };
  });
  return { ...doc, media };
}

export function migrate(input: unknown, migrations: Record<number, Migration> = MIGRATIONS, target = VM_CONFIG_VERSION): Doc {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError([{ field: '', message: 'a guest configuration is a JSON object' }]);
  }
  let doc = input as Doc;
  let v = doc.schemaVersion;
  if (v === undefined) v = 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new ConfigError([{ field: 'schemaVersion', message: 'schemaVersion must be a whole number' }]);
  }
  if (v > target) {
    throw new ConfigError([
      { field: 'schemaVersion', message: `written by a newer Guestbay (version ${v}; this one reads up to ${target})` },
    ]);
  }
  while (v < target) {
    const step = migrations[v];
    if (!step) throw new ConfigError([{ field: 'schemaVersion', message: `no migration from version ${v}` }]);
    doc = step(doc);
    v += 1;
    doc = { ...doc, schemaVersion: v };
  }
  return doc;
}

/** Migrates, then validates: the one way a stored or received document becomes a VmConfig. */
export function parseVmConfig(input: unknown): VmConfig {
  const r = vmConfig.safeParse(migrate(input));
  if (!r.success) throw new ConfigError(toFieldErrors(r.error));
  return r.data;
}
