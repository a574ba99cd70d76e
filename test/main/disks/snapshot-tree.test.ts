// The snapshot tree: qcow2 keeps snapshots as a flat list, snapshots.json adds which one each was
// taken on top of, so reverting to an older snapshot and taking another starts a branch.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linksAfterCreate, linksAfterDelete, linksAfterRevert, readLinks, snapshotTree, writeLinks, type FlatSnapshot, type SnapshotLinks, type SnapshotNode } from '../../../src/main/disks/snapshot-tree';

const empty: SnapshotLinks = { version: 1, current: null, parents: {} };
const flat = (tags: string[]): FlatSnapshot[] => tags.map((tag, i) => ({ tag, date: 1000 + i, vmStateSize: tag.startsWith('live') ? 4096 : 0, have: 2, of: 2 }));
const shape = (nodes: SnapshotNode[]): unknown => nodes.map((n) => (n.children.length ? { [n.tag]: shape(n.children) } : n.tag));

describe('snapshot tree', () => {
  it('branches where a snapshot was taken after reverting to an older one', () => {
    let l = linksAfterCreate(empty, 'a');
    l = linksAfterCreate(l, 'b');
    l = linksAfterRevert(l, 'a');
    l = linksAfterCreate(l, 'c');
    const tree = snapshotTree(flat(['a', 'b', 'c']), l);
    expect(shape(tree)).toEqual([{ a: ['b', 'c'] }]);
    expect(tree[0]!.children[1]).toMatchObject({ tag: 'c', current: true });
    expect(tree[0]).toMatchObject({ current: false, images: { have: 2, of: 2 } });
  });

  it('hangs a deleted snapshot\'s children from its parent, and moves "now" up with them', () => {
    let l = linksAfterCreate(empty, 'a');
    l = linksAfterCreate(l, 'b');
    l = linksAfterCreate(l, 'c');
    l = linksAfterRevert(l, 'b');
    l = linksAfterDelete(l, 'b');
    expect(l.current).toBe('a');
    expect(shape(snapshotTree(flat(['a', 'c']), l))).toEqual([{ a: ['c'] }]);
  });

  it('shows snapshots it has no links for (taken with qemu-img by hand) as roots, and survives loops in an edited file', () => {
    const l: SnapshotLinks = { version: 1, current: 'x', parents: { x: 'y', y: 'x', z: 'gone' } };
    const tree = snapshotTree(flat(['x', 'y', 'z', 'manual']), l);
    expect(tree.map((n) => n.tag).sort()).toEqual(['manual', 'x', 'y', 'z']);
    expect(tree.find((n) => n.tag === 'x')!.current).toBe(true);
  });

  it('reads a missing or foreign snapshots.json as no links, and writes it whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-snaptree-'));
    try {
      expect(await readLinks(dir)).toEqual(empty);
      await writeFile(join(dir, 'snapshots.json'), JSON.stringify({ version: 7, whatever: true }));
      expect(await readLinks(dir)).toEqual(empty);
      const l = linksAfterCreate(empty, 'a');
      await writeLinks(dir, l);
      expect(await readLinks(dir)).toEqual(l);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
