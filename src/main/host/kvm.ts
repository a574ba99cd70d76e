// One verdict on KVM from the kernel's view and the functional check, with a reason a user
// can act on. `usable` only when a guest really ran: the flags and /dev/kvm alone lie on
// nested hosts.
import type { HostCaps } from '../../shared/host-caps';
import type { CpuInfo } from './cpu';
import type { KvmCheck } from './kvm-check';
import type { KvmHost } from './kvm-host';

export type KvmVerdict = HostCaps['kvm'];

export const TCG_COST = 'using TCG (software emulation, ~10–50× slower)';

export interface KvmInputs {
  host: KvmHost;
  cpu: CpuInfo;
  /** QEMU's `-accel help`, or null when there is no working QEMU. */
  qemuAccels: string[] | null;
  /** Null when the check was not run (no device, no access, no QEMU). */
  check: KvmCheck | null;
}

export function vendorModule(cpu: CpuInfo): 'kvm_amd' | 'kvm_intel' | null {
  return cpu.vendor === 'amd' ? 'kvm_amd' : cpu.vendor === 'intel' ? 'kvm_intel' : null;
}

function absentReason(host: KvmHost, cpu: CpuInfo): string {
  const hasVirt = cpu.flags.includes('svm') || cpu.flags.includes('vmx');
  if (!hasVirt && cpu.flags.includes('hypervisor'))
    return 'this system is itself a virtual machine without nested virtualisation (no svm/vmx CPU flag)';
  if (!hasVirt) return 'the CPU does not offer AMD-V/VT-x, or it is disabled in the firmware (BIOS/UEFI) settings';
  const want = vendorModule(cpu);
  if (want && !host.loadedModules.includes(want)) return `/dev/kvm is missing: the ${want} module is not loaded`;
  return '/dev/kvm is missing';
}

export function decideKvm({ host, cpu, qemuAccels, check }: KvmInputs): KvmVerdict {
  const base = {
    module: host.module,
    ignoreMsrs: host.ignoreMsrs,
    reportIgnoredMsrs: host.reportIgnoredMsrs,
    nested: host.nested,
  };
  if (host.device === 'absent') return { ...base, state: 'absent', reason: `${absentReason(host, cpu)} → ${TCG_COST}` };
  if (host.device === 'no-access')
    return { ...base, state: 'no-access', reason: `no permission to open /dev/kvm (not in the kvm group) → ${TCG_COST}` };
  if (qemuAccels === null) return { ...base, state: 'unusable', reason: 'no working QEMU to test KVM with' };
  if (!qemuAccels.includes('kvm'))
    return { ...base, state: 'unusable', reason: `this QEMU was built without KVM support → ${TCG_COST}` };
  if (!check) return { ...base, state: 'unusable', reason: 'KVM was not tested' };
  if (check.ran) return { ...base, state: 'usable', reason: 'a test guest ran under KVM' };
  return { ...base, state: 'unusable', reason: `KVM cannot run a guest here: ${check.reason} → ${TCG_COST}` };
}
