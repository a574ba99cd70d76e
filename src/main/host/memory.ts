// Host memory from /proc/meminfo: the wizard's upper bound and the "most of the RAM" test
// when switching guests.
import type { HostCaps } from '../../shared/host-caps';
import { readText } from './files';
import type { ProbeContext } from './options';

export type MemoryInfo = HostCaps['memory'];

export function parseMeminfo(text: string): MemoryInfo {
  const kib = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)\s*kB/.exec(line);
    if (m?.[1] && m[2]) kib.set(m[1], Number(m[2]));
  }
  const total = kib.get('MemTotal') ?? 0;
  // Kernels before 3.14 have no MemAvailable; free + page cache is the old estimate.
  const available =
    kib.get('MemAvailable') ?? (kib.get('MemFree') ?? 0) + (kib.get('Buffers') ?? 0) + (kib.get('Cached') ?? 0);
  return { totalMiB: Math.floor(total / 1024), availableMiB: Math.floor(available / 1024) };
}

export async function probeMemory(ctx: ProbeContext): Promise<MemoryInfo> {
  return parseMeminfo((await readText(ctx.host('/proc/meminfo'))) ?? '');
}
