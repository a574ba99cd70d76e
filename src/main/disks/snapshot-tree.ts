// The snapshots of a guest as a tree. qcow2 keeps each image's snapshots as a flat list with no
// parents, so Guestbay remembers, in `snapshots.json` in the guest's folder, which snapshot the
// guest was "on" (the last taken or reverted to) when each was taken: reverting to an older one
// and taking another starts a branch, as in virt-manager or VirtualBox. The images stay the
// truth about which snapshots exist; the file only adds the links (one taken by hand with
// qemu-img is a root of its own).
import { join } from 'node:path';
import { readJsonOrNull, writeJsonAtomic } from '../vm/atomic-file';

export interface SnapshotLinks {
  version: 1;
  /** The snapshot the guest's disks derive from now (the last taken or reverted to). */
  current: string | null;
  parents: Record<string, string | null>;
}

export interface SnapshotNode {
  tag: string;
  /** Seconds since the epoch. */
  date: number;
  /** Taken while the guest ran: its memory is in it (revert a running guest to it). */
  live: boolean;
  vmStateSize: number;
  /** How many of the guest's images hold it, of how many. */
  images: { have: number; of: number };
  current: boolean;
  children: SnapshotNode[];
}

const FILE = 'snapshots.json';

export async function readLinks(vmDir: string): Promise<SnapshotLinks> {
  const j = await readJsonOrNull<SnapshotLinks>(join(vmDir, FILE));
  return j && j.version === 1 && typeof j.parents === 'object' ? j : { version: 1, current: null, parents: {} };
}

export function writeLinks(vmDir: string, links: SnapshotLinks): Promise<void> {
  return writeJsonAtomic(join(vmDir, FILE), links);
}

export function linksAfterCreate(l: SnapshotLinks, tag: string): SnapshotLinks {
  return { ...l, current: tag, parents: { ...l.parents, [tag]: l.current } };
}

export function linksAfterRevert(l: SnapshotLinks, tag: string): SnapshotLinks {
  return { ...l, current: tag };
}

/** A deleted snapshot's children hang from its parent; "current" moves up to the parent too. */
export function linksAfterDelete(l: SnapshotLinks, tag: string): SnapshotLinks {
  const up = l.parents[tag] ?? null;
  const parents: Record<string, string | null> = {};
  for (const [t, p] of Object.entries(l.parents)) if (t !== tag) parents[t] = p === tag ? up : p;
  return { ...l, current: l.current === tag ? up : l.current, parents };
}

export interface FlatSnapshot {
  tag: string;
  date: number;
  vmStateSize: number;
  have: number;
  of: number;
}

/** The tree of `snapshots` (oldest first at each level) under the remembered links. */
export function snapshotTree(snapshots: FlatSnapshot[], links: SnapshotLinks): SnapshotNode[] {
  const byTag = new Map(snapshots.map((s) => [s.tag, { tag: s.tag, date: s.date, live: s.vmStateSize > 0, vmStateSize: s.vmStateSize, images: { have: s.have, of: s.of }, current: links.current === s.tag, children: [] as SnapshotNode[] }]));
  const roots: SnapshotNode[] = [];
  for (const node of byTag.values()) {
    // A parent that no longer exists (deleted by hand) or a loop in an edited file: a root.
    let p = links.parents[node.tag] ?? null;
    const seen = new Set([node.tag]);
    while (p && !byTag.has(p) && !seen.has(p)) {
      seen.add(p);
      p = links.parents[p] ?? null;
    }
    const parent = p && byTag.has(p) && !seen.has(p) ? byTag.get(p)! : null;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: SnapshotNode[]) => {
    list.sort((a, b) => a.date - b.date || a.tag.localeCompare(b.tag));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  // Cycles the file might hold (edited by hand) leave nodes unreachable: show them as roots.
  const reach = new Set<string>();
  const walk = (l: SnapshotNode[]) => l.forEach((n) => (reach.add(n.tag), walk(n.children)));
  walk(roots);
  for (const n of byTag.values()) if (!reach.has(n.tag)) roots.push({ ...n, children: [] });
  return roots;
}
