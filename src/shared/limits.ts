// How many cores and how much memory a guest may have: one set of limits and one wording for
// the wizard, the guest page's settings, the API's create and update, and the CLI. The host's
// side comes from HostCaps (threads from /proc/cpuinfo, memory from /proc/meminfo), the
// guest's side from the OS table (Windows 11 needs 2 cores and 4 GiB…). Pure: no Node, no DOM.
import type { HostCaps } from './host-caps';
import { osTraits } from './os/os-table';
import type { OsFamily } from './vm-config';
import { CORES_NOT_A_NUMBER, formatMemory, MAX_CORES, MAX_MEMORY_MIB, MEMORY_GIB_NOT_A_NUMBER, MEMORY_MIB_NOT_A_NUMBER, MIN_MEMORY_MIB } from './limit-values';

// The values the schema itself uses live in limit-values.ts (vm-config.ts imports them, and this
// file imports the OS table, which imports vm-config's types: no cycle).
export * from './limit-values';

export interface HostLimits {
  threads: number;
  memoryMiB: number;
}

export function hostLimits(caps: Pick<HostCaps, 'cpu' | 'memory'>): HostLimits {
  return { threads: caps.cpu.threads, memoryMiB: caps.memory.totalMiB };
}

export interface GuestOs {
  family: OsFamily;
  version: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why `cores` cannot be, or null. Without `host`, only what any host allows. With `threads`
 * per core above 1 the guest has cores × threads CPUs, and those must fit the host's threads.
 */
export function coresProblem(cores: number, os: GuestOs, host?: HostLimits, threads = 1): string | null {
  if (!Number.isInteger(cores)) return CORES_NOT_A_NUMBER;
  const t = osTraits(os.family, os.version);
  const min = Math.max(1, t.minCores);
  if (host && min > host.threads) return `${t.name} needs at least ${min} cores, and this computer has ${plural(host.threads, 'thread', 'threads')}: it cannot run here.`;
  if (cores < min) return min === 1 ? 'A guest needs at least 1 core.' : `${t.name} needs at least ${min} cores: give it ${min} or more.`;
  if (host && cores > host.threads) {
    return `This computer has ${plural(host.threads, 'thread', 'threads')}: give the guest at most ${plural(host.threads, 'core', 'cores')}.`;
  }
  if (host && cores * threads > host.threads) {
    return `This computer has ${plural(host.threads, 'thread', 'threads')}: ${cores} cores × ${threads} threads is ${cores * threads} CPUs. Give the guest at most ${host.threads} CPUs in all.`;
  }
  if (cores > MAX_CORES) return `A guest can have at most ${MAX_CORES} cores.`;
  return null;
}

/** Why `memoryMiB` cannot be, or null. Without `host`, only what any host allows. */
export function memoryProblem(memoryMiB: number, os: GuestOs, host?: HostLimits): string | null {
  if (!Number.isInteger(memoryMiB)) return MEMORY_MIB_NOT_A_NUMBER;
  const t = osTraits(os.family, os.version);
  const min = Math.max(MIN_MEMORY_MIB, t.minMemoryMiB);
  if (host && min > host.memoryMiB) return `${t.name} needs at least ${formatMemory(min)} of memory, and this computer has ${formatMemory(host.memoryMiB)} in all: it cannot run here.`;
  if (memoryMiB < min) return `${min > MIN_MEMORY_MIB ? t.name : 'A guest'} needs at least ${formatMemory(min)} of memory: give it ${formatMemory(min)} or more.`;
  if (host && memoryMiB > host.memoryMiB) {
    const half = Math.max(min, Math.floor(host.memoryMiB / 2 / 512) * 512);
    return `This computer has ${formatMemory(host.memoryMiB)} of memory in all: give the guest less (${formatMemory(half)}, half of it, keeps the computer responsive).`;
  }
  if (memoryMiB > MAX_MEMORY_MIB) return `A guest can have at most ${formatMemory(MAX_MEMORY_MIB)} of memory.`;
  return null;
}

/** The guest's cores and memory checked together, by VmConfig field. */
export function resourceProblems(
  c: { os: GuestOs; cpu: { cores: number; threads?: number }; memoryMiB: number },
  host?: HostLimits,
  which: { cores?: boolean; memory?: boolean } = { cores: true, memory: true },
): { field: 'cpu.cores' | 'memoryMiB'; message: string }[] {
  const out: { field: 'cpu.cores' | 'memoryMiB'; message: string }[] = [];
  const cores = which.cores ? coresProblem(c.cpu.cores, c.os, host, c.cpu.threads) : null;
  if (cores) out.push({ field: 'cpu.cores', message: cores });
  const memory = which.memory ? memoryProblem(c.memoryMiB, c.os, host) : null;
  if (memory) out.push({ field: 'memoryMiB', message: memory });
  return out;
}

/** The smallest system disk this guest system installs on, in bytes (0: no minimum known). */
export function minSystemDiskBytes(os: GuestOs): number {
  return osTraits(os.family, os.version).minSystemDiskGiB * 2 ** 30;
}

/** Why a system disk of `bytes` is too small for this guest system, or null. */
export function systemDiskProblem(bytes: number, os: GuestOs): string | null {
  const min = minSystemDiskBytes(os);
  if (bytes >= min) return null;
  const t = osTraits(os.family, os.version);
  return `${t.name} needs a disk of at least ${min / 2 ** 30} GiB: give it ${min / 2 ** 30} GiB or more.`;
}

/** A form's cores text ("4") as a number, or the message to show next to it. */
export function parseCoresText(text: string): { ok: true; cores: number } | { ok: false; error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, error: CORES_NOT_A_NUMBER };
  return { ok: true, cores: Number(t) };
}

/** A form's memory text in GiB ("4", "0.5", "23,5") as MiB, or the message to show next to it. */
export function parseMemoryGiBText(text: string): { ok: true; memoryMiB: number } | { ok: false; error: string } {
  const t = text.trim().replace(',', '.');
  if (!/^(\d+\.?\d*|\.\d+)$/.test(t)) return { ok: false, error: MEMORY_GIB_NOT_A_NUMBER };
  return { ok: true, memoryMiB: Math.round(Number(t) * 1024) };
}
