// `guestbay snapshot N create|list|revert|delete [TAG]`: snapshots offline (shut down) or live
// (running: memory included), shown as a tree.
import { formatSize } from '../../../shared/size';
import { ConfirmationNeededError } from '../../disks/context';
import { createSnapshot, deleteSnapshot, listSnapshots, revertSnapshot } from '../../disks/snapshots';
import type { SnapshotNode } from '../../disks/snapshot-tree';
import { needName, parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';
import { progressPrinter } from '../progress';

function treeLines(nodes: SnapshotNode[], prefix = ''): string[] {
  return nodes.flatMap((n, i) => {
    const last = i === nodes.length - 1;
    const when = new Date(n.date * 1000).toISOString().replace('T', ' ').slice(0, 16);
    const what = [when, n.live ? `with memory (${formatSize(n.vmStateSize)})` : 'disks only', n.images.have < n.images.of ? `in ${n.images.have} of ${n.images.of} images` : ''].filter(Boolean).join(', ');
    return [`${prefix}${last ? '└─' : '├─'} ${n.tag}${n.current ? '  ← now' : ''}  (${what})`, ...treeLines(n.children, `${prefix}${last ? '   ' : '│  '}`)];
  });
}

export const snapshot: Command = async (e, args) => {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' }, json: { type: 'boolean' } }, 3);
  const name = needName(positionals);
  const op = positionals[1] ?? 'list';
  const tag = positionals[2];
  const needTag = () => {
    if (!tag) throw new UsageError(`name the snapshot: guestbay snapshot ${name} ${op} TAG`);
    return tag;
  };
  const progress = progressPrinter(e.io);
  try {
    return await withSupervisor(e, async (supervisor) => {
      const ctx = { store: e.store, supervisor, progress };
      switch (op) {
        case 'list': {
          const r = await listSnapshots(ctx, name);
          if (values.json) return json(e.io, r), 0;
          e.io.out(r.tree.length ? [`${name}:`, ...treeLines(r.tree)].join('\n') : `"${name}" has no snapshots`);
          if (r.blocked) e.io.out(`(new snapshots: ${r.blocked})`);
          return 0;
        }
        case 'create': {
          const r = await createSnapshot(ctx, name, needTag());
          if (values.json) return json(e.io, r), 0;
          e.io.out(`Took snapshot "${r.tag}" of "${name}" ${r.live ? 'while it runs (memory included)' : '(disks only: it is shut down)'}`);
          return 0;
        }
        case 'revert': {
          const r = await revertSnapshot(ctx, name, needTag(), { confirm: values.yes }).catch((err: Error) => {
            if (err instanceof ConfirmationNeededError) throw new ConfirmationNeededError(err.message.replace(/Confirm to go on\.$/, 'Repeat with --yes to go on.'));
            throw err;
          });
          if (values.json) return json(e.io, r), 0;
          e.io.out(`"${name}" is back at "${r.tag}"${r.live ? ' and runs on from there' : ''}`);
          for (const n of r.notes) e.io.out(`  ${n}`);
          return 0;
        }
        case 'delete': {
          const r = await deleteSnapshot(ctx, name, needTag());
          if (values.json) return json(e.io, r), 0;
          e.io.out(`Deleted snapshot "${r.tag}" of "${name}"`);
          return 0;
        }
        default:
          throw new UsageError(`unknown snapshot command "${op}": create, list, revert or delete`);
      }
    });
  } finally {
    progress.done();
  }
};
