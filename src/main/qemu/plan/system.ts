// Machine, accelerator, CPU, memory, clock and the macOS platform devices.
import { archTraits, runsNatively } from '../../../shared/os/arch-table';
import { join } from 'node:path';
import { opts } from '../qemu-opts';
import { needsSmm } from './firmware';
import { PlanError, type FamilyInput } from './types';

/** Apple's SMC key every macOS guest needs; public, and required by macOS to boot at all. */
const APPLE_OSK = 'ourhardworkbythesewordsguardedpleasedontsteal(c)AppleComputerInc';

/** Hyper-V enlightenments: Windows schedules and keeps time far better with them under KVM. */
const HYPERV_FLAGS = ['hv_relaxed', 'hv_vapic', 'hv_spinlocks=0x1fff', 'hv_time', 'hv_vpindex', 'hv_runtime', 'hv_synic', 'hv_stimer', 'hv_frequencies'];

export function chooseAccel(i: Pick<FamilyInput, 'config' | 'caps' | 'ctx'>): 'kvm' | 'tcg' {
  // KVM runs only a guest of the host's own architecture; any other is emulated.
  const native = runsNatively(i.config.arch, i.caps.hostArch);
  const hostAccel = native ? i.caps.accel : 'tcg';
  const wanted = i.ctx.accel ?? (i.config.accel === 'auto' ? hostAccel : i.config.accel);
  if (wanted === 'kvm' && !native) {
    throw new PlanError(`KVM was asked for, but KVM runs only guests of this computer's own architecture, and this guest is ${archTraits(i.config.arch).name}. Choose accel "auto" or "tcg".`, 'accel');
  }
  if (wanted === 'kvm' && i.caps.accel !== 'kvm') {
    throw new PlanError(`KVM was asked for, but ${i.caps.kvm.reason}. Choose accel "auto" or "tcg".`, 'accel');
  }
  return wanted;
}

function largestPowerOfTwoAtMost(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

export function addSystem(i: FamilyInput): void {
  const { config, argv, accel, os } = i;
  const ramFile = addRamFile(i);
  // vhost-user daemons (virtiofsd) map guest RAM: it must be shareable. A RAM file is (share=on),
  // so it serves them too; otherwise a memfd.
  const backend = ramFile ? 'ram-file' : config.sharedFolders.some((s) => s.method === 'virtiofs') ? 'memfd' : null;

  argv.add('-name', opts(config.name));
  argv.add(
    '-machine',
    opts(config.machine, {
      // Secure Boot keeps its variables in SMM-protected flash.
      smm: needsSmm(i) ? true : undefined,
      'memory-backend': backend ? 'mem' : undefined,
    }),
  );
  // Another architecture's guest: one host thread per guest CPU (multi-threaded TCG) said
  // outright. QEMU picks it by default only where the memory models agree (not an x86 guest on
  // an ARM host); the PC's own TCG keeps QEMU's default.
  argv.add('-accel', accel === 'tcg' && !runsNatively(config.arch, i.caps.hostArch) ? opts('tcg', { thread: 'multi' }) : accel);

  argv.add('-cpu', i.cpu);
  let cores = config.cpu.cores;
  if (os.powerOfTwoCores && (cores & (cores - 1)) !== 0) {
    const c = largestPowerOfTwoAtMost(cores);
    i.warn('cpu-cores', `macOS boots reliably only with a power-of-two core count: using ${c} instead of ${cores}.`);
    cores = c;
  }
  if (cores * config.cpu.threads > i.caps.cpu.threads && accel === 'kvm') {
    const what = config.cpu.threads === 1 ? `${cores} cores` : `${cores * config.cpu.threads} CPUs (${cores} cores × ${config.cpu.threads} threads)`;
    i.warn('cpu-overcommit', `${what} is more than the host's ${i.caps.cpu.threads} threads: the guest will stutter.`);
  }
  const threads = config.cpu.threads;
  argv.add('-smp', opts(null, { cpus: cores * threads, sockets: 1, cores, threads }));

  if (backend === 'memfd') {
    argv.add('-object', opts('memory-backend-memfd', { id: 'mem', size: `${config.memoryMiB}M`, share: true }));
  } else if (backend === 'ram-file') {
    argv.add('-object', opts('memory-backend-file', { id: 'mem', 'mem-path': ramFile, size: `${config.memoryMiB}M`, share: true }));
  }
  argv.add('-m', `${config.memoryMiB}M`);
  if (config.memoryMiB > i.caps.memory.totalMiB) {
    i.warn('memory', `${config.memoryMiB} MiB is more than the host's ${i.caps.memory.totalMiB} MiB.`);
  }
  argv.add('-rtc', opts(null, { base: os.localtimeRtc ? 'localtime' : 'utc', clock: 'host' }));

  if (os.apple) {
    if (!i.hasDevice('isa-applesmc')) throw new PlanError('this QEMU has no isa-applesmc device, which macOS needs', 'os');
    argv.add('-device', opts('isa-applesmc', { osk: APPLE_OSK }));
    // OpenCore reads board data from SMBIOS type 2; without it some releases panic early.
    argv.add('-smbios', 'type=2');
    if (config.machine === 'q35') {
      // macOS hangs at boot when ACPI PCI hotplug is on for bridges (QEMU 6.1+ default).
      argv.add('-global', 'ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off');
    }
  }
  if (config.kernelBoot) {
    argv.add('-kernel', i.resolve(config.kernelBoot.kernel));
    if (config.kernelBoot.initrd) argv.add('-initrd', i.resolve(config.kernelBoot.initrd));
    if (config.kernelBoot.append) argv.add('-append', config.kernelBoot.append);
  }
}

/** The name of the guest's RAM file in its folder, when it has chosen "memory in a file". */
export const RAM_FILE_NAME = 'memory.ram';

/**
 * "Memory in a file" (config.memoryFile): the guest's RAM is memory.ram in its folder, which a
 * save leaves out (x-ignore-shared) and a restore maps again. A fresh start makes the file anew,
 * empty (a stale RAM must never reach a new boot); a restore needs it as the save left it
 * (saved-state.ts fingerprints it). Returns its path, or null when the choice is off.
 */
function addRamFile(i: FamilyInput): string | null {
  if (!i.config.memoryFile) return null;
  if (!i.qemu.ramFile) {
    throw new PlanError('this QEMU cannot keep guest memory in a file that a save leaves out (it lacks memory-backend-file or the x-ignore-shared migration capability): turn "memory in a file" off', 'memoryFile');
  }
  const path = join(i.ctx.vmDir, RAM_FILE_NAME);
  i.plan.prepare.push(
    i.ctx.incoming
      ? { kind: 'exists', path, what: 'the guest\'s memory file, which its saved state needs', hint: 'it was saved with "memory in a file"; without that file the saved state cannot be restored: start it fresh to discard it' }
      : { kind: 'ram-file', path, sizeMiB: i.config.memoryMiB, why: 'the guest\'s memory, made anew and empty for a fresh start' },
  );
  i.plan.ramFile = path;
  return path;
}

/** The `-cpu` value for this guest on this host. */
export function chooseCpu(i: Pick<FamilyInput, 'config' | 'accel' | 'os' | 'caps' | 'qemu' | 'arch'>): string {
  const { config, accel, os, caps } = i;
  if (config.cpu.model !== 'auto') {
    if (config.cpu.model === 'host' && accel !== 'kvm') {
      throw new PlanError('the "host" CPU model needs KVM; under TCG choose "auto" or a named model', 'cpu.model');
    }
    return config.cpu.model;
  }
  // Apple's guests need a named CPU from the table: one for each release it knows.
  if (os.apple && !os.namedCpu) throw new PlanError(`unknown macOS release "${config.os.version}"`, 'os.version');
  if (os.namedCpu) {
    const named = os.namedCpu;
    // A named Intel model macOS knows, per release (macos-releases.ts says why not `host`);
    // AMD hosts, and TCG everywhere, also get vendor=GenuineIntel: macOS only runs on Intel CPUs.
    const pick = caps.cpu.vendor === 'intel' && accel === 'kvm' ? named.intelHost : named.amdHost;
    if (pick.model === 'host' && accel !== 'kvm') return [named.amdHost.model, ...named.amdHost.flags].join(',');
    return [pick.model, ...pick.flags].join(',');
  }
  if (accel === 'tcg') return i.qemu.maxCpu ? 'max' : i.arch.tcgCpuWithoutMax;
  return os.hyperV ? ['host', ...HYPERV_FLAGS].join(',') : 'host';
}
