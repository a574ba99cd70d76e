// Which boot loader holds this host's kernel command line, from the files it leaves, and the steps
// to add the IOMMU parameters with it (pure once the facts are read: iommu-report.ts reads them).
import type { BootLoader } from '../../shared/iommu-report';

export interface BootFacts {
  /** Host paths found among BOOT_FILES. */
  present: string[];
  /** systemd-boot's entry files (under a loader/entries folder), if any. */
  entries: string[];
  /** /etc/os-release's ID and ID_LIKE words. */
  distroIds: string[];
}

export const LIMINE_FILES = ['/etc/default/limine', '/boot/limine.conf', '/boot/limine/limine.conf', '/boot/EFI/limine/limine.conf', '/efi/limine/limine.conf'];
export const SYSTEMD_BOOT_FILES = ['/boot/loader/loader.conf', '/efi/loader/loader.conf', '/boot/efi/loader/loader.conf', '/etc/kernel/cmdline'];
export const GRUB_FILES = ['/etc/default/grub'];
export const BOOT_FILES = [...LIMINE_FILES, ...SYSTEMD_BOOT_FILES, ...GRUB_FILES];
export const ENTRY_DIRS = ['/boot/loader/entries', '/efi/loader/entries', '/boot/efi/loader/entries'];

/** Limine first: Manjaro's and CachyOS's Limine installs can leave a GRUB default file behind. */
export function detectBootLoader(f: BootFacts): BootLoader {
  const has = (list: string[]) => list.some((p) => f.present.includes(p));
  if (has(LIMINE_FILES)) return 'limine';
  if (has(SYSTEMD_BOOT_FILES) || f.entries.length) return 'systemd-boot';
  if (has(GRUB_FILES)) return 'grub';
  return 'unknown';
}

export function iommuParams(vendor: 'amd' | 'intel' | 'other'): string[] {
  // AMD-Vi is on by default once the firmware enables it (`amd_iommu=on` is not a value the
  // kernel knows); Intel's VT-d needs intel_iommu=on. iommu=pt keeps the host's own DMA fast.
  return vendor === 'intel' ? ['intel_iommu=on', 'iommu=pt'] : ['iommu=pt'];
}

export function howToEnable(loader: BootLoader, vendor: 'amd' | 'intel' | 'other', f: BootFacts): string[] {
  const params = iommuParams(vendor).join(' ');
  const archLike = f.distroIds.some((id) => ['arch', 'manjaro', 'endeavouros', 'cachyos'].includes(id));
  const steps: string[] = [];
  steps.push(vendor === 'intel' ? 'Turn on VT-d in the firmware (BIOS/UEFI) settings.' : 'Turn on the IOMMU (AMD-Vi, sometimes "IOMMU" or "SVM") in the firmware (BIOS/UEFI) settings.');
  switch (loader) {
    case 'grub':
      steps.push(`Add ${params} to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub.`);
      steps.push(archLike ? 'Write GRUB\'s menu again: sudo grub-mkconfig -o /boot/grub/grub.cfg' : 'Write GRUB\'s menu again: sudo update-grub');
      break;
    case 'systemd-boot':
      if (f.present.includes('/etc/kernel/cmdline')) {
        steps.push(`Add ${params} to /etc/kernel/cmdline.`);
        steps.push(archLike ? 'Build the boot images again: sudo mkinitcpio -P' : 'Install the kernel again: sudo kernel-install add "$(uname -r)" /boot/vmlinuz-"$(uname -r)"');
      } else {
        const entries = f.entries.length ? f.entries.join(', ') : '/boot/loader/entries/*.conf';
        steps.push(`Add ${params} to the "options" line of each boot entry: ${entries}.`);
      }
      break;
    case 'limine':
      if (f.present.includes('/etc/default/limine')) {
        steps.push(`Add ${params} to KERNEL_CMDLINE[default] in /etc/default/limine.`);
        steps.push('Write Limine\'s entries again: sudo limine-update');
      } else {
        const conf = LIMINE_FILES.find((p) => p !== '/etc/default/limine' && f.present.includes(p)) ?? '/boot/limine.conf';
        steps.push(`Add ${params} to the "cmdline:" line of each entry in ${conf}.`);
      }
      break;
    case 'unknown':
      steps.push(`Add ${params} to your boot loader's kernel command line.`);
      break;
  }
  steps.push('Reboot. Guestbay reads the groups again when this page opens.');
  return steps;
}
