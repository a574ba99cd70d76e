// What must hold before a guest with PCI devices starts, each failure in plain words with its
// fix: the IOMMU on, each device's group passable, every endpoint of the group bound to vfio-pci,
// /dev/vfio/<group> there and open to this user, and the memory lock limit at least the guest's
// RAM (VFIO pins all of it). Pure over facts; readVfioFacts reads them.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { IommuReport } from '../../shared/iommu-report';
import type { VmConfig } from '../../shared/vm-config';
import { exists, readText } from '../host/files';
import { resolveContext, type ProbeContext, type ProbeOptions } from '../host/options';
import { iommuReport } from './iommu-report';
import type { HostUsbDevice } from '../../shared/contract';
import { listUsbDevices } from '../host/usb';
import { KVMFR_DEVICE, lookingGlassPath, lookingGlassSizeMiB } from '../qemu/plan/looking-glass';
import { checkEvdevAccess, checkKvmfr, checkUsbAccess, deviceAccess, pluggedFor, usbNode, type Access } from './device-access';
import type { Problem } from './problem';
import { passedGpu } from './single-gpu-guard';
import { slotOf, verdictFor } from './verdicts';

export type NodeAccess = 'ok' | 'missing' | 'no-access';

export interface VfioFacts {
  /** /dev/vfio/<group> for each group the guest's devices are in. */
  groupNodes: Record<number, NodeAccess>;
  /** RLIMIT_MEMLOCK's soft limit in bytes; null: unlimited. */
  memlockBytes: number | null;
  user: string;
}

export type { Problem };

const MiB = 1024 * 1024;
const size = (bytes: number) => (bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(bytes % (1024 * MiB) ? 1 : 0)} GiB` : `${Math.round(bytes / 1024)} KiB`);

export const VFIO_UDEV_RULE = 'SUBSYSTEM=="vfio", GROUP="kvm", MODE="0660"';

/**
 * `willBind`: functions the start itself hands to vfio-pci (a single-GPU guest's card): not asked
 * to be bound already, and their groups' /dev/vfio nodes appear only then.
 */
export function checkPciPrerequisites(config: Pick<VmConfig, 'pciDevices' | 'memoryMiB'>, report: Pick<IommuReport, 'enabled' | 'groups' | 'kernelParams'>, facts: VfioFacts, willBind: ReadonlySet<string> = new Set()): Problem[] {
  if (config.pciDevices.length === 0) return [];
  if (!report.enabled) {
    return [{ field: 'pciDevices', message: 'The IOMMU is off, so no PCI device can be passed to a guest.', fix: `Turn it on: the IOMMU page (or guestbay iommu) gives the steps for this computer (${report.kernelParams.join(' ')} on the kernel command line).` }];
  }
  const problems: Problem[] = [];
  const unbound = new Map<string, string>();
  const groups = new Set<number>();
  for (const [i, d] of config.pciDevices.entries()) {
    if (d.mdev) continue; // a GVT-g share: its parent stays with the host's i915
    const field = `pciDevices.${i}.address`;
    const group = report.groups.find((g) => g.devices.some((x) => x.address === d.address));
    const dev = group?.devices.find((x) => x.address === d.address);
    if (!group || !dev) {
      problems.push({ field, message: `There is no PCI device ${d.address} on this computer.`, fix: 'Pick the device again in the guest\'s Passthrough settings (Host → Device passthrough lists this computer\'s devices): its address changes when cards are moved.' });
      continue;
    }
    if (!group.devices.some((x) => willBind.has(x.address))) groups.add(group.id);
    const v = verdictFor(dev, group, report.groups.flatMap((g) => g.devices));
    if (v?.kind === 'cannot') {
      problems.push({ field, message: `${d.address} (${dev.description}) cannot be passed through: ${v.blockers.map((b) => `${b.address} in its IOMMU group is ${b.reason}`).join('; ')}.`, fix: 'Put the card in another slot (one wired to the CPU rather than the chipset), or pass another device.' });
      continue;
    }
    for (const x of group.devices) {
      if (x.classCode.startsWith('0604') || x.driver === 'vfio-pci' || willBind.has(x.address) || unbound.has(x.address)) continue;
      const asked = config.pciDevices.some((p) => p.address === x.address);
      if (!asked && x.driver === null) continue; // VFIO allows a group member no driver holds
      unbound.set(x.address, `${x.address} (${x.description}) is ${x.driver ? `bound to ${x.driver}` : 'bound to no driver'}, not vfio-pci${asked ? '' : ` (it shares IOMMU group ${group.id} with ${d.address})`}`);
    }
  }
  if (unbound.size) {
    const addrs = [...unbound.keys()];
    problems.push({
      field: 'pciDevices',
      message: `${[...unbound.values()].join('; ')}.`,
      fix: `Bind ${addrs.length > 1 ? 'them' : 'it'} to vfio-pci in a terminal: guestbay vfio bind ${addrs.join(' ')} --yes (asks for your password and shows each step first).`,
    });
  } else {
    for (const g of [...groups].sort((a, b) => a - b)) {
      const node = facts.groupNodes[g] ?? 'missing';
      if (node === 'missing') problems.push({ field: 'pciDevices', message: `/dev/vfio/${g} does not exist, though the group is bound to vfio-pci.`, fix: 'Load the VFIO modules: sudo modprobe vfio-pci (and add vfio-pci to /etc/modules-load.d/vfio.conf to keep it).' });
      else if (node === 'no-access') problems.push({ field: 'pciDevices', message: `/dev/vfio/${g} is not open to ${facts.user}: only root may use it.`, fix: `Let the kvm group use it: put ${VFIO_UDEV_RULE} in /etc/udev/rules.d/72-guestbay-vfio.rules, run sudo udevadm control --reload && sudo udevadm trigger, and make sure ${facts.user} is in the kvm group (sudo usermod -aG kvm ${facts.user}, then log in again).` });
    }
  }
  const need = config.memoryMiB * MiB;
  if (facts.memlockBytes !== null && facts.memlockBytes < need) {
    problems.push({
      field: 'memoryMiB',
      message: `The memory lock limit is ${size(facts.memlockBytes)}, but a guest with a passed-through device locks all of its ${size(need)} of memory.`,
      fix: `Raise the limit for ${facts.user}: put "${facts.user} soft memlock unlimited" and "${facts.user} hard memlock unlimited" in /etc/security/limits.d/guestbay.conf and log in again (check with: prlimit --memlock).`,
    });
  }
  return problems;
}

/** RLIMIT_MEMLOCK's soft limit from /proc/self/limits ("Max locked memory  8388608  8388608  bytes"). */
export function parseMemlock(limits: string): number | null | undefined {
  const m = /^Max locked memory\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  return m[1] === 'unlimited' ? null : Number(m[1]);
}

export async function readVfioFacts(ctx: ProbeContext, groups: number[]): Promise<VfioFacts> {
  const groupNodes: Record<number, NodeAccess> = {};
  for (const g of groups) {
    const p = ctx.host(`/dev/vfio/${g}`);
    if (!(await exists(p))) groupNodes[g] = 'missing';
    else groupNodes[g] = (await access(p, constants.R_OK | constants.W_OK).then(() => true, () => false)) ? 'ok' : 'no-access';
  }
  const memlock = parseMemlock((await readText(ctx.host('/proc/self/limits'))) ?? '');
  return { groupNodes, memlockBytes: memlock === undefined ? null : memlock, user: ctx.env.USER ?? ctx.env.LOGNAME ?? 'you' };
}

/** Every passthrough check on this host (or a fixture tree), for the start's preflight. */
export async function passthroughPreflight(config: VmConfig, opts: ProbeOptions & { usb?: () => Promise<HostUsbDevice[]>; singleGpu?: boolean } = {}): Promise<Problem[]> {
  const ctx = resolveContext(opts);
  const user = ctx.env.USER ?? ctx.env.LOGNAME ?? 'you';
  const problems: Problem[] = [];
  if (config.pciDevices.length) {
    const report = await iommuReport(ctx);
    const groups = report.groups.filter((g) => g.devices.some((d) => config.pciDevices.some((p) => p.address === d.address))).map((g) => g.id);
    // Single-GPU passthrough: the guest's GPU card (its functions, as singleGpuSteps binds them) is bound by the start.
    const gpu = opts.singleGpu ? passedGpu(config, report) : undefined;
    const willBind = new Set(gpu ? report.groups.flatMap((g) => g.devices).filter((d) => slotOf(d.address) === slotOf(gpu.address)).map((d) => d.address) : []);
    problems.push(...checkPciPrerequisites(config, report, await readVfioFacts(ctx, groups), willBind));
  }
  const nodes = new Map<string, Access>();
  const look = async (paths: string[]) => {
    for (const p of paths) nodes.set(p, await deviceAccess(ctx.host(p)));
  };
  const get = (p: string): Access => nodes.get(p) ?? 'missing';
  if (config.usb.hostDevices.length) {
    const plugged = await (opts.usb ?? (() => listUsbDevices({ root: ctx.root || undefined })))();
    await look(config.usb.hostDevices.map((d) => pluggedFor(d, plugged)).filter((p): p is HostUsbDevice => !!p).map(usbNode));
    problems.push(...checkUsbAccess(config, plugged, get));
  }
  const e = config.input.evdev;
  if (e) {
    await look([e.keyboard, e.mouse].filter((p): p is string => !!p));
    problems.push(...checkEvdevAccess(config, get, user));
  }
  const lg = config.lookingGlass;
  if (lg) {
    const usesKvmfr = lookingGlassPath(config) === KVMFR_DEVICE;
    if (usesKvmfr) await look([KVMFR_DEVICE]);
    problems.push(...checkKvmfr(config, get(KVMFR_DEVICE), lookingGlassSizeMiB(lg.width, lg.height), usesKvmfr));
  }
  return problems;
}
