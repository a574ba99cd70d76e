// What the IOMMU view shows (the app's IOMMU page and `guestbay iommu`): whether the IOMMU is on
// and how to turn it on with this host's boot loader, every group with its devices, and for each
// GPU, GPU audio function and USB controller whether it can go to a guest. Built by
// src/main/passthrough/iommu-report.ts from sysfs; the verdicts are pure (verdicts.ts).
import { z } from 'zod';

export const bootLoader = z.enum(['grub', 'systemd-boot', 'limine', 'unknown']);
export type BootLoader = z.infer<typeof bootLoader>;

export const pciReset = z.object({
  /** sysfs `reset_method` (kernel 5.15+), e.g. ['flr', 'bus']; null when the file is absent. */
  methods: z.array(z.string()).nullable(),
  flr: z.boolean(),
});

export const mdevType = z.object({
  /** The folder under mdev_supported_types, e.g. `i915-GVTg_V5_4`. */
  id: z.string(),
  name: z.string(),
  description: z.string(),
  available: z.number().int(),
});

export const iommuDevice = z.object({
  address: z.string(),
  vendorId: z.string(),
  deviceId: z.string(),
  classCode: z.string(),
  /** The class in words, e.g. `VGA compatible controller`. */
  className: z.string(),
  description: z.string(),
  driver: z.string().nullable(),
  reset: pciReset,
  /** The firmware drew the boot screen on it: the host's display runs on this GPU. */
  bootVga: z.boolean(),
  /** Intel GVT-g (and other mediated device) types this function offers. */
  mdevTypes: z.array(mdevType),
  /** SR-IOV: how many virtual functions it can have, and the addresses of those it has. */
  sriov: z.object({ total: z.number().int(), enabled: z.number().int(), vfs: z.array(z.string()) }).nullable(),
  /** This function is itself an SR-IOV virtual function of `physfn`. */
  physfn: z.string().nullable(),
});
export type IommuDevice = z.infer<typeof iommuDevice>;

export const verdictKind = z.enum(['alone', 'whole-group', 'cannot']);
export type VerdictKind = z.infer<typeof verdictKind>;

export const passthroughVerdict = z.object({
  address: z.string(),
  role: z.enum(['gpu', 'gpu-audio', 'usb-controller']),
  kind: verdictKind,
  /** One sentence in plain words. */
  summary: z.string(),
  /** What must go to the guest with it (vfio-pci for each). */
  together: z.array(z.string()),
  /** Devices in the group that stay bound to the host and are allowed to (PCI bridges). */
  staysWithHost: z.array(z.string()),
  /** Why it cannot go: each device the host needs, with the reason. */
  blockers: z.array(z.object({ address: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
});
export type PassthroughVerdict = z.infer<typeof passthroughVerdict>;

export const iommuReport = z.object({
  enabled: z.boolean(),
  cpuVendor: z.enum(['amd', 'intel', 'other']),
  bootLoader,
  /** The kernel parameters this CPU vendor needs, and whether /proc/cmdline has them already. */
  kernelParams: z.array(z.string()),
  paramsPresent: z.boolean(),
  /** Steps to add the parameters with the boot loader found, in order. */
  howToEnable: z.array(z.string()),
  groups: z.array(z.object({ id: z.number().int(), devices: z.array(iommuDevice) })),
  verdicts: z.array(passthroughVerdict),
  /** Intel GVT-g / SR-IOV: what the host needs for the iGPU's shares, when it has any. */
  igpuNotes: z.array(z.string()),
});
export type IommuReport = z.infer<typeof iommuReport>;
