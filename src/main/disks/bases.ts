// Install once, reuse: an installed guest becomes a read-only base, and new guests are linked
// clones of it (qcow2 overlays whose backing file is the base's disk) or full copies. A clone's
// changes can be committed down into its base, or the clone flattened into a standalone disk.
// The base never changes while clones depend on it (guard.ts), and never starts.
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, cp, readdir, rename, rm, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { parseVmConfig } from '../../shared/migrations';
import { ConfigError, vmName, type VmConfig } from '../../shared/vm-config';
import { commitImage, convertImage, createImage, imageChain, imageInfo, partialPath } from '../images';
import { GuestExistsError } from '../vm/store';
import { type DiskContext, DiskRuleError } from './context';
import { guestDisks, guestVars, pickDisk, type GuestImage } from './guest-files';
import { assertAtRest, assertNoOverlays, assertNotInUse, describeOverlays, overlaysOf } from './guard';

async function setWritable(files: string[], writable: boolean): Promise<void> {
  for (const f of files) {
    const mode = (await stat(f)).mode & 0o777;
    await chmod(f, writable ? mode | 0o200 : mode & ~0o222);
  }
}

/** Makes a stopped guest a read-only base: its disks lose their write permission. */
export async function makeBase(ctx: DiskContext, name: string): Promise<VmConfig> {
  const config = await ctx.store.get(name);
  if (config.base) return config;
  await assertAtRest(ctx, name, 'making it a base');
  const disks = guestDisks(ctx.store, config);
  if (!disks.length) throw new DiskRuleError(`"${name}" has no disks to make a base of`);
  for (const d of disks) await assertNotInUse(ctx, d.path, `making "${name}" a base`);
  const next = parseVmConfig({ ...config, base: { since: new Date().toISOString() } });
  // Config first: if the permissions fail, the guest is still refused a start, which is safe.
  await ctx.store.update(next);
  await setWritable(disks.map((d) => d.path), false);
  return next;
}

/** An ordinary guest again: only when no linked clone depends on it. */
export async function unmakeBase(ctx: DiskContext, name: string): Promise<VmConfig> {
  const config = await ctx.store.get(name);
  if (!config.base) return config;
  const disks = guestDisks(ctx.store, config);
  await assertNoOverlays(ctx, name, disks.map((d) => d.path), 'making it writable again');
  await setWritable(disks.map((d) => d.path), true);
  const { base: _dropped, ...rest } = config;
  const next = parseVmConfig(rest);
  await ctx.store.update(next);
  return next;
}

/**
 * How an overlay names its base: relative to the overlay's folder when the base lies under
 * Guestbay's guests folder (`../base/disk.qcow2`: the chain survives moving or restoring the
 * whole folder, to another disk or another machine), absolute otherwise (a base the user keeps
 * elsewhere stays where it is whatever moves).
 */
export function backingReference(overlayDir: string, baseFile: string, vmsRoot: string): string {
  const inside = !relative(vmsRoot, baseFile).startsWith('..');
  return inside ? relative(overlayDir, baseFile) : baseFile;
}

function randomMac(): string {
  const b = randomBytes(3);
  return `52:54:00:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

export interface CloneResult {
  config: VmConfig;
  linked: boolean;
  /** The source was made a base for this clone. */
  madeBase: boolean;
  notes: string[];
}

/** A new guest from `source`: linked (overlays over its disks, which become a base) or a full copy. */
export async function cloneGuest(ctx: DiskContext, source: string, name: string, o: { linked: boolean; title?: string }): Promise<CloneResult> {
  const n = vmName.safeParse(name);
  if (!n.success) throw new ConfigError([{ field: 'name', message: n.error.issues[0]!.message }]);
  const src = await ctx.store.get(source);
  if (await ctx.store.exists(name)) throw new GuestExistsError(name);
  // A copy of a running guest's disks would be torn; a saved one's would miss its memory.
  await assertAtRest(ctx, source, `cloning it`);
  const notes: string[] = [];
  let madeBase = false;
  let base = src;
  if (o.linked && !src.base) {
    base = await makeBase(ctx, source);
    madeBase = true;
    notes.push(`"${source}" is now a read-only base: it does not start while clones depend on it.`);
  }
  const srcDir = ctx.store.dirs(source).dir;
  const disks = guestDisks(ctx.store, base);
  const { base: _b, ...rest } = base;
  const config = parseVmConfig({
    ...rest,
    name,
    title: o.title ?? `${src.title ?? source} (${o.linked ? 'linked clone' : 'copy'})`,
    network: { ...src.network, mac: src.network.mac ? randomMac() : undefined },
    // An overlay is qcow2 whatever its base is: a raw base's clone gets a .qcow2 name.
    disks: base.disks.map((d) => ({ ...d, path: o.linked ? `${basename(d.path).replace(/\.(img|raw|qcow2)$/i, '')}.qcow2` : basename(d.path), format: o.linked ? 'qcow2' : d.format, size: undefined })),
  });
  if (src.macos) notes.push('The clone has the same Mac identity (serial, board serial) as its source: signing in to iCloud on both at once may fail.');
  const names = new Set<string>();
  for (const d of config.disks) {
    if (names.has(d.path)) throw new DiskRuleError(`two disks of "${source}" have the file name ${d.path}: clone them by hand`);
    names.add(d.path);
  }
  const op = o.linked ? 'clone' : 'copy';
  await ctx.store.create(config, async (dir) => {
    for (const [i, d] of disks.entries()) {
      const to = join(dir, config.disks[i]!.path);
      if (o.linked) {
        ctx.progress?.(name, op, `creating an overlay of ${basename(d.path)}`);
        await createImage(to, { format: 'qcow2', backing: { file: backingReference(dir, d.path, ctx.store.paths.vms), format: d.format }, qemuImg: ctx.qemuImg });
      } else {
        ctx.progress?.(name, op, `copying ${basename(d.path)}`, 0);
        await convertImage(d.path, to, {
          fromFormat: d.format,
          toFormat: d.format,
          // A copy of a linked clone is standalone: it reads through the chain.
          allowBacking: true,
          onProgress: (f) => ctx.progress?.(name, op, `copying ${basename(d.path)}`, (i + f) / disks.length),
          signal: ctx.signal,
          qemuImg: ctx.qemuImg,
        });
      }
    }
    // The UEFI variables (boot entries), the TPM's state (BitLocker keys) and media kept in the
    // guest's folder (a macOS boot loader) come along as copies; reflinked where the filesystem can.
    for (const v of await guestVars(ctx.store, source)) await copyFile(v.path, join(dir, v.id), fsConstants.COPYFILE_FICLONE);
    const entries = await readdir(srcDir);
    if (entries.includes('tpm')) await cp(join(srcDir, 'tpm'), join(dir, 'tpm'), { recursive: true });
    for (const m of src.media) {
      if (isAbsolute(m.path) || m.role === 'install' || m.role === 'drivers') continue;
      await copyFile(join(srcDir, m.path), join(dir, m.path), fsConstants.COPYFILE_FICLONE);
    }
  });
  return { config, linked: o.linked, madeBase, notes };
}

/** The overlay disks of a guest (those with a backing file), with the guest each base belongs to. */
export async function overlayDisks(ctx: DiskContext, config: VmConfig, diskId?: string): Promise<{ disk: GuestImage; backing: string }[]> {
  const list = diskId ? [pickDisk(ctx.store, config, diskId)] : guestDisks(ctx.store, config);
  const out = [];
  for (const d of list) {
    if (d.format !== 'qcow2') continue;
    const chain = await imageChain(d.path, { format: 'qcow2', qemuImg: ctx.qemuImg });
    if (chain.length > 1) out.push({ disk: d, backing: chain[1]!.filename });
  }
  if (diskId && !out.length) throw new DiskRuleError(`disk "${diskId}" of "${config.name}" is standalone: it has no base to commit into or flatten from`);
  return out;
}

/** The guest whose folder holds `file`, if any. */
async function ownerOf(ctx: DiskContext, file: string): Promise<string | null> {
  const rel = relative(ctx.store.paths.vms, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  const name = rel.split('/')[0]!;
  return (await ctx.store.exists(name)) ? name : null;
}

/**
 * Writes a linked clone's changes into its base (qemu-img commit): the base then holds them and
 * the clone's overlay is empty again. Only when no other clone sits on that base.
 */
export async function commitIntoBase(ctx: DiskContext, name: string, diskId?: string): Promise<{ committed: string[] }> {
  const config = await ctx.store.get(name);
  await assertAtRest(ctx, name, 'committing its disk');
  const overlays = await overlayDisks(ctx, config, diskId);
  if (!overlays.length) throw new DiskRuleError(`"${name}" has no linked disks: nothing to commit`);
  const committed: string[] = [];
  for (const { disk, backing } of overlays) {
    const owner = await ownerOf(ctx, backing);
    if (owner) await assertAtRest(ctx, owner, `committing into it`);
    await assertNotInUse(ctx, backing, `committing "${name}" into it`);
    const others = (await overlaysOf(ctx, [backing])).filter((x) => !(x.guest === name && x.disk === disk.id));
    if (others.length) {
      throw new DiskRuleError(`the base of disk "${disk.id}" (${backing}) also carries the linked clones ${describeOverlays(others)}: committing "${name}" into it would change their disks too. Flatten "${name}" instead, or delete the other clones first.`);
    }
    if ((await imageInfo(disk.path, { format: 'qcow2', qemuImg: ctx.qemuImg })).snapshots.length) {
      throw new DiskRuleError(`disk "${disk.id}" of "${name}" has snapshots, which refer to data a commit moves: delete them first`);
    }
    // The base is read-only on disk (a base's files lose their write permission): for the
    // length of the commit only.
    const mode = (await stat(backing)).mode & 0o777;
    await chmod(backing, mode | 0o200);
    try {
      await commitImage(disk.path, { onProgress: (f) => ctx.progress?.(name, 'commit', `committing disk "${disk.id}" into ${basename(backing)}`, f), signal: ctx.signal, qemuImg: ctx.qemuImg });
    } finally {
      await chmod(backing, mode);
    }
    committed.push(disk.id);
  }
  return { committed };
}

/** Makes a linked clone's disks standalone: the base's data copied in, the link gone. */
export async function flattenDisks(ctx: DiskContext, name: string, diskId?: string): Promise<{ flattened: string[] }> {
  const config = await ctx.store.get(name);
  await assertAtRest(ctx, name, 'flattening its disk');
  const overlays = await overlayDisks(ctx, config, diskId);
  if (!overlays.length) throw new DiskRuleError(`"${name}" has no linked disks: it is standalone already`);
  const flattened: string[] = [];
  for (const { disk } of overlays) {
    await assertNotInUse(ctx, disk.path, `flattening it`);
    if ((await imageInfo(disk.path, { format: 'qcow2', qemuImg: ctx.qemuImg })).snapshots.length) {
      throw new DiskRuleError(`disk "${disk.id}" of "${name}" has snapshots, which cannot come along into a standalone disk: delete them first`);
    }
    // Written beside it and renamed over it: until the rename the clone is as it was.
    const tmp = partialPath(disk.path);
    try {
      await convertImage(disk.path, tmp, {
        fromFormat: 'qcow2',
        toFormat: 'qcow2',
        allowBacking: true,
        onProgress: (f) => ctx.progress?.(name, 'flatten', `copying the base's data into disk "${disk.id}"`, f),
        signal: ctx.signal,
        qemuImg: ctx.qemuImg,
      });
      await chmod(tmp, 0o600);
      await rename(tmp, disk.path);
    } finally {
      await rm(tmp, { force: true });
    }
    flattened.push(disk.id);
  }
  return { flattened };
}

/**
 * Deleting a running guest (its disks in use), or one whose disks carry linked clones, is
 * refused, naming them (virt-manager #811: users lost parents deleting a snapshot's base). A
 * saved guest may go: its saved state goes with it.
 */
/**
 * A base whose disks carry linked clones is never deleted (they would lose their data). Whether
 * the guest itself runs is the supervisor's to refuse (`Supervisor.delete`), which runs next.
 */
export async function assertNoClones(ctx: DiskContext, name: string): Promise<void> {
  const config = await ctx.store.get(name);
  await assertNoOverlays(ctx, name, guestDisks(ctx.store, config).map((d) => d.path), 'deleting it');
}
