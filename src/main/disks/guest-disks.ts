// A guest's disks as its page and `guestbay disk` show and change them: facts with the backing
// chain, snapshots and clones; check and repair; resize; convert; compact; a disk imported
// from another format. Every change needs the guest at rest and no clone built on the disk.
import { access, chmod } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { parseVmConfig } from '../../shared/migrations';
import { formatSize } from '../../shared/size';
import type { VmConfig } from '../../shared/vm-config';
import { checkImage, compactImage, convertImage, imageChain, resizeImage, ShrinkNotConfirmedError, type CheckResult, type SnapshotInfo } from '../images';
import { ConfirmationNeededError, type DiskContext, DiskRuleError } from './context';
import { guestImages, pickDisk, type GuestImage } from './guest-files';
import { assertAtRest, assertNoOverlays, assertNotInUse, overlaysOf } from './guard';

export interface ChainLink {
  file: string;
  format: string;
  virtualSize: number;
  actualSize: number;
  /** The guest whose folder holds it (a base), if any. */
  guest?: string;
}

export interface DiskReport {
  kind: 'disk' | 'vars';
  id: string;
  path: string;
  format: string;
  readOnly: boolean;
  virtualSize: number;
  actualSize: number;
  /** Backing files under this disk, nearest first (empty: standalone). */
  chain: ChainLink[];
  snapshots: SnapshotInfo[];
  /** Linked clones built on this disk. */
  clones: { guest: string; disk: string }[];
  dirty: boolean;
  corrupt: boolean;
  /** Present when the file is missing or unreadable. */
  error?: string;
}

export interface GuestDisksReport {
  name: string;
  base?: { since: string };
  disks: DiskReport[];
}

function guestOf(ctx: DiskContext, file: string): string | undefined {
  const rel = relative(ctx.store.paths.vms, file);
  return rel.startsWith('..') ? undefined : rel.split('/')[0];
}

export async function diskReport(ctx: DiskContext, img: GuestImage): Promise<DiskReport> {
  const base = { kind: img.kind, id: img.id, path: img.path, format: img.format, readOnly: img.readOnly };
  try {
    const chain = await imageChain(img.path, { format: img.format, qemuImg: ctx.qemuImg });
    const top = chain[0]!;
    const clones = img.kind === 'disk' ? (await overlaysOf(ctx, [img.path])).map((o) => ({ guest: o.guest, disk: o.disk })) : [];
    return {
      ...base,
      virtualSize: top.virtualSize,
      actualSize: top.actualSize,
      chain: chain.slice(1).map((c) => ({ file: c.filename, format: c.format, virtualSize: c.virtualSize, actualSize: c.actualSize, guest: guestOf(ctx, c.filename) })),
      snapshots: top.snapshots,
      clones,
      dirty: top.dirty,
      corrupt: top.corrupt,
    };
  } catch (e) {
    return { ...base, virtualSize: 0, actualSize: 0, chain: [], snapshots: [], clones: [], dirty: false, corrupt: false, error: (e as Error).message };
  }
}

export async function guestDisksReport(ctx: DiskContext, name: string): Promise<GuestDisksReport> {
  const config = await ctx.store.get(name);
  const disks = [];
  for (const img of await guestImages(ctx.store, config)) disks.push(await diskReport(ctx, img));
  return { name, base: config.base, disks };
}

/** The rules before any change to a guest's disk: at rest, not in use, not a base. */
async function assertChangeable(ctx: DiskContext, config: VmConfig, disk: GuestImage, doing: string): Promise<void> {
  await assertAtRest(ctx, config.name, doing);
  await assertNotInUse(ctx, disk.path, doing);
  await assertNoOverlays(ctx, config.name, [disk.path], doing);
  if (config.base) throw new DiskRuleError(`"${config.name}" is a read-only base: make it an ordinary guest again (guestbay base ${config.name} --undo) before ${doing}`);
}

export async function checkGuestDisk(ctx: DiskContext, name: string, o: { disk?: string; repair?: 'leaks' | 'all' } = {}): Promise<CheckResult & { disk: string }> {
  const config = await ctx.store.get(name);
  const disk = pickDisk(ctx.store, config, o.disk);
  // A check reads metadata QEMU rewrites as it runs: only at rest, and a repair writes.
  if (o.repair) await assertChangeable(ctx, config, disk, 'repairing its disk');
  else await assertAtRest(ctx, name, 'checking its disk');
  return { ...(await checkImage(disk.path, disk.format, { repair: o.repair, qemuImg: ctx.qemuImg })), disk: disk.id };
}

export async function resizeGuestDisk(ctx: DiskContext, name: string, size: number, o: { disk?: string; confirmShrink?: boolean } = {}): Promise<{ disk: string; from: number; to: number }> {
  const config = await ctx.store.get(name);
  const disk = pickDisk(ctx.store, config, o.disk);
  await assertChangeable(ctx, config, disk, 'resizing its disk');
  let r;
  try {
    r = await resizeImage(disk.path, disk.format, size, { confirmShrink: o.confirmShrink, qemuImg: ctx.qemuImg });
  } catch (e) {
    if (e instanceof ShrinkNotConfirmedError) throw new ConfirmationNeededError(e.message);
    throw e;
  }
  const d = config.disks[disk.index!]!;
  if (d.size !== undefined && d.size !== size) await ctx.store.update(parseVmConfig({ ...config, disks: config.disks.map((x, i) => (i === disk.index ? { ...x, size } : x)) }));
  return { disk: disk.id, ...r };
}

export async function compactGuestDisk(ctx: DiskContext, name: string, o: { disk?: string } = {}): Promise<{ disk: string; before: number; after: number }> {
  const config = await ctx.store.get(name);
  const disk = pickDisk(ctx.store, config, o.disk);
  await assertChangeable(ctx, config, disk, 'compacting its disk');
  const r = await compactImage(disk.path, disk.format, { onProgress: (f) => ctx.progress?.(name, 'compact', `compacting disk "${disk.id}"`, f), signal: ctx.signal, qemuImg: ctx.qemuImg });
  return { disk: disk.id, ...r };
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** A free file name in the guest's folder: `stem.ext`, else `stem-2.ext`, … */
async function freeName(dir: string, stem: string, ext: string): Promise<string> {
  for (let i = 1; ; i++) {
    const f = `${stem}${i === 1 ? '' : `-${i}`}.${ext}`;
    if (!(await exists(join(dir, f)))) return f;
  }
}

/**
 * A guest's disk in another format (raw → qcow2 gives it snapshots and clones), written beside
 * it; the guest then uses the new file. The old one is kept, never deleted: the result says where.
 */
export async function convertGuestDisk(ctx: DiskContext, name: string, to: 'qcow2' | 'raw', o: { disk?: string } = {}): Promise<{ disk: string; file: string; kept: string }> {
  const config = await ctx.store.get(name);
  const disk = pickDisk(ctx.store, config, o.disk);
  if (disk.format === to) throw new DiskRuleError(`disk "${disk.id}" of "${name}" is ${to} already`);
  await assertChangeable(ctx, config, disk, 'converting its disk');
  const { dir } = ctx.store.dirs(name);
  const file = await freeName(dir, basename(disk.path, extname(disk.path)), to === 'raw' ? 'img' : 'qcow2');
  await convertImage(disk.path, join(dir, file), { fromFormat: disk.format, toFormat: to, onProgress: (f) => ctx.progress?.(name, 'convert', `converting disk "${disk.id}" to ${to}`, f), signal: ctx.signal, qemuImg: ctx.qemuImg });
  await ctx.store.update(parseVmConfig({ ...config, disks: config.disks.map((x, i) => (i === disk.index ? { ...x, path: file, format: to } : x)) }));
  return { disk: disk.id, file: join(dir, file), kept: disk.path };
}

/**
 * A disk from elsewhere (raw, vdi, vmdk, vhdx, vpc or qcow2: VirtualBox, VMware, Hyper-V…)
 * converted to qcow2 into the guest's folder and attached as its next disk. The original is
 * only read.
 */
export async function importDiskInto(ctx: DiskContext, name: string, source: string, o: { fromFormat?: string; bus?: VmConfig['disks'][number]['bus'] } = {}): Promise<{ disk: string; file: string; fromFormat: string }> {
  const config = await ctx.store.get(name);
  await assertAtRest(ctx, name, 'adding a disk');
  if (config.base) throw new DiskRuleError(`"${name}" is a read-only base: disks cannot be added to it`);
  const { dir } = ctx.store.dirs(name);
  const file = await freeName(dir, basename(source, extname(source)).replace(/[^A-Za-z0-9._-]/g, '_') || 'imported', 'qcow2');
  const r = await convertImage(source, join(dir, file), { fromFormat: o.fromFormat, toFormat: 'qcow2', onProgress: (f) => ctx.progress?.(name, 'import', `importing ${basename(source)}`, f), signal: ctx.signal, qemuImg: ctx.qemuImg });
  await chmod(join(dir, file), 0o600);
  let n = config.disks.length;
  let id = `disk${n}`;
  while (config.disks.some((d) => d.id === id)) id = `disk${++n}`;
  const next = parseVmConfig({ ...config, disks: [...config.disks, { id, path: file, format: 'qcow2', bus: o.bus ?? config.disks[0]?.bus ?? 'virtio' }] });
  await ctx.store.update(next);
  return { disk: id, file: join(dir, file), fromFormat: r.from.format };
}

export function describeSize(bytes: number): string {
  return formatSize(bytes);
}
