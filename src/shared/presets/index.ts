// Named starting points: "Windows 11" or "macOS Sonoma" → a complete VmConfig with a reason
// for every choice. Presets are host-independent; the launch plan adapts CPU, accelerator and
// backends to the host at start, so an image moved to another machine keeps working.
import { MACOS_RELEASES } from '../os/macos-releases';
import { linuxPreset } from './linux';
import { macosPreset } from './macos';
import type { PresetInfo, PresetOptions, PresetResult } from './types';
import { windowsPreset } from './windows';

export type { PresetInfo, PresetOptions, PresetResult } from './types';
export { MACOS_BOOTLOADER, MACOS_DEFAULT_RESOLUTION, MACOS_RECOVERY } from './macos';

export const PRESETS: readonly PresetInfo[] = [
  {
    id: 'linux',
    title: 'Linux',
    family: 'linux',
    version: 'generic',
    description: 'Any current distribution, all-virtio',
    summary: 'Any current distribution. Every device is virtio: fast, with drivers in the kernel.',
  },
  {
    id: 'linux-aarch64',
    title: 'Linux for ARM (aarch64)',
    family: 'linux',
    version: 'generic',
    arch: 'aarch64',
    description: 'ARM64 distribution, emulated, UEFI',
    summary: 'An ARM64 (aarch64) distribution on QEMU’s virt board with UEFI. Emulated on a PC: many times slower than a PC guest.',
  },
  {
    id: 'linux-riscv64',
    title: 'Linux for RISC-V (riscv64)',
    family: 'linux',
    version: 'generic',
    arch: 'riscv64',
    description: 'RISC-V distribution, emulated, OpenSBI + U-Boot',
    summary: 'A RISC-V (riscv64) distribution on QEMU’s virt board: QEMU’s own OpenSBI starts U-Boot, which boots the disk (or a kernel you give). Emulated on a PC: many times slower than a PC guest.',
  },
  {
    id: 'windows-10',
    title: 'Windows 10',
    family: 'windows',
    version: '10',
    description: 'UEFI, Hyper-V enlightenments',
    summary: 'UEFI with Hyper-V enlightenments. Add the virtio-win disc for fast disk and network.',
  },
  {
    id: 'windows-11',
    title: 'Windows 11',
    family: 'windows',
    version: '11',
    description: 'UEFI with Secure Boot and TPM 2.0',
    summary: 'Needs UEFI with Secure Boot and a TPM 2.0: both are set up for you.',
  },
  ...MACOS_RELEASES.map((r) => ({
    id: `macos-${r.key}`,
    // The release's name already says "macOS" ("macOS Sonoma").
    title: r.name,
    family: 'macos' as const,
    version: r.key,
    description: `macOS ${r.version} via OpenCore`,
    summary: 'Through OpenCore, downloaded from Apple’s recovery servers.',
  })),
];

export function buildPreset(id: string, o: PresetOptions): PresetResult {
  if (id === 'linux') return linuxPreset(o);
  if (id === 'linux-aarch64') return linuxPreset(o, 'aarch64');
  if (id === 'linux-riscv64') return linuxPreset(o, 'riscv64');
  if (id === 'windows-10') return windowsPreset('10', o);
  if (id === 'windows-11') return windowsPreset('11', o);
  if (id.startsWith('macos-') && PRESETS.some((p) => p.id === id)) return macosPreset(id.slice('macos-'.length), o);
  throw new Error(`unknown preset "${id}"; choose one of: ${PRESETS.map((p) => p.id).join(', ')}`);
}
