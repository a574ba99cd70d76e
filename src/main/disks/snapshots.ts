// Snapshots of a guest: all of its writable qcow2 images at once (disks and the UEFI variable
// store, so UEFI guests revert whole), taken offline with qemu-img while it is shut down, or
// live through QMP's snapshot jobs while it runs (memory included; the file systems frozen by
// the guest's agent while it is taken, and thawed again after a revert to it). Listed as a tree
// (snapshot-tree.ts). Reverting a running guest is refused until confirmed, saying what is lost;
// a live snapshot the guest's devices forbid (the same devices that forbid saving it) is refused
// with the reason.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { ConfigError } from '../../shared/vm-config';
import { applySnapshots, createSnapshots, deleteSnapshots, imageInfo, SNAPSHOT_TAG, type SnapshotInfo } from '../images';
import { awaitJob, queryBlock, resumeVcpus, snapshotDelete, snapshotLoad, snapshotSave, type BlockDevice } from '../qemu/qmp/commands';
import { thawIfFrozen } from '../vm/guest-agent';
import type { GuestStatus } from '../vm/supervisor';
import { ConfirmationNeededError, type DiskContext, DiskRuleError } from './context';
import { guestImages, type GuestImage } from './guest-files';
import { busyReason, overlaysOf, describeOverlays } from './guard';
import { linksAfterCreate, linksAfterDelete, linksAfterRevert, readLinks, snapshotTree, writeLinks, type SnapshotNode } from './snapshot-tree';

export interface SnapshotList {
  name: string;
  current: string | null;
  tree: SnapshotNode[];
  /** Why snapshots cannot be taken now (raw disks, a base…), or null. */
  blocked: string | null;
}

const LIVE = new Set(['running', 'paused']);

function checkTag(tag: string): void {
  if (!SNAPSHOT_TAG.test(tag)) throw new ConfigError([{ field: 'tag', message: 'a snapshot name uses letters, digits, ".", "_" and "-" (up to 64), and starts with a letter or digit' }]);
}

/** The images a snapshot covers: every writable one. All must be qcow2 (raw has no snapshots). */
function covered(images: GuestImage[]): GuestImage[] {
  return images.filter((i) => !i.readOnly);
}

function rawProblem(name: string, images: GuestImage[]): string | null {
  const raw = covered(images).filter((i) => i.format !== 'qcow2');
  if (!raw.length) return null;
  return `disk ${raw.map((r) => `"${r.id}"`).join(', ')} of "${name}" is raw, which has no snapshots: convert it to qcow2 first (guestbay disk convert ${name} --to qcow2${raw.length === 1 && raw[0]!.kind === 'disk' ? ` --disk ${raw[0]!.id}` : ''})`;
}

/** Why a live snapshot of this running guest is impossible: what forbids saving it forbids this too. */
export function liveSnapshotBlocker(status: GuestStatus): string | null {
  if (status.savable && !status.savable.ok) return `"${status.name}" cannot be snapshotted while it runs, for the reason it cannot be saved: ${status.savable.reason}. Shut it down and take the snapshot then (its disks, without memory)`;
  return null;
}

async function snapshotsOf(images: GuestImage[], qemuImg?: string): Promise<Map<string, SnapshotInfo[]>> {
  const m = new Map<string, SnapshotInfo[]>();
  for (const i of covered(images)) {
    if (i.format !== 'qcow2') continue;
    m.set(i.path, (await imageInfo(i.path, { format: 'qcow2', qemuImg }).catch(() => ({ snapshots: [] as SnapshotInfo[] }))).snapshots);
  }
  return m;
}

async function baseProblem(ctx: DiskContext, name: string, images: GuestImage[], isBase: boolean): Promise<string | null> {
  const clones = await overlaysOf(ctx, images.filter((i) => i.kind === 'disk').map((i) => i.path), { except: name });
  if (clones.length) return `"${name}" is the base of the linked clones ${describeOverlays(clones)}: its disks never change, snapshots included`;
  if (isBase) return `"${name}" is a read-only base: its disks never change, snapshots included`;
  return null;
}

export async function listSnapshots(ctx: DiskContext, name: string): Promise<SnapshotList> {
  const config = await ctx.store.get(name);
  const images = await guestImages(ctx.store, config);
  const per = await snapshotsOf(images, ctx.qemuImg);
  const tags = new Map<string, { date: number; vmStateSize: number; have: number }>();
  for (const list of per.values()) {
    for (const s of list) {
      const t = tags.get(s.name) ?? { date: s.date, vmStateSize: 0, have: 0 };
      t.have += 1;
      t.vmStateSize += s.vmStateSize;
      t.date = Math.min(t.date, s.date);
      tags.set(s.name, t);
    }
  }
  const links = await readLinks(ctx.store.dirs(name).dir);
  const flat = [...tags].map(([tag, t]) => ({ tag, date: t.date, vmStateSize: t.vmStateSize, have: t.have, of: per.size }));
  const blocked = rawProblem(name, images) ?? (await baseProblem(ctx, name, images, Boolean(config.base)));
  return { name, current: links.current && tags.has(links.current) ? links.current : null, tree: snapshotTree(flat, links), blocked };
}

/** The QMP nodes of the guest's writable qcow2 images, the first disk's first (it keeps the memory). */
function nodesFor(devices: BlockDevice[], images: GuestImage[]): { vmstate: string; nodes: string[] } {
  const nodes: string[] = [];
  for (const i of covered(images)) {
    const d = devices.find((x) => x.file === i.path && !x.readOnly);
    if (!d) throw new DiskRuleError(`QEMU does not have ${basename(i.path)} open for writing: stop the guest and start it again`);
    nodes.push(d.nodeName);
  }
  if (!nodes.length) throw new DiskRuleError('the guest has no writable disk to keep a snapshot in');
  return { vmstate: nodes[0]!, nodes };
}

const jobId = (op: string) => `gb-${op}-${randomBytes(4).toString('hex')}`;

export async function createSnapshot(ctx: DiskContext, name: string, tag: string): Promise<{ tag: string; live: boolean }> {
  checkTag(tag);
  const config = await ctx.store.get(name);
  const images = await guestImages(ctx.store, config);
  const problem = rawProblem(name, images) ?? (await baseProblem(ctx, name, images, Boolean(config.base)));
  if (problem) throw new DiskRuleError(problem);
  const files = covered(images).map((i) => i.path);
  for (const [file, list] of await snapshotsOf(images, ctx.qemuImg)) {
    if (list.some((s) => s.name === tag)) throw new ConfigError([{ field: 'tag', message: `"${name}" already has a snapshot named "${tag}" (in ${basename(file)}): choose another name or delete that one` }]);
  }
  const dir = ctx.store.dirs(name).dir;
  const status = await ctx.supervisor.status(name);
  let live = false;
  if (LIVE.has(status.state)) {
    const blocker = liveSnapshotBlocker(status);
    if (blocker) throw new DiskRuleError(blocker);
    await ctx.supervisor.withGuest(name, 'snapshot', async () => {
      const client = await ctx.supervisor.monitor(name);
      const { vmstate, nodes } = nodesFor(await queryBlock(client), images);
      const id = jobId('save');
      ctx.progress?.(name, 'snapshot', `taking snapshot "${tag}" (the guest pauses while its memory is written)`);
      const take = async () => {
        await snapshotSave(client, { jobId: id, tag, vmstate, devices: nodes });
        await awaitJob(client, id, { timeoutMs: 10 * 60_000 }).catch((e: Error) => {
          throw new DiskRuleError(`the snapshot of "${name}" failed: ${e.message}`);
        });
      };
      // A running guest with an agent has its file systems frozen while the snapshot is taken, so
      // its disks in the snapshot are consistent; they are thawed right after, and a revert to it
      // thaws them again in the reverted guest (revertSnapshot). A paused guest's agent cannot answer.
      if (status.state === 'running') await ctx.supervisor.withFrozenFilesystems(name, take);
      else await take();
    });
    live = true;
  } else {
    const why = busyReason(status, 'taking a snapshot');
    if (why) throw new DiskRuleError(why);
    ctx.progress?.(name, 'snapshot', `taking snapshot "${tag}" of ${files.length} image${files.length > 1 ? 's' : ''}`);
    await createSnapshots(files, tag, ctx.qemuImg);
  }
  await writeLinks(dir, linksAfterCreate(await readLinks(dir), tag));
  return { tag, live };
}

/** What a revert of a running guest throws away, in words (also the confirmation's text). */
export function revertLoss(name: string, tag: string, takenAt: number): string {
  return `"${name}" is running: reverting it to "${tag}" (taken ${new Date(takenAt * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC) replaces its memory and disks with the state of that moment. Everything it did since is lost: programs open now, unsaved work, and every file written to its disks after that snapshot. Confirm to go on.`;
}

export async function revertSnapshot(ctx: DiskContext, name: string, tag: string, o: { confirm?: boolean } = {}): Promise<{ tag: string; live: boolean; notes: string[] }> {
  checkTag(tag);
  const config = await ctx.store.get(name);
  const images = await guestImages(ctx.store, config);
  const problem = rawProblem(name, images) ?? (await baseProblem(ctx, name, images, Boolean(config.base)));
  if (problem) throw new DiskRuleError(problem);
  const per = await snapshotsOf(images, ctx.qemuImg);
  const having = [...per].filter(([, list]) => list.some((s) => s.name === tag)).map(([f]) => f);
  if (!having.length) throw new DiskRuleError(`"${name}" has no snapshot named "${tag}"`);
  const lacking = [...per.keys()].filter((f) => !having.includes(f));
  const snaps = [...per.values()].flat().filter((s) => s.name === tag);
  const dir = ctx.store.dirs(name).dir;
  const status = await ctx.supervisor.status(name);
  const notes: string[] = [];
  let live = false;
  if (LIVE.has(status.state)) {
    if (!snaps.some((s) => s.vmStateSize > 0)) throw new DiskRuleError(`"${tag}" was taken while "${name}" was shut down, so it holds no memory to run from: shut the guest down, then revert to it`);
    if (lacking.length) throw new DiskRuleError(`${lacking.map((f) => basename(f)).join(', ')} did not exist when "${tag}" was taken: a running guest cannot be reverted to it; shut it down and revert then`);
    if (!o.confirm) throw new ConfirmationNeededError(revertLoss(name, tag, Math.min(...snaps.map((s) => s.date))));
    await ctx.supervisor.withGuest(name, 'revert', async () => {
      const client = await ctx.supervisor.monitor(name);
      const { vmstate, nodes } = nodesFor(await queryBlock(client), images);
      const id = jobId('load');
      ctx.progress?.(name, 'revert', `reverting to "${tag}"`);
      await snapshotLoad(client, { jobId: id, tag, vmstate, devices: nodes });
      try {
        await awaitJob(client, id, { timeoutMs: 10 * 60_000 });
      } catch (e) {
        // QEMU checks the snapshot exists everywhere before it touches anything, so a failure
        // here left the old state: run it again if it was running.
        if (status.state === 'running') await resumeVcpus(client).catch(() => {});
        throw new DiskRuleError(`reverting "${name}" to "${tag}" failed: ${(e as Error).message}`);
      }
      // The snapshot's memory is the moment it was taken: with the file systems frozen by the
      // guest's agent (createSnapshot), so the reverted guest is frozen until its agent thaws them.
      const plan = (await ctx.supervisor.record(name))?.plan;
      if (status.state === 'running' && plan && (await thawIfFrozen({ plan, client }))) {
        notes.push(`The guest's file systems were frozen while "${tag}" was taken (consistent disks); its agent has thawed them.`);
      }
    });
    live = true;
  } else {
    const why = busyReason(status, 'reverting it');
    if (why) throw new DiskRuleError(why);
    ctx.progress?.(name, 'revert', `reverting ${having.length} image${having.length > 1 ? 's' : ''} to "${tag}"`);
    await applySnapshots(having, tag, ctx.qemuImg);
    for (const f of lacking) notes.push(`${basename(f)} did not exist when "${tag}" was taken and was left as it is.`);
    if (snaps.some((s) => s.vmStateSize > 0)) notes.push(`"${tag}" also holds the guest's memory; that is used only when reverting the guest while it runs. It starts from power-on now, with its disks as they were then.`);
  }
  await writeLinks(dir, linksAfterRevert(await readLinks(dir), tag));
  return { tag, live, notes };
}

export async function deleteSnapshot(ctx: DiskContext, name: string, tag: string): Promise<{ tag: string }> {
  checkTag(tag);
  const config = await ctx.store.get(name);
  const images = await guestImages(ctx.store, config);
  const problem = await baseProblem(ctx, name, images, Boolean(config.base));
  if (problem) throw new DiskRuleError(problem);
  const per = await snapshotsOf(images, ctx.qemuImg);
  const having = [...per].filter(([, list]) => list.some((s) => s.name === tag)).map(([f]) => f);
  if (!having.length) throw new DiskRuleError(`"${name}" has no snapshot named "${tag}"`);
  const dir = ctx.store.dirs(name).dir;
  const status = await ctx.supervisor.status(name);
  if (LIVE.has(status.state)) {
    await ctx.supervisor.withGuest(name, 'snapshot', async () => {
      const client = await ctx.supervisor.monitor(name);
      const devices = await queryBlock(client);
      const nodes = having.map((f) => devices.find((d) => d.file === f)?.nodeName).filter((n): n is string => Boolean(n));
      const id = jobId('delete');
      await snapshotDelete(client, { jobId: id, tag, devices: nodes });
      await awaitJob(client, id, { timeoutMs: 5 * 60_000 }).catch((e: Error) => {
        throw new DiskRuleError(`deleting snapshot "${tag}" of "${name}" failed: ${e.message}`);
      });
    });
  } else {
    const why = busyReason(status, 'deleting a snapshot');
    if (why) throw new DiskRuleError(why);
    await deleteSnapshots(having, tag, ctx.qemuImg);
  }
  await writeLinks(dir, linksAfterDelete(await readLinks(dir), tag));
  return { tag };
}
