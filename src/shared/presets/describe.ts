// A preset as the wizard asks it (`presets.list`): its guest OS's traits from the OS table, and
// the settings it really makes on this host, built by the preset itself — so the app shows the
// preset's values instead of keeping copies of them that drift.
import type { PresetDefaults, PresetDescription } from '../contract';
import { osTraits } from '../os/os-table';
import { archWhy } from '../os/arch-table';
import type { GuestArch } from '../vm-choices';
import { buildPreset } from './index';
import type { PresetInfo, PresetOptions } from './types';

// Stand-ins for what the user gives later: they change what the preset chooses, never a path
// the description shows.
const SHARE = '/shared';
const DRIVER_DISC = '/drivers.iso';
const KERNEL = '/vmlinuz';

/** `hostArch`: the machine's own architecture, which decides whether a preset's guest is emulated. */
export function describePreset(info: PresetInfo, host?: PresetOptions['host'], hostArch: GuestArch | null = 'x86_64'): PresetDescription {
  const os = osTraits(info.family, info.version);
  const defaultsWith = (o: Partial<PresetOptions>): PresetDefaults => {
    const c = buildPreset(info.id, { name: 'preset', host, shares: [SHARE], ...o }).config;
    const system = c.disks[0];
    const share = c.sharedFolders[0];
    if (!system?.size || !share) throw new Error(`preset ${info.id} made no system disk or share to describe`);
    return {
      firmware: c.firmware,
      tpm: c.tpm.enabled,
      cores: c.cpu.cores,
      memoryMiB: c.memoryMiB,
      diskSize: system.size,
      diskBus: system.bus,
      nic: c.network.nic,
      display: c.display.device,
      shareMethod: share.method,
    };
  };
  const arch = info.arch ?? 'x86_64';
  return {
    ...info,
    arch,
    archWhy: archWhy(arch, hostArch),
    traits: {
      shareMethods: [...os.shareMethods],
      driverDisc: os.withDriverDisc !== undefined,
      kernelBoot: os.kernelBoot,
      requires: { ...os.requires },
    },
    defaults: defaultsWith({}),
    withDriverDisc: os.withDriverDisc ? defaultsWith({ driversIso: DRIVER_DISC }) : undefined,
    withKernel: os.kernelBoot ? defaultsWith({ kernel: KERNEL }) : undefined,
  };
}
