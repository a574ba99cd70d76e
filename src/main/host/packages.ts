// What to install, per distribution family, for each component the findings can miss.
import type { Distro } from './distro';

export type Component = 'qemu' | 'qemu-img' | 'ovmf' | 'virtiofsd' | 'swtpm' | 'smbd' | 'remote-viewer' | ArchComponent;

/**
 * The other architectures' emulators, the AArch64 UEFI, and what boots a RISC-V guest's disk
 * (QEMU's own OpenSBI starts only a kernel: U-Boot or EDK2 must follow it).
 */
export type ArchComponent = 'qemu-aarch64' | 'qemu-riscv64' | 'uefi-aarch64' | 'boot-riscv64';

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
    // Arch packages no U-Boot for QEMU; its EDK2 build for riscv64 comes with a firmware descriptor.
    'boot-riscv64': 'edk2-riscv64',
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
    // U-Boot's S-mode build for QEMU (qemu-riscv64_smode), in Debian 12 and 13 alike; trixie also
    // has EDK2 as qemu-efi-riscv64, Debian 12 has none.
    'boot-riscv64': 'u-boot-qemu',
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
    // EDK2 for riscv64, with its firmware descriptor (noarch, in the x86_64 repositories).
    'boot-riscv64': 'edk2-riscv64',
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
