// The IOMMU view's facts read from sysfs (through the probe's context, so tests point it at a
// fixture tree): the groups the probe reads, each device's reset methods, boot VGA flag, GVT-g
// types and SR-IOV functions, the boot loader and /proc/cmdline. The verdicts are pure.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IommuDevice, IommuReport } from '../../shared/iommu-report';
import { probeCpu } from '../host/cpu';
import { parseOsRelease } from '../host/distro';
import { exists, linkBasename, readText } from '../host/files';
import { probeIommu } from '../host/iommu';
import { resolveContext, type ProbeContext, type ProbeOptions } from '../host/options';
import { className } from '../host/pci-ids';
import { BOOT_FILES, detectBootLoader, ENTRY_DIRS, howToEnable, iommuParams, type BootFacts } from './boot-loader';
import { verdicts } from './verdicts';

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

const int = (s: string | null): number => {
  const n = Number.parseInt((s ?? '').trim(), 10);
  return Number.isFinite(n) ? n : 0;
};

export const pciDir = (ctx: ProbeContext, address: string): string => ctx.host(`/sys/bus/pci/devices/${address}`);

async function details(ctx: ProbeContext, address: string): Promise<Pick<IommuDevice, 'reset' | 'bootVga' | 'mdevTypes' | 'sriov' | 'physfn'>> {
  const dir = pciDir(ctx, address);
  const resetText = await readText(join(dir, 'reset_method'));
  const methods = resetText === null ? null : resetText.trim().split(/\s+/).filter(Boolean);
  const mdevTypes = await Promise.all(
    (await list(join(dir, 'mdev_supported_types'))).map(async (id) => {
      const t = join(dir, 'mdev_supported_types', id);
      const [name, description, available] = await Promise.all([readText(join(t, 'name')), readText(join(t, 'description')), readText(join(t, 'available_instances'))]);
      return { id, name: (name ?? id).trim(), description: (description ?? '').trim().replace(/\s*\n\s*/g, ', '), available: int(available) };
    }),
  );
  const total = await readText(join(dir, 'sriov_totalvfs'));
  const vfLinks = (await list(dir)).filter((n) => /^virtfn\d+$/.test(n)).sort((a, b) => int(a.slice(6)) - int(b.slice(6)));
  const vfs = (await Promise.all(vfLinks.map((l) => linkBasename(join(dir, l))))).filter((a): a is string => a !== null);
  return {
    reset: { methods, flr: methods?.includes('flr') ?? false },
    bootVga: (await readText(join(dir, 'boot_vga')))?.trim() === '1',
    mdevTypes,
    sriov: total === null ? null : { total: int(total), enabled: int(await readText(join(dir, 'sriov_numvfs'))), vfs },
    physfn: await linkBasename(join(dir, 'physfn')),
  };
}

async function bootFacts(ctx: ProbeContext): Promise<BootFacts> {
  const present = (await Promise.all(BOOT_FILES.map(async (p) => ((await exists(ctx.host(p))) ? p : null)))).filter((p): p is string => p !== null);
  const entries = (await Promise.all(ENTRY_DIRS.map(async (d) => (await list(ctx.host(d))).filter((n) => n.endsWith('.conf')).map((n) => `${d}/${n}`)))).flat();
  const os = parseOsRelease((await readText(ctx.host('/etc/os-release'))) ?? '');
  const distroIds = [os.ID ?? '', ...(os.ID_LIKE ?? '').split(/\s+/)].filter(Boolean);
  return { present, entries, distroIds };
}

function igpuNotes(devices: IommuDevice[]): string[] {
  const notes: string[] = [];
  for (const d of devices) {
    if (d.vendorId !== '8086' || !d.classCode.startsWith('03') || d.physfn) continue;
    if (d.mdevTypes.length) {
      notes.push(
        `${d.address} offers GVT-g shares (${d.mdevTypes.map((t) => `${t.id}: ${t.available} free`).join('; ')}). ` +
          'The host needs i915.enable_gvt=1 on the kernel command line and the kvmgt module loaded; a share is created by writing a UUID to ' +
          `/sys/bus/pci/devices/${d.address}/mdev_supported_types/<type>/create and passed with vfio-pci,sysfsdev=/sys/bus/mdev/devices/<UUID>.`,
      );
    } else if (d.sriov) {
      notes.push(
        `${d.address} has SR-IOV: ${d.sriov.enabled} of ${d.sriov.total} virtual functions enabled${d.sriov.vfs.length ? ` (${d.sriov.vfs.join(', ')})` : ''}. ` +
          `More are enabled by writing a number to /sys/bus/pci/devices/${d.address}/sriov_numvfs; the xe driver needs xe.max_vfs=N on the kernel command line (i915 needs the out-of-tree i915-sriov module). ` +
          'Each virtual function is passed by its address like any PCI device; the guest needs Intel\'s graphics driver for it.',
      );
    } else if (d.bootVga || d.address.endsWith(':00:02.0')) {
      notes.push(`${d.address} offers no GVT-g types or SR-IOV functions: GVT-g (Broadwell to Comet Lake) needs i915.enable_gvt=1 and kvmgt; newer iGPUs share through SR-IOV.`);
    }
  }
  return notes;
}

export async function iommuReport(opts: ProbeOptions | ProbeContext = {}): Promise<IommuReport> {
  const ctx = 'host' in opts && typeof opts.host === 'function' ? (opts as ProbeContext) : resolveContext(opts as ProbeOptions);
  const [base, cpu, facts, cmdline] = await Promise.all([probeIommu(ctx), probeCpu(ctx), bootFacts(ctx), readText(ctx.host('/proc/cmdline'))]);
  const groups = await Promise.all(
    base.groups.map(async (g) => ({
      id: g.id,
      devices: await Promise.all(g.devices.map(async (d) => ({ ...d, className: className(d.classCode), ...(await details(ctx, d.address)) }))),
    })),
  );
  const loader = detectBootLoader(facts);
  const params = iommuParams(cpu.vendor);
  const words = (cmdline ?? '').trim().split(/\s+/);
  return {
    enabled: base.enabled,
    cpuVendor: cpu.vendor,
    bootLoader: loader,
    kernelParams: params,
    paramsPresent: params.every((p) => words.includes(p)),
    howToEnable: howToEnable(loader, cpu.vendor, facts),
    groups,
    verdicts: verdicts(groups),
    igpuNotes: igpuNotes(groups.flatMap((g) => g.devices)),
  };
}
