// Will a new disk fit where it is made? One rule, in the same words for the wizard (which asks
// host.freeSpace as the size is typed) and for create in main (API and CLI), which checks again.
// A sparse image (qcow2, or raw made by qemu-img) takes space only as the guest writes: one
// larger than the free space is allowed, with a warning. A preallocated one takes all of it at
// once: it is refused when it cannot fit.
import { formatSize } from './size';

export interface DiskSpaceVerdict {
  /** `refuse`: it cannot be made; `warn`: it can, but the guest may fill the host's disk. */
  level: 'refuse' | 'warn';
  message: string;
}

export function diskSpaceProblem(sizeBytes: number, freeBytes: number, folder: string, preallocated = false): DiskSpaceVerdict | null {
  if (sizeBytes <= freeBytes) return null;
  const free = formatSize(freeBytes);
  const size = formatSize(sizeBytes);
  if (preallocated) return { level: 'refuse', message: `A preallocated disk of ${size} does not fit: ${folder} has ${free} free. Free some space there, or choose a smaller size.` };
  return {
    level: 'warn',
    message: `The disk can grow to ${size}, but ${folder} has ${free} free: the guest would stop when it fills up. Free some space there, or choose a smaller size.`,
  };
}

/**
 * "Memory in a file": the guest's RAM is a sparse file the guest fills as it uses its memory. A
 * disk that fills up under it does not stop the guest as a full disk image does: QEMU dies
 * (SIGBUS) at the first page it cannot write. So a start is refused unless the whole memory fits.
 */
export function ramFileSpaceProblem(sizeBytes: number, freeBytes: number, folder: string): string | null {
  if (sizeBytes <= freeBytes) return null;
  return `"Memory in a file" needs room for the guest's whole memory (${formatSize(sizeBytes)}), and ${folder} has ${formatSize(freeBytes)} free: QEMU would die when the disk filled up. Free some space there, or turn "memory in a file" off.`;
}
