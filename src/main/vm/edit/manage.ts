// A guest as a whole: rename it (its folder moves by rename(2) within the guests' folder),
// delete it, forget its saved state, remove one whose config is damaged. Each asks the
// guest-state model first; a disk image is deleted only when the caller says so explicitly.
import { open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { verdict, type GuestAction } from '../../../shared/guest-state';
import { ConfigError, vmName, type VmConfig } from '../../../shared/vm-config';
import { isQemuWithPidfile } from '../process-info';
import { readRecord } from '../runtime-files';
import { discardSaved } from '../saved-state';
import { CorruptConfigError, GuestNotFoundError, type Store } from '../store';
import { GuestStateError, type GuestStatus, type Supervisor } from '../supervisor';

export interface ManageDeps {
  store: Store;
  supervisor: Supervisor;
}

async function allowed(d: ManageDeps, name: string, action: GuestAction): Promise<{ config: VmConfig; status: GuestStatus }> {
  const config = await d.store.get(name);
  const status = await d.supervisor.status(name);
  const v = verdict({ name, title: config.title, state: status.state, savable: status.savable }, action);
  if (!v.ok) throw new GuestStateError(v.reason);
  return { config, status };
}

/** Paths in the config that pointed into the old folder, moved with it. */
function movePaths(config: VmConfig, from: string, to: string): VmConfig {
  const move = <T extends string | undefined>(p: T): T => (p !== undefined && (p === from || p.startsWith(`${from}/`)) ? ((to + p.slice(from.length)) as T) : p);
  return {
    ...config,
    disks: config.disks.map((d) => ({ ...d, path: move(d.path) })),
    media: config.media.map((m) => ({ ...m, path: move(m.path) })),
    kernelBoot: config.kernelBoot && { ...config.kernelBoot, kernel: move(config.kernelBoot.kernel), initrd: move(config.kernelBoot.initrd) },
  };
}

/**
 * Renames a stopped guest: rename(2) of its folder within the guests' folder (its disks, logs,
 * UEFI variables and TPM state move with it, atomically), then its config takes the new name.
 * Should writing the config fail, the folder is moved back. Refused while it runs or is saved.
 */
export async function renameGuest(d: ManageDeps, name: string, newName: string, o: { revision?: string } = {}): Promise<{ config: VmConfig; revision: string }> {
  const n = vmName.safeParse(newName);
  if (!n.success) throw new ConfigError([{ field: 'newName', message: n.error.issues[0]!.message }]);
  if (newName === name) throw new ConfigError([{ field: 'newName', message: `The guest is already called ${name}.` }]);
  return d.store.locked(name, async () => {
    const current = await d.store.read(name);
    d.store.expect(name, current, o.revision);
    await allowed(d, name, 'rename');
    const from = d.store.dirs(name);
    const to = d.store.dirs(newName);
    // A folder of that name, even without a config (disks kept from a deleted guest), is someone's.
    if (await stat(to.dir).then(() => true, () => false)) {
      const taken = await d.store.exists(newName);
      throw new ConfigError([{ field: 'newName', message: taken ? `A guest named ${newName} already exists: choose another name.` : `The folder ${to.dir} already exists (disks kept from a deleted guest?): choose another name, or move that folder away.` }]);
    }
    await rename(from.dir, to.dir);
    // The config lock moved with the folder: it is ours, and released under the old name.
    await rm(join(to.dir, '.vm.json.lock'), { force: true });
    try {
      const next = { ...movePaths(current.config, from.dir, to.dir), name: newName };
      const { revision } = await d.store.replace(next);
      // A stopped guest's runtime folder holds nothing of value; a start makes a new one.
      await rm(from.runtimeDir, { recursive: true, force: true }).catch(() => undefined);
      return { config: next, revision };
    } catch (e) {
      await rename(to.dir, from.dir).catch(() => undefined);
      throw e;
    }
  });
}

/**
 * Deletes a guest: refused while it runs (shut it down or force it off first) or is saved
 * (discard the saved state first). Disk images stay unless `deleteDisks`.
 */
export async function deleteGuest(d: ManageDeps, name: string, o: { deleteDisks?: boolean } = {}): Promise<{ kept: string[] }> {
  // The supervisor is the one place deletes are refused (the guest-state model, a start under
  // way); the config lock keeps an edit from another process out meanwhile. The lock file is the
  // store's own: the folder is emptied around it, and it goes last.
  return d.store.locked(name, () => d.supervisor.delete(name, { deleteDisks: o.deleteDisks }));
}

/** Forgets the saved state: the next start boots afresh. */
export async function discardSavedState(d: ManageDeps, name: string): Promise<GuestStatus> {
  await allowed(d, name, 'discardSaved');
  await discardSaved(d.store.dirs(name).dir);
  return d.supervisor.status(name);
}

/** What looks like a disk image in a folder whose config cannot be read: kept unless deleting disks was confirmed. */
async function looksLikeImage(path: string): Promise<boolean> {
  if (/\.(qcow2|img|raw|iso|vmdk|vdi|vhdx?|dmg|fd)$/i.test(path)) return true;
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) return false;
  if (st.size >= 16 * 2 ** 20) return true;
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    return head.toString('latin1') === 'QFI\xfb';
  } finally {
    await fh.close();
  }
}

/**
 * Removes a guest whose vm.json cannot be read. Its folder is moved aside within the guests'
 * folder (`.removed-NAME-<time>`, hidden from the list, nothing deleted), or with
 * `deleteFolder` deleted, keeping what looks like a disk image unless `deleteDisks`.
 */
export async function removeDamaged(d: ManageDeps, name: string, o: { deleteFolder?: boolean; deleteDisks?: boolean } = {}): Promise<{ movedTo: string | null; kept: string[] }> {
  const dirs = d.store.dirs(name);
  if (!(await stat(dirs.dir).then((s) => s.isDirectory(), () => false))) throw new GuestNotFoundError(name);
  try {
    await d.store.get(name);
    throw new GuestStateError(`"${name}" is not damaged: delete it instead.`);
  } catch (e) {
    if (!(e instanceof CorruptConfigError) && !(e instanceof GuestNotFoundError)) throw e;
  }
  // A guest whose config broke while it ran is still running: its QEMU must end first.
  const record = await readRecord(dirs.runtimeDir);
  if (record && isQemuWithPidfile(record.qemuPid, record.plan.runtime.pidFile)) {
    throw new GuestStateError(`"${name}" is still running (QEMU, process ${record.qemuPid}): force it off first (guestbay stop ${name} --force).`);
  }
  if (!o.deleteFolder) {
    const aside = join(d.store.paths.vms, `.removed-${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await rename(dirs.dir, aside);
    return { movedTo: aside, kept: [] };
  }
  const kept: string[] = [];
  for (const f of await readdir(dirs.dir)) {
    const full = join(dirs.dir, f);
    if (!o.deleteDisks && (await looksLikeImage(full))) {
      kept.push(full);
      continue;
    }
    await rm(full, { recursive: true, force: true });
  }
  if (kept.length === 0) await rmdir(dirs.dir).catch(() => undefined);
  return { movedTo: null, kept };
}

