// The Guestbay-wide shared folder in a guest: one more share, tagged "guestbay", whose folder
// the plan's caller reads from the settings (ctx.guestbayFolder) and whose method is chosen here
// for this guest's OS, this QEMU and this virtiofsd: virtiofs where the daemon works (Linux, and
// Windows with the virtio-win drivers), 9p for macOS, SMB as the fallback. What the method costs
// on this host is said in the plan's warnings (the wizard and the guest page show them).
import type { HostCaps } from '../../../shared/host-caps';
import { qemuFor } from '../../../shared/os/arch-table';
import { osTraits } from '../../../shared/os/os-table';
import type { SharedFolder, VmConfig } from '../../../shared/vm-config';
import type { FamilyInput, LaunchContext } from './types';

export const GUESTBAY_FOLDER_TAG = 'guestbay';

/** Whether the guest can mount virtiofs as far as drivers go: Windows only with the virtio-win drivers (a guest made with the disc, or on a virtio disk). */
export function windowsHasVirtioDrivers(config: Pick<VmConfig, 'os' | 'media' | 'disks'>): boolean {
  return config.os.family !== 'windows' || config.media.some((m) => m.role === 'drivers') || config.disks[0]?.bus === 'virtio';
}

type Choice = { share: SharedFolder; notes: { id: string; message: string }[] } | { share: null; notes: { id: string; message: string }[] };

/** The share the Guestbay folder becomes in this guest, or none (with the reason). */
export function guestbayFolderShare(i: Pick<FamilyInput, 'config' | 'caps' | 'os' | 'hasDevice'>, path: string): Choice {
  const { config, caps, os } = i;
  const notes: Choice['notes'] = [];
  if (config.sharedFolders.some((s) => s.tag === GUESTBAY_FOLDER_TAG)) {
    return { share: null, notes: [{ id: 'guestbay-folder-tag', message: `This guest has its own share tagged "${GUESTBAY_FOLDER_TAG}", so the Guestbay folder is left out: rename that share's tag to have both` }] };
  }
  const can = (m: SharedFolder['method']) => os.shareMethods.includes(m);
  const vfs = caps.virtiofsd;
  const virtiofsWorks = Boolean(vfs?.works) && i.hasDevice('vhost-user-fs-pci');
  // Windows mounts virtiofs only with the virtio-win drivers (and WinFsp): a guest made with
  // the drivers disc has them; one without uses SMB, which Windows mounts by itself.
  const windowsDrivers = windowsHasVirtioDrivers(config);
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
    return { share: null, notes: [{ id: 'guestbay-folder-none', message: `The Guestbay folder is not in this guest: ${why}` }] };
  }
  // What it costs, said before it is paid.
  if (method === 'virtiofs' && (!vfs || vfs.flavour === 'c' || !vfs.features.includes('migrate-precopy'))) {
    const daemon = vfs?.flavour === 'c' ? 'the C virtiofsd (QEMU 7.2\'s)' : 'this host\'s virtiofsd';
    notes.push({ id: 'guestbay-folder-cost', message: `The Guestbay folder is shared over virtiofs, and ${daemon} cannot save a guest's state: while the folder is in it, this guest cannot be saved, only shut down (untick "Share the Guestbay folder" to keep save)` });
  }
  if (method === '9p') {
    notes.push({ id: 'guestbay-folder-cost', message: 'The Guestbay folder is shared over 9p: while the guest has it mounted, QEMU cannot save or migrate the guest (unmount it first, or untick "Share the Guestbay folder")' });
  }
  if (method === 'smb') {
    notes.push({ id: 'guestbay-folder-smb', message: 'The Guestbay folder is shared over SMB (\\\\10.0.2.4\\qemu in the guest), which keeps save working; QEMU serves one SMB share per guest, and the folder takes it' });
  }
  if (method === 'virtiofs' && config.lookingGlass?.memory === 'kvmfr') {
    notes.push({ id: 'guestbay-folder-looking-glass', message: 'With the Guestbay folder over virtiofs, Looking Glass cannot use /dev/kvmfr0 (virtiofsd cannot map a device\'s memory) and uses a /dev/shm file instead: untick "Share the Guestbay folder" to keep KVMFR' });
  } else if (method === 'virtiofs' && config.extraArgs.some((a) => a.includes('ivshmem') || a.includes('looking-glass'))) {
    notes.push({ id: 'guestbay-folder-looking-glass', message: 'Looking Glass\'s shared memory and virtiofs\'s shared guest memory conflict: untick the Guestbay folder for this guest, or share it over SMB' });
  }
  return { share: { tag: GUESTBAY_FOLDER_TAG, hostPath: path, method, readOnly: false }, notes };
}

/**
 * What the Guestbay folder is, or would be, in this guest on this host, whether or not the guest
 * has it: the wizard says it next to its tickbox, and create refuses what it would silently drop.
 * The same choice the plan makes (guestbayFolderShare), from the config and the probed caps alone.
 */
export function guestbayFolderChoice(config: VmConfig, caps: HostCaps, path: string): Choice {
  const devices = new Set(qemuFor(caps, config.arch)?.devices ?? []);
  return guestbayFolderShare({ config, caps, os: osTraits(config.os.family, config.os.version), hasDevice: (d) => devices.has(d) }, path);
}

/** The config the plan is built from: the guest's own, plus the Guestbay folder when it has it. */
export function withGuestbayFolder(i: Pick<FamilyInput, 'config' | 'caps' | 'os' | 'hasDevice' | 'warn'>, ctx: LaunchContext): VmConfig {
  if (!i.config.guestbayFolder || !ctx.guestbayFolder) return i.config;
  const c = guestbayFolderShare(i, ctx.guestbayFolder);
  for (const n of c.notes) i.warn(n.id, n.message);
  return c.share ? { ...i.config, sharedFolders: [...i.config.sharedFolders, c.share] } : i.config;
}
