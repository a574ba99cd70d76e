// The contract's disk, snapshot, clone, import and export calls over src/main/disks/, the same
// services the CLI uses. Long operations emit the `progress` event as they go.
import { isAbsolute, resolve } from 'node:path';
import { cloneGuest } from '../disks/bases';
import type { DiskContext } from '../disks/context';
import { compactGuestDisk, convertGuestDisk, guestDisksReport, resizeGuestDisk } from '../disks/guest-disks';
import { importGuest } from '../disks/import';
import { launchScript } from '../disks/launch-script';
import { libvirtDomain } from '../disks/libvirt-export';
import { createSnapshot, deleteSnapshot, listSnapshots, revertSnapshot } from '../disks/snapshots';
import { buildLaunchPlan } from '../qemu/plan';
import { planContext } from '../vm/plan-context';
import type { ApiContext, Handlers } from './context';

type DiskCalls =
  | 'disks.report'
  | 'disks.resize'
  | 'disks.convert'
  | 'disks.compact'
  | 'snapshots.list'
  | 'snapshots.create'
  | 'snapshots.revert'
  | 'snapshots.delete'
  | 'guests.clone'
  | 'guests.import'
  | 'guests.export';

export function diskHandlers(ctx: ApiContext): Handlers<DiskCalls> {
  const { store, supervisor } = ctx.deps;
  const progress: DiskContext['progress'] = (name, operation, message, fraction) => ctx.emit({ event: 'progress', payload: { name, operation, message, fraction } });
  const disks: DiskContext = { store, supervisor, progress };
  return {
    'disks.report': (i) => guestDisksReport(disks, i.name),
    'disks.resize': (i) => resizeGuestDisk(disks, i.name, i.size, { disk: i.disk, confirmShrink: i.confirmShrink }),
    'disks.convert': (i) => convertGuestDisk(disks, i.name, i.to, { disk: i.disk }),
    'disks.compact': (i) => compactGuestDisk(disks, i.name, { disk: i.disk }),
    'snapshots.list': (i) => listSnapshots(disks, i.name),
    'snapshots.create': (i) => createSnapshot(disks, i.name, i.tag),
    'snapshots.revert': (i) => revertSnapshot(disks, i.name, i.tag, { confirm: i.confirm }),
    'snapshots.delete': (i) => deleteSnapshot(disks, i.name, i.tag),
    'guests.clone': (i) => cloneGuest(disks, i.source, i.name, { linked: i.linked, title: i.title }),
    // Relative paths are the user's home's, like the file browser's.
    'guests.import': (i) => importGuest(disks, isAbsolute(i.path) ? i.path : resolve(ctx.home, i.path), { name: i.name, copyDisks: i.copyDisks }),
    'guests.export': async (i) => {
      const config = await store.get(i.name);
      const d = store.dirs(i.name);
      if (i.format === 'libvirt') {
        const r = libvirtDomain(config, d.dir);
        return { text: r.xml, notes: r.notCarried };
      }
      const plan = buildLaunchPlan(config, await ctx.deps.probe(), await planContext(store.paths, config));
      return { text: launchScript(i.name, plan), notes: plan.warnings.map((w) => w.message) };
    },
  };
}
