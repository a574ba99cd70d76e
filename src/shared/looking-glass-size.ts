// Looking Glass's shared memory size for a resolution (its documentation's formula), in one
// place for the launch plan, the prerequisite checks and the guest page that shows it.

const MiB = 1024 * 1024;

/** width × height × 4 bytes × 2 frames, + 10 MiB, rounded up to a power of two (in MiB). */
export function lookingGlassSizeMiB(width: number, height: number): number {
  const need = (width * height * 4 * 2) / MiB + 10;
  let size = 1;
  while (size < need) size *= 2;
  return size;
}
