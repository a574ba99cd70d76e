// Human sizes ("64G", "512M", "1.5T") to bytes and back, binary units as qemu-img uses them.

export const MIN_DISK_BYTES = 1024 * 1024;
/** ext4's largest file with 4 KiB blocks: a bigger image could never be filled. */
export const MAX_DISK_BYTES = 16 * 1024 ** 4;

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

export type SizeResult = { ok: true; bytes: number } | { ok: false; error: string };

export function parseSize(text: string): SizeResult {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([BKMGTP]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) {
    if (/^\s*-/.test(text)) return { ok: false, error: `"${text}" is negative: a size is a positive amount like 64G` };
    return { ok: false, error: `"${text}" is not a size: write a number with a unit, like 64G or 512M` };
  }
  const bytes = Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
  if (bytes < MIN_DISK_BYTES) return { ok: false, error: `"${text}" is too small: a disk is at least ${formatSize(MIN_DISK_BYTES)}` };
  if (bytes > MAX_DISK_BYTES) {
    return { ok: false, error: `"${text}" is too large: a disk is at most ${formatSize(MAX_DISK_BYTES)} (the largest file ext4 can hold)` };
  }
  return { ok: true, bytes };
}

export function formatSize(bytes: number): string {
  for (const u of ['P', 'T', 'G', 'M', 'K'] as const) {
    const v = bytes / UNITS[u]!;
    if (v >= 1) return `${Number.isInteger(v) ? v : v.toFixed(1)} ${u}iB`;
  }
  return `${bytes} B`;
}
