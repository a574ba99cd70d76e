import { VM_CONFIG_VERSION } from '../vm-config';
import { parseVmConfig } from '../migrations';
import { osTraits } from '../os/os-table';
import { defaultCores, defaultMemory, sharesFrom } from './common';
import type { PresetOptions, PresetResult } from './types';

export function windowsPreset(version: '10' | '11', o: PresetOptions): PresetResult {
  const w11 = version === '11';
  const os = osTraits('windows', version);
  // With the virtio-win disc setup can load the virtio drivers (the OS table says which devices).
  const virtio = Boolean(o.driversIso && os.withDriverDisc);
  const dev = (virtio && os.withDriverDisc) || os.builtIn;
  const media = [
    ...(o.iso ? [{ id: 'install0', role: 'install' as const, path: o.iso, format: 'raw' as const, as: 'cdrom' as const, bus: 'sata' as const }] : []),
    // The ids the launch plan always gave these drives (so saved guests' commands stay the same).
    ...(o.driversIso ? [{ id: o.iso ? 'drivers1' : 'drivers0', role: 'drivers' as const, path: o.driversIso, format: 'raw' as const, as: 'cdrom' as const, bus: 'sata' as const }] : []),
  ];
  const config = parseVmConfig({
    schemaVersion: VM_CONFIG_VERSION,
    name: o.name,
    title: o.title ?? `Windows ${version}`,
    os: { family: 'windows', version },
    preset: `windows-${version}`,
    machine: 'q35',
    firmware: os.requires.firmware ?? 'uefi',
    cpu: { cores: Math.max(2, defaultCores(o, 4)), model: 'auto' },
    memoryMiB: defaultMemory(o, w11 ? 8192 : 4096, 4096),
    disks: [{ id: 'system', path: 'disk.qcow2', format: 'qcow2', size: o.diskSize ?? '80G', bus: dev.diskBus }],
    media,
    network: { mode: 'user', nic: dev.nic, portForwards: [] },
    display: { device: os.display, viewer: 'guestbay', window: 'gtk', gl: false },
    sharedFolders: sharesFrom(o.shares, dev.shareMethod),
    usb: { controller: 'xhci', hostDevices: [] },
    input: { keyboard: 'usb', pointer: 'usb-tablet' },
    audio: { device: 'auto', backend: 'auto' },
    tpm: { enabled: os.requires.tpm ?? false },
  });
  return {
    config,
    reasons: {
      firmware: w11
        ? 'UEFI with Secure Boot: Windows 11 refuses to install without it'
        : 'UEFI: Windows 10 installs either way; UEFI allows disks over 2 TiB and a later move to 11',
      'tpm.enabled': w11 ? 'TPM 2.0 (swtpm): required by Windows 11; its state stays with the guest' : 'no TPM: Windows 10 does not need one',
      'cpu.model': 'auto: the host CPU with Hyper-V enlightenments under KVM (Windows keeps time and schedules far better)',
      'cpu.cores': 'at least 2 cores: Windows 11 requires two',
      memoryMiB: w11 ? '8 GiB (4 GiB is Windows 11\'s minimum)' : '4 GiB: comfortable for Windows 10',
      'disks.0.size': '80 GiB: Windows 11 requires 64 GiB; updates need the headroom',
      'disks.0.bus': virtio
        ? 'virtio-blk: fastest; setup loads its driver from the virtio-win disc (Load driver → viostor)'
        : 'SATA: Windows setup sees it without drivers; add the virtio-win disc for virtio-blk',
      'network.nic': virtio ? 'virtio-net: up to ~10× the throughput of emulated NICs (driver on the virtio-win disc)' : 'e1000e: Windows has the driver built in',
      'display.device': 'std VGA: Windows\' basic display driver drives it out of the box',
      sharedFolders: virtio
        ? 'virtiofs: needs virtio-win\'s VirtIO-FS service and WinFsp in the guest'
        : 'SMB: Windows mounts \\\\10.0.2.4\\qemu with nothing to install',
      'audio.device': 'auto: Intel HDA, which Windows drives out of the box (its virtio-sound driver comes only with virtio-win)',
    },
  };
}
