// btrfs (the default on many Arch and Manjaro installs) copies every rewritten block: a disk
// image rewritten in place by a guest ends up in tens of thousands of fragments. Images made
// there get the NOCOW attribute (chattr +C), which only takes on an empty file: qemu-img sets
// it as it creates the file (`nocow=on`). Trade-off: no btrfs checksums or compression for that
// file, as libvirt does for its pools on btrfs.
import { statfs } from 'node:fs/promises';

/** statfs(2)'s f_type for btrfs (linux/magic.h). */
export const BTRFS_MAGIC = 0x9123683e;

export async function isBtrfs(dir: string): Promise<boolean> {
  const s = await statfs(dir).catch(() => null);
  return s !== null && s.type === BTRFS_MAGIC;
}
