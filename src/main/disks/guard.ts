// The rules that keep disks whole, in one place: a disk in use by a running (or saved) guest is
// not changed, and a base that linked clones depend on is not changed or deleted. Each refusal
// says who holds the disk and what to do instead.
import { realpath } from 'node:fs/promises';
import { imageChain } from '../images';
import type { GuestStatus } from '../vm/supervisor';
import { readRecord } from '../vm/runtime-files';
import { type DiskContext, DiskRuleError } from './context';
import { guestDisks } from './guest-files';

const AT_REST = new Set(['stopped', 'crashed']);

async function real(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

/** Why `status` forbids changing the guest's disks, or null. */
export function busyReason(status: GuestStatus, doing: string): string | null {
  if (AT_REST.has(status.state)) return null;
  if (status.state === 'saved') {
    return `"${status.name}" is saved: its saved state expects its disks exactly as they are. Start it (it continues where it was) and shut it down before ${doing}, or start it fresh to discard the saved state`;
  }
  return `"${status.name}" is ${status.state}: shut it down before ${doing}`;
}

/** The guest must be at rest (stopped or crashed: not running, not saved). */
export async function assertAtRest(ctx: DiskContext, name: string, doing: string): Promise<GuestStatus> {
  const st = await ctx.supervisor.status(name);
  const why = busyReason(st, doing);
  if (why) throw new DiskRuleError(why);
  return st;
}

/** Running (or saved) guests whose disks are `file` or sit on it (a linked clone on its base). */
export async function runningUsers(ctx: DiskContext, file: string): Promise<{ guest: string; state: string }[]> {
  const target = await real(file);
  const out: { guest: string; state: string }[] = [];
  for (const g of await ctx.store.list()) {
    if (!g.config) continue;
    const st = await ctx.supervisor.status(g.name).catch(() => null);
    if (!st || AT_REST.has(st.state)) continue;
    const record = await readRecord(ctx.store.dirs(g.name).runtimeDir);
    const files = record?.plan.writableFiles ?? guestDisks(ctx.store, g.config).map((d) => d.path);
    let uses = false;
    for (const f of files) {
      const chain = await imageChain(f, { qemuImg: ctx.qemuImg }).catch(() => null);
      const paths = chain ? chain.map((c, i) => (i === 0 ? f : c.filename)) : [f];
      for (const p of paths) if ((await real(p)) === target) uses = true;
    }
    if (uses) out.push({ guest: g.name, state: st.state });
  }
  return out;
}

export async function assertNotInUse(ctx: DiskContext, file: string, doing: string): Promise<void> {
  const users = await runningUsers(ctx, file);
  if (users.length) {
    throw new DiskRuleError(`${file} is in use by ${users.map((u) => `"${u.guest}" (${u.state})`).join(', ')}: shut ${users.length > 1 ? 'them' : 'it'} down before ${doing}`);
  }
}

export interface Overlay {
  guest: string;
  disk: string;
  file: string;
  /** The backing file it sits on, as resolved. */
  base: string;
}

/** Linked clones whose disks sit (directly or further down) on any of `files`. */
export async function overlaysOf(ctx: DiskContext, files: string[], o: { except?: string } = {}): Promise<Overlay[]> {
  const targets = new Set(await Promise.all(files.map(real)));
  const out: Overlay[] = [];
  for (const g of await ctx.store.list()) {
    if (!g.config || g.name === o.except) continue;
    for (const d of guestDisks(ctx.store, g.config)) {
      if (d.format !== 'qcow2') continue;
      const chain = await imageChain(d.path, { format: 'qcow2', qemuImg: ctx.qemuImg }).catch(() => null);
      for (const c of chain?.slice(1) ?? []) {
        const p = await real(c.filename);
        if (targets.has(p)) {
          out.push({ guest: g.name, disk: d.id, file: d.path, base: p });
          break;
        }
      }
    }
  }
  return out;
}

export function describeOverlays(list: Overlay[]): string {
  const byGuest = new Map<string, string[]>();
  for (const o of list) byGuest.set(o.guest, [...(byGuest.get(o.guest) ?? []), o.disk]);
  return [...byGuest].map(([g, disks]) => `"${g}" (disk ${disks.join(', ')})`).join(', ');
}

/** A base with linked clones is never changed or deleted: they would read garbage afterwards. */
export async function assertNoOverlays(ctx: DiskContext, name: string, files: string[], doing: string): Promise<void> {
  const list = await overlaysOf(ctx, files, { except: name });
  if (list.length) {
    throw new DiskRuleError(
      `"${name}" is the base of the linked clones ${describeOverlays(list)}: ${doing} would change the data they are built on and break them. ` +
        'Delete those clones, or make them standalone first (guestbay disk flatten CLONE).',
    );
  }
}
