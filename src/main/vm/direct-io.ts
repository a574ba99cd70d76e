// Whether a saved state's file can be opened with O_DIRECT, asked of the file system the way
// QEMU will ask it: QEMU's `direct-io` opens the file again with O_DIRECT for each multifd
// thread, and a file system without it (tmpfs before Linux 6.6, ramfs, some FUSE file systems)
// refuses that open with EINVAL — the save or restore would fail there. Such a file system gets
// the save without direct-io instead.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Opens `file` as QEMU's direct-io threads will (write-only for a save, read-only for a restore)
 * with O_DIRECT, and closes it. A save's file is created when missing (QEMU truncates it as it
 * starts writing). False on any refusal: QEMU then works without O_DIRECT and reports any other
 * trouble with the file itself.
 */
export async function directIoWorks(file: string, direction: 'out' | 'in'): Promise<boolean> {
  const O_DIRECT = constants.O_DIRECT;
  if (!O_DIRECT) return false;
  const flags = direction === 'out' ? constants.O_WRONLY | constants.O_CREAT : constants.O_RDONLY;
  try {
    const fd = await open(file, flags | O_DIRECT, 0o600);
    await fd.close();
    return true;
  } catch {
    return false;
  }
}
