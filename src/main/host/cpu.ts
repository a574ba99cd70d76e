// CPU facts from /proc/cpuinfo. Only the flags that some decision depends on are kept, so the
// caps stay small and a golden test does not change with every microcode update.
import type { HostCaps } from '../../shared/host-caps';
import { readText } from './files';
import type { ProbeContext } from './options';

export type CpuInfo = HostCaps['cpu'];

/**
 * svm/vmx: hardware virtualisation (KVM); hypervisor: we are a guest ourselves (nested);
 * the SSE4/AVX/POPCNT/… set: what Windows 11 and recent macOS refuse to boot without, and
 * what `-cpu` models may claim; constant_tsc + nonstop_tsc: Linux's name for invariant TSC,
 * which macOS wants; x2apic, pdpe1gb, aes, …: worth passing through to guests.
 */
export const RELEVANT_CPU_FLAGS = [
  'svm', 'vmx', 'hypervisor',
  'sse3', 'pni', 'ssse3', 'sse4_1', 'sse4_2', 'sse4a', 'popcnt', 'avx', 'avx2', 'avx512f',
  'fma', 'f16c', 'bmi1', 'bmi2', 'movbe', 'abm', 'adx', 'aes', 'pclmulqdq', 'sha_ni',
  'xsave', 'xsaveopt', 'rdrand', 'rdseed', 'cx16', 'lm', 'nx', 'pdpe1gb', 'x2apic',
  'constant_tsc', 'nonstop_tsc', 'invtsc', 'tsc_deadline_timer',
] as const;

export function parseCpuinfo(text: string): CpuInfo {
  let vendorId = '';
  let model = '';
  let threads = 0;
  let flags: string[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(':');
    if (sep === -1) continue;
    const key = line.slice(0, sep).trim();
    const value = line.slice(sep + 1).trim();
    if (key === 'processor') threads++;
    else if (key === 'vendor_id' && !vendorId) vendorId = value;
    else if (key === 'model name' && !model) model = value;
    // The first processor's flags stand for all: Linux reports the common set anyway.
    else if (key === 'flags' && flags.length === 0) flags = value.split(/\s+/);
  }
  const have = new Set(flags);
  return {
    vendor: vendorId === 'AuthenticAMD' ? 'amd' : vendorId === 'GenuineIntel' ? 'intel' : 'other',
    model: model || vendorId || 'unknown',
    threads: Math.max(threads, 1),
    flags: RELEVANT_CPU_FLAGS.filter((f) => have.has(f)),
  };
}

export async function probeCpu(ctx: ProbeContext): Promise<CpuInfo> {
  return parseCpuinfo((await readText(ctx.host('/proc/cpuinfo'))) ?? '');
}
