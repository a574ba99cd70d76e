// What to install, per distribution family, for each component the findings can miss.
import type { Distro } from './distro';

export type Component = 'qemu' | 'qemu-img' | 'ovmf' | 'virtiofsd' | 'swtpm' | 'smbd' | 'remote-viewer' | ArchComponent;

/** The other architectures' emulators, and the AArch64 UEFI (riscv64 starts with QEMU's own OpenSBI). */
export type ArchComponent = 'qemu-aarch64' | 'qemu-riscv64' | 'uefi-aarch64';

const PACKAGES: Record<Exclude<Distro['family'], 'other'>, Record<Component, string>> = {
  // qemu-full pulls every QEMU module; qemu-desktop is the smaller choice for x86 guests.
  arch: {
    qemu: 'qemu-full',
    'qemu-img': 'qemu-img',
    ovmf: 'edk2-ovmf',
    virtiofsd: 'virtiofsd',
    swtpm: 'swtpm',
    smbd: 'samba',
    'remote-viewer': 'virt-viewer',
    // qemu-full has them all; these are the split packages for a smaller install.
    'qemu-aarch64': 'qemu-system-aarch64',
    'qemu-riscv64': 'qemu-system-riscv',
    'uefi-aarch64': 'edk2-aarch64',
  },
  // Debian 12 ships the C virtiofsd inside qemu-system-common; 13 has a virtiofsd package.
  debian: {
    qemu: 'qemu-system-x86',
    'qemu-img': 'qemu-utils',
    ovmf: 'ovmf',
    virtiofsd: 'virtiofsd',
    swtpm: 'swtpm',
    smbd: 'samba',
    'remote-viewer': 'virt-viewer',
    // The ARM emulators come together; RISC-V is among "misc" (with OpenSBI as a dependency).
    'qemu-aarch64': 'qemu-system-arm',
    'qemu-riscv64': 'qemu-system-misc',
    'uefi-aarch64': 'qemu-efi-aarch64',
  },
  fedora: {
    qemu: 'qemu-system-x86',
    'qemu-img': 'qemu-img',
    ovmf: 'edk2-ovmf',
    virtiofsd: 'virtiofsd',
    swtpm: 'swtpm',
    smbd: 'samba',
    'remote-viewer': 'virt-viewer',
    'qemu-aarch64': 'qemu-system-aarch64',
    'qemu-riscv64': 'qemu-system-riscv',
    'uefi-aarch64': 'edk2-aarch64',
  },
};

export function packageName(family: Distro['family'], component: Component): string | undefined {
  return family === 'other' ? undefined : PACKAGES[family][component];
}

export function installCommand(family: Distro['family'], component: Component): string | undefined {
  const pkg = packageName(family, component);
  if (!pkg) return undefined;
  if (family === 'arch') return `sudo pacman -S --needed ${pkg}`;
  if (family === 'debian') return `sudo apt install ${pkg}`;
  return `sudo dnf install ${pkg}`;
}
