// Looking Glass: the guest's host application copies each frame of the passed-through GPU into
// an IVSHMEM region, and the client on the host shows it. The region is a memory-backend-file on
// the KVMFR module's /dev/kvmfr0 or on a file in /dev/shm, sized by Looking Glass's own formula.
import type { VmConfig } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
import type { FamilyInput } from './types';

import { lookingGlassSizeMiB } from '../../../shared/looking-glass-size';

/** Looking Glass's formula (in src/shared: the guest page shows the size too). */
export { lookingGlassSizeMiB };

export const KVMFR_DEVICE = '/dev/kvmfr0';
export const lookingGlassShmFile = (name: string) => `/dev/shm/looking-glass-${name}`;

/** The file the client reads: what `looking-glass-client -f` is given. */
export function lookingGlassPath(config: Pick<VmConfig, 'name' | 'lookingGlass' | 'sharedFolders'>): string | null {
  const lg = config.lookingGlass;
  if (!lg) return null;
  return lg.memory === 'kvmfr' && !virtiofsConflict(config) ? KVMFR_DEVICE : lookingGlassShmFile(config.name);
}

/**
 * KVMFR with a virtiofs share does not work: QEMU hands every shared memory region of the guest,
 * the IVSHMEM one too, to vhost-user daemons, and virtiofsd maps each by seeking to its end — a
 * character device like /dev/kvmfr0 cannot seek, so virtiofsd fails ("SeekEnd … Illegal seek")
 * and the share is lost (Looking Glass issue 1083, QEMU issue 1877). A /dev/shm file is a
 * regular file: both work.
 */
export function virtiofsConflict(config: Pick<VmConfig, 'lookingGlass' | 'sharedFolders'>): boolean {
  return config.lookingGlass?.memory === 'kvmfr' && config.sharedFolders.some((s) => s.method === 'virtiofs');
}

export function addLookingGlass(i: FamilyInput): void {
  const { config, argv } = i;
  const lg = config.lookingGlass;
  if (!lg) return;
  const size = lookingGlassSizeMiB(lg.width, lg.height);
  if (virtiofsConflict(config)) {
    i.warn(
      'looking-glass-virtiofs',
      `Looking Glass uses ${lookingGlassShmFile(config.name)} instead of ${KVMFR_DEVICE}: with KVMFR, virtiofsd cannot map the shared memory (it cannot seek in a device) and the virtiofs share would fail (Looking Glass issue 1083, QEMU issue 1877). Share the folder with 9p, or keep the /dev/shm file.`,
    );
  } else if (lg.memory === 'kvmfr') {
    i.warn('looking-glass-kvmfr', `The KVMFR module must offer at least ${size} MiB: load it with static_size_mb=${size} (/etc/modprobe.d/kvmfr.conf: options kvmfr static_size_mb=${size}), and let your user open ${KVMFR_DEVICE} (a udev rule).`);
  }
  if (config.pciDevices.length === 0) {
    i.warn('looking-glass-no-gpu', 'Looking Glass shows what a passed-through GPU draws; this guest has no PCI device, so its client will wait for frames.');
  }
  const path = lookingGlassPath(config) as string;
  argv.add('-object', opts('memory-backend-file', { id: 'looking-glass', 'mem-path': path, size: `${size}M`, share: 'on' }));
  argv.add('-device', opts('ivshmem-plain', { memdev: 'looking-glass', id: 'looking-glass-dev' }));
}
