// qemu-storage-daemon's syntax, for looking inside a disk from the host: the image (or one
// partition of it, through the raw driver's offset and size) exported read-only over FUSE as a
// plain file that unprivileged tools (debugfs, mtools, ntfs-3g's) can read. FUSE's own mount
// helper (fusermount3) makes this work without root.
import { opts } from './qemu-opts';

export interface FuseExport {
  /** The image file and its format (never probed). */
  file: string;
  format: string;
  /** A byte range of the image (a partition); absent: the whole disk. */
  offset?: number;
  size?: number;
  /** An existing regular file the export is mounted over. */
  mountpoint: string;
  /** Open an image a running guest holds (its contents may be mid-write). */
  forceShare?: boolean;
}

export function fuseExportArgs(e: FuseExport): string[] {
  const args = [
    '--blockdev', opts(null, { driver: 'file', filename: e.file, 'node-name': 'file0', 'read-only': true, 'force-share': e.forceShare ? true : undefined }),
    '--blockdev', opts(null, { driver: e.format, file: 'file0', 'node-name': 'fmt0', 'read-only': true, 'force-share': e.forceShare ? true : undefined }),
  ];
  let node = 'fmt0';
  if (e.offset !== undefined) {
    args.push('--blockdev', opts(null, { driver: 'raw', file: 'fmt0', 'node-name': 'part0', offset: e.offset, size: e.size, 'read-only': true, 'force-share': e.forceShare ? true : undefined }));
    node = 'part0';
  }
  args.push('--export', opts(null, { type: 'fuse', id: 'look0', 'node-name': node, mountpoint: e.mountpoint, writable: false, 'allow-other': 'off' }));
  return args;
}
