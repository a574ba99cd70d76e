// What the kernel says about KVM: the device node, the loaded vendor module and its
// parameters. None of this proves a guest can run (see kvm-check.ts).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { exists, readText } from './files';
import type { ProbeContext } from './options';

export type KvmDeviceAccess = 'absent' | 'no-access' | 'ok';

export interface KvmHost {
  device: KvmDeviceAccess;
  module: 'kvm_amd' | 'kvm_intel' | null;
  /** Every loaded kvm* module, e.g. a nested `kvm_pvm` that is neither vendor module. */
  loadedModules: string[];
  ignoreMsrs: boolean | null;
  reportIgnoredMsrs: boolean | null;
  nested: boolean | null;
}

/** sysfs writes module booleans as Y/N (kvm_intel, kvm) or 1/0 (kvm_amd's `nested`). */
export function parseModuleBool(text: string | null): boolean | null {
  const v = text?.trim();
  if (v === 'Y' || v === 'y' || v === '1') return true;
  if (v === 'N' || v === 'n' || v === '0') return false;
  return null;
}

export function classifyDeviceError(err: unknown): KvmDeviceAccess {
  if (!err) return 'ok';
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'no-access' : 'absent';
}

async function deviceAccess(path: string): Promise<KvmDeviceAccess> {
  try {
    // Read-write is what QEMU opens it with; read-only access would still fail to start a guest.
    await access(path, constants.R_OK | constants.W_OK);
    return 'ok';
  } catch (err) {
    return classifyDeviceError(err);
  }
}

const KNOWN_KVM_MODULES = ['kvm', 'kvm_amd', 'kvm_intel', 'kvm_pvm'];

export async function probeKvmHost(ctx: ProbeContext): Promise<KvmHost> {
  const sys = (p: string): string => ctx.host(`/sys/module/${p}`);
  const [device, loaded, ignoreMsrs, reportIgnoredMsrs] = await Promise.all([
    deviceAccess(ctx.host('/dev/kvm')),
    Promise.all(KNOWN_KVM_MODULES.map(async (m) => ((await exists(sys(m))) ? m : null))),
    readText(sys('kvm/parameters/ignore_msrs')),
    readText(sys('kvm/parameters/report_ignored_msrs')),
  ]);
  const loadedModules = loaded.filter((m): m is string => m !== null);
  const module = loadedModules.includes('kvm_amd') ? 'kvm_amd' : loadedModules.includes('kvm_intel') ? 'kvm_intel' : null;
  const nested = module ? parseModuleBool(await readText(sys(`${module}/parameters/nested`))) : null;
  return {
    device,
    module,
    loadedModules,
    ignoreMsrs: parseModuleBool(ignoreMsrs),
    reportIgnoredMsrs: parseModuleBool(reportIgnoredMsrs),
    nested,
  };
}
