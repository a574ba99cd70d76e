// Whether a guest may use single-GPU passthrough (the host gives up its only GPU while the guest
// runs): only when the guest passes a GPU through and this computer has exactly one GPU. With a
// second GPU the host keeps its screen on it and the ordinary passthrough is the right one; with
// none passed there is nothing to give. Pure over the IOMMU groups (the probe's, or a report's);
// asked when the setting is turned on and again before each start.
import type { FieldError, VmConfig } from '../../shared/vm-config';

interface GroupDevice {
  address: string;
  classCode: string;
  description: string;
  /** An SR-IOV virtual function of another GPU: a share of it, not a GPU of its own. */
  physfn?: string | null;
}
interface Groups {
  enabled: boolean;
  groups: { id: number; devices: GroupDevice[] }[];
}

/** The host's GPUs (display controllers, class 03), SR-IOV virtual functions left out. */
export function hostGpus(iommu: Groups): GroupDevice[] {
  return iommu.groups.flatMap((g) => g.devices).filter((d) => d.classCode.startsWith('03') && !d.physfn);
}

/** The GPU this guest is given (a whole function, not a GVT-g share), if any. */
export function passedGpu(config: Pick<VmConfig, 'pciDevices'>, iommu: Groups): GroupDevice | undefined {
  const gpus = hostGpus(iommu);
  for (const p of config.pciDevices) {
    if (p.mdev) continue;
    const g = gpus.find((x) => x.address === p.address);
    if (g) return g;
  }
  return undefined;
}

/** Why this guest cannot use single-GPU passthrough on this host, field by field; [] when it can. */
export function singleGpuProblems(config: Pick<VmConfig, 'pciDevices' | 'singleGpu'>, iommu: Groups): FieldError[] {
  if (!config.singleGpu) return [];
  const field = 'singleGpu';
  if (!iommu.enabled) return [{ field, message: 'Single-GPU passthrough needs the IOMMU on, and it is off on this computer: guestbay iommu (or the IOMMU page) says how to turn it on.' }];
  const gpus = hostGpus(iommu);
  const gpu = passedGpu(config, iommu);
  const problems: FieldError[] = [];
  if (!gpu) problems.push({ field, message: 'Single-GPU passthrough gives this guest the computer\'s only GPU, but the guest passes no GPU through: add the GPU to its PCI devices first (guestbay iommu lists it).' });
  if (gpus.length !== 1) {
    const list = gpus.map((d) => `${d.address} ${d.description}`).join('; ');
    problems.push({
      field,
      message:
        gpus.length === 0
          ? 'Single-GPU passthrough is for a computer with exactly one GPU, and this one has none in its IOMMU groups.'
          : `Single-GPU passthrough is for a computer with exactly one GPU, and this one has ${gpus.length} (${list}): pass one of them the ordinary way, and the host keeps its screen on the other.`,
    });
  }
  return problems;
}
