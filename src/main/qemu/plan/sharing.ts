// Host folders in the guest: virtiofs (one virtiofsd per share, flags per daemon flavour) and
// 9p. SMB rides on user-mode networking (network.ts).
import { opts } from '../qemu-opts';
import { PlanError, type FamilyInput } from './types';

/** The C daemon parses `-o` like FUSE: commas separate options unless escaped with `\`. */
function fuseOptEscape(v: string): string {
  return v.replaceAll('\\', '\\\\').replaceAll(',', '\\,');
}

export function addShares(i: FamilyInput): void {
  const { config, argv, ctx } = i;
  config.sharedFolders.forEach((s, n) => {
    if (!i.os.shareMethods.includes(s.method)) {
      throw new PlanError(
        `${config.os.family} guests cannot mount ${s.method} shares; use ${i.os.shareMethods.join(' or ')}`,
        `sharedFolders.${n}.method`,
      );
    }
    if (s.method === 'virtiofs') {
      const vfs = i.caps.virtiofsd;
      if (!vfs) throw new PlanError('virtiofs shares need virtiofsd on the host (install virtiofsd)', `sharedFolders.${n}`);
      if (!vfs.works) {
        throw new PlanError(`virtiofsd cannot start here as you (${vfs.reason ?? 'its start test failed'}): install the Rust virtiofsd, or share this folder with 9p`, `sharedFolders.${n}.method`);
      }
      if (!i.hasDevice('vhost-user-fs-pci')) throw new PlanError('this QEMU has no vhost-user-fs-pci device', `sharedFolders.${n}`);
      const socket = `${ctx.runtimeDir}/vfs${n}.sock`;
      let args: string[];
      if (vfs.flavour === 'rust') {
        args = ['--socket-path', socket, '--shared-dir', s.hostPath, '--cache', 'auto', '--sandbox', vfs.sandbox ?? 'namespace'];
        if (s.readOnly) args.push('--readonly');
      } else {
        args = [`--socket-path=${socket}`, '-o', `source=${fuseOptEscape(s.hostPath)}`, '-o', 'cache=auto'];
        if (s.readOnly) i.warn('share-readonly', `the C virtiofsd cannot share read-only: "${s.tag}" is writable from the guest.`);
      }
      i.plan.sidecars.push({
        id: `virtiofsd-${s.tag}`,
        kind: 'virtiofsd',
        binary: vfs.path,
        args,
        socket,
        log: `${ctx.logDir}/virtiofsd-${s.tag}.log`,
        purpose: `shares ${s.hostPath} as "${s.tag}"`,
      });
      argv.add('-chardev', opts('socket', { id: `vfs${n}`, path: socket }));
      argv.add('-device', opts('vhost-user-fs-pci', { chardev: `vfs${n}`, tag: s.tag }));
    } else if (s.method === '9p') {
      if (!i.hasDevice('virtio-9p-pci')) throw new PlanError('this QEMU has no 9p support (virtio-9p-pci)', `sharedFolders.${n}`);
      // mapped-xattr: the guest's owners and modes live in xattrs, so the host's files keep
      // belonging to the user and nothing the guest does needs root on the host.
      argv.add('-fsdev', opts('local', { id: `fs${n}`, path: s.hostPath, security_model: 'mapped-xattr', readonly: s.readOnly ? true : undefined }));
      argv.add('-device', opts('virtio-9p-pci', { fsdev: `fs${n}`, mount_tag: s.tag }));
    }
  });
}
