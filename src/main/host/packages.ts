// What to install, per distribution family, for each component the findings can miss.
import type { Distro } from './distro';

export type Component = 'qemu' | 'qemu-img' | 'ovmf' | 'virtiofsd' | 'swtpm' | 'smbd' | 'remote-viewer';

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
  },
  fedora: {
    qemu: 'qemu-system-x86',
    'qemu-img': 'qemu-img',
    ovmf: 'edk2-ovmf',
    virtiofsd: 'virtiofsd',
    swtpm: 'swtpm',
    smbd: 'samba',
    'remote-viewer': 'virt-viewer',
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
