// Changing guests after creation: settings (whole, or key=value), the live-capable devices
// (media, USB, port forwards, the network link), disks, name, and removing guests. Every call
// goes through the editor (src/main/vm/edit/), then announces the change as `guests.changed`.
import { MAX_MEMORY_MIB, MIN_MEMORY_MIB, minSystemDiskBytes } from '../../shared/limits';
import { osTraits } from '../../shared/os/os-table';
import { buildPreset } from '../../shared/presets';
import { assertNoClones } from '../disks/bases';
import { settingKeys } from '../../shared/settings-keys';
import { MAX_DISK_BYTES, MIN_DISK_BYTES } from '../../shared/size';
import type { EditOutcome } from '../vm/edit/editor';
import { deleteGuest, discardSavedState, removeDamaged, renameGuest } from '../vm/edit/manage';
import type { ApiContext, Handlers } from './context';

type EditCalls =
  | 'guests.update'
  | 'guests.set'
  | 'guests.settings'
  | 'guests.rename'
  | 'guests.pending'
  | 'guests.media.insert'
  | 'guests.media.eject'
  | 'guests.usb.attach'
  | 'guests.usb.detach'
  | 'guests.usb.attachPort'
  | 'guests.usb.detachPort'
  | 'guests.forwards.add'
  | 'guests.forwards.remove'
  | 'guests.link'
  | 'guests.disks.add'
  | 'guests.disks.remove'
  | 'guests.delete'
  | 'guests.discardSaved'
  | 'guests.openFolder'
  | 'guests.removeDamaged';

/** The contract's EditResult from the editor's outcome (the files kept or deleted go in warnings). */
const result = ({ deletedFiles: _d, keptFiles: _k, ...r }: EditOutcome) => r;

export function editHandlers(ctx: ApiContext): Handlers<EditCalls> {
  const { deps, editor, home } = ctx;
  const { store, supervisor } = deps;
  // The API has no working directory of its own: relative paths start at the home folder.
  const where = { cwd: home, home };
  /** Runs a change, then announces it. */
  const change = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const r = await fn();
    await ctx.changed(name);
    return r;
  };

  return {
    'guests.update': (i) => change(i.name, async () => result(await editor.update(i.name, i.config, { revision: i.revision, deleteDiskFiles: i.deleteDiskFiles }))),
    'guests.set': (i) => change(i.name, async () => result(await editor.set(i.name, i.assignments, { revision: i.revision, ...where }))),
    'guests.settings': async (i) => {
      const config = await store.get(i.name);
      const caps = await deps.probe();
      const t = osTraits(config.os.family, config.os.version);
      let reasons: Record<string, string> = {};
      if (config.preset) {
        try {
          reasons = buildPreset(config.preset, { name: config.name, host: { threads: caps.cpu.threads, memoryMiB: caps.memory.totalMiB } }).reasons;
        } catch {
          // a preset this Guestbay no longer has: no reasons to show
        }
      }
      return {
        keys: settingKeys(),
        limits: {
          minCores: t.minCores,
          maxCores: caps.cpu.threads,
          minMemoryMiB: Math.max(MIN_MEMORY_MIB, t.minMemoryMiB),
          maxMemoryMiB: Math.min(caps.memory.totalMiB, MAX_MEMORY_MIB),
          minDiskBytes: MIN_DISK_BYTES,
          minSystemDiskBytes: Math.max(MIN_DISK_BYTES, minSystemDiskBytes(config.os)),
          maxDiskBytes: MAX_DISK_BYTES,
        },
        reasons,
      };
    },
    'guests.rename': async (i) => {
      const r = await renameGuest({ store, supervisor }, i.name, i.newName, { revision: i.revision });
      await ctx.renamed(i.name, i.newName);
      return r;
    },
    'guests.pending': (i) => editor.pending(i.name),
    'guests.media.insert': (i) => change(i.name, async () => result(await editor.mediaInsert(i.name, { drive: i.drive, path: i.path, ...where }))),
    'guests.media.eject': (i) => change(i.name, async () => result(await editor.mediaEject(i.name, { drive: i.drive, force: i.force }))),
    'guests.usb.attach': (i) => change(i.name, async () => result(await editor.usbAttach(i.name, i))),
    'guests.usb.detach': (i) => change(i.name, async () => result(await editor.usbDetach(i.name, i))),
    'guests.usb.attachPort': (i) => change(i.name, async () => result(await editor.usbAttachPort(i.name, i))),
    'guests.usb.detachPort': (i) => change(i.name, async () => result(await editor.usbDetachPort(i.name, i))),
    'guests.forwards.add': (i) => change(i.name, async () => result(await editor.forwardAdd(i.name, i.forward))),
    'guests.forwards.remove': (i) => change(i.name, async () => result(await editor.forwardRemove(i.name, i))),
    'guests.link': (i) => editor.link(i.name, i.up),
    'guests.disks.add': (i) =>
      change(i.name, async () => {
        const r = await editor.diskAdd(i.name, i.disk, { revision: i.revision, ...where });
        return { ...result(r), id: r.id };
      }),
    'guests.disks.remove': (i) =>
      change(i.name, async () => {
        const r = await editor.diskRemove(i.name, i.id, { revision: i.revision, deleteFile: i.deleteFile });
        return { ...result(r), kept: r.keptFiles[0] ?? null, deleted: r.deletedFiles[0] ?? null };
      }),
    'guests.delete': (i) =>
      change(i.name, async () => {
        // A base whose disks carry linked clones is never deleted; the rest is the supervisor's.
        await assertNoClones({ store, supervisor }, i.name);
        return deleteGuest({ store, supervisor }, i.name, { deleteDisks: i.deleteDisks });
      }),
    'guests.discardSaved': (i) => discardSavedState({ store, supervisor }, i.name),
    'guests.openFolder': async (i) => {
      const { dir } = store.dirs(i.name);
      const opened = deps.openPath ? await deps.openPath(dir) : false;
      return { path: dir, opened };
    },
    'guests.removeDamaged': (i) => change(i.name, () => removeDamaged({ store, supervisor }, i.name, { deleteFolder: i.deleteFolder, deleteDisks: i.deleteDisks })),
  };
}
