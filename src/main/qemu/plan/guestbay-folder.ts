// The Guestbay-wide shared folder in a guest: one more share, tagged "guestbay", whose folder
// the plan's caller reads from the settings (ctx.guestbayFolder) and whose method is chosen here
// for this guest's OS, this QEMU and this virtiofsd: virtiofs where the daemon works (Linux, and
// Windows with the virtio-win drivers), 9p for macOS, SMB as the fallback. What the method costs
// on this host is said in the plan's warnings (the wizard and the guest page show them).
import type { SharedFolder, VmConfig } from '../../../shared/vm-config';
import type { FamilyInput, LaunchContext } from './types';

export const GUESTBAY_FOLDER_TAG = 'guestbay';

type Choice = { share: SharedFolder; notes: { id: string; message: string }[] } | { share: null; notes: { id: string; message: string }[] };

/** The share the Guestbay folder becomes in this guest, or none (with the reason). */
export function guestbayFolderShare(i: Pick<FamilyInput, 'config' | 'caps' | 'os' | 'hasDevice'>, path: string): Choice {
  const { config, caps, os } = i;
  const notes: Choice['notes'] = [];
  if (config.sharedFolders.some((s) => s.tag === GUESTBAY_FOLDER_TAG)) {
    return { share: null, notes: [{ id: 'guestbay-folder-tag', message: `this guest has its own share tagged "${GUESTBAY_FOLDER_TAG}", so the Guestbay folder is left out: rename that share's tag to have both` }] };
  }
  const can = (m: SharedFolder['method']) => os.shareMethods.includes(m);
  const vfs = caps.virtiofsd;
  const virtiofsWorks = Boolean(vfs?.works) && i.hasDevice('vhost-user-fs-pci');
  // Windows mounts virtiofs only with the virtio-win drivers (and WinFsp): a guest made with
  // the drivers disc has them; one without uses SMB, which Windows mounts by itself.
  const windowsDrivers = config.os.family !== 'windows' || config.media.some((m) => m.role === 'drivers') || config.disks[0]?.bus === 'virtio';
  const smbTaken = config.sharedFolders.some((s) => s.method === 'smb');
  let method: SharedFolder['method'] | null = null;
  if (config.os.family === 'macos') {
    method = can('9p') && i.hasDevice('virtio-9p-pci') ? '9p' : null;
  } else if (can('virtiofs') && virtiofsWorks && windowsDrivers) {
    method = 'virtiofs';
  }
  if (!method && can('smb') && !smbTaken && caps.tools.smbd && config.network.mode === 'user') method = 'smb';
  if (!method && can('9p') && i.hasDevice('virtio-9p-pci')) method = '9p';
  if (!method) {
    const why = smbTaken ? 'QEMU serves one SMB share per guest and this guest\'s own share takes it' : 'no sharing method works for it on this host';
    return { share: null, notes: [{ id: 'guestbay-folder-none', message: `the Guestbay folder is not in this guest: ${why}` }] };
  }
  // What it costs, said before it is paid.
  if (method === 'virtiofs' && (!vfs || vfs.flavour === 'c' || !vfs.features.includes('migrate-precopy'))) {
    notes.push({ id: 'guestbay-folder-cost', message: 'the Guestbay folder is shared over virtiofs, and this host\'s virtiofsd cannot save a guest\'s state: this guest cannot be saved while the folder is in it (untick "Guestbay folder" to keep save)' });
  }
  if (method === '9p') {
    notes.push({ id: 'guestbay-folder-cost', message: 'the Guestbay folder is shared over 9p: while the guest has it mounted, QEMU cannot save the guest' });
  }
  if (method === 'smb') {
    notes.push({ id: 'guestbay-folder-smb', message: 'the Guestbay folder is shared over SMB (\\\\10.0.2.4\\qemu in the guest): QEMU serves one SMB share per guest, and the folder takes it' });
  }
  if (method === 'virtiofs' && config.extraArgs.some((a) => a.includes('ivshmem') || a.includes('looking-glass'))) {
    notes.push({ id: 'guestbay-folder-looking-glass', message: 'Looking Glass\'s shared memory and virtiofs\'s shared guest memory conflict: untick the Guestbay folder for this guest, or share it over SMB' });
  }
  return { share: { tag: GUESTBAY_FOLDER_TAG, hostPath: path, method, readOnly: false }, notes };
}

/** The config the plan is built from: the guest's own, plus the Guestbay folder when it has it. */
export function withGuestbayFolder(i: Pick<FamilyInput, 'config' | 'caps' | 'os' | 'hasDevice' | 'warn'>, ctx: LaunchContext): VmConfig {
  if (!i.config.guestbayFolder || !ctx.guestbayFolder) return i.config;
  const c = guestbayFolderShare(i, ctx.guestbayFolder);
  for (const n of c.notes) i.warn(n.id, n.message);
  return c.share ? { ...i.config, sharedFolders: [...i.config.sharedFolders, c.share] } : i.config;
}
