// The numbers and words behind the limits that the VmConfig schema itself checks, with no
// imports, so vm-config.ts can use them without a cycle (limits.ts holds the checks that need
// the OS table and the host).

/** What the schema allows on any host (a guest moved between machines keeps its settings). */
export const MAX_CORES = 256;
export const MIN_MEMORY_MIB = 64;
export const MAX_MEMORY_MIB = 4 * 1024 * 1024;

export const CORES_NOT_A_NUMBER = 'Cores must be a whole number, like 2.';
export const MEMORY_GIB_NOT_A_NUMBER = 'Memory must be a number of GiB, like 4 or 0.5.';
export const MEMORY_MIB_NOT_A_NUMBER = 'Memory must be a whole number of MiB, like 4096.';

/** 4096 → "4 GiB", 24064 → "23.5 GiB", 512 → "512 MiB". */
export function formatMemory(mib: number): string {
  if (mib < 1024) return `${Math.floor(mib)} MiB`;
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : (Math.floor(gib * 10) / 10).toFixed(1)} GiB`;
}
