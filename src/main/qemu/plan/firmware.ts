// BIOS or UEFI: the firmware comes only from QEMU's firmware descriptors (as the host probe
// found them), each guest with its own copy of the UEFI variable store.
import { basename } from 'node:path';
import { pickFirmware } from '../../../shared/firmware-pick';
import { archTraits } from '../../../shared/os/arch-table';
import { opts } from '../qemu-opts';
import type { FirmwareEntry } from '../../../shared/host-caps';
import { PlanError, type FamilyInput } from './types';

/** The UEFI build for this guest, chosen before `-machine` is written (it may need SMM). */
export function selectFirmware(i: Pick<FamilyInput, 'config' | 'caps' | 'qemu'>): FirmwareEntry | undefined {
  const { config, caps, qemu } = i;
  // SeaBIOS (PC) or OpenSBI (RISC-V) is QEMU's built-in default: nothing to add.
  if (config.firmware === 'bios') return undefined;
  const secureBoot = config.firmware === 'uefi-secure';
  const machine = qemu.machineAliases[config.machine] ?? config.machine;
  const arch = archTraits(config.arch);
  const fw = pickFirmware(caps.firmware, { type: 'uefi', secureBoot, machine, architecture: arch.descriptorArch });
  // RISC-V without EDK2: U-Boot (addBootloader) is a UEFI too, enough to boot the disk's
  // removable path (\EFI\BOOT\BOOTRISCV64.EFI).
  if (!fw && arch.diskBootloader === 'u-boot' && caps.uboot[config.arch]) return undefined;
  if (!fw && arch.descriptorArch !== archTraits('x86_64').descriptorArch) {
    throw new PlanError(
      `no UEFI firmware for ${arch.name} guests was found through QEMU's firmware descriptors${arch.diskBootloader === 'u-boot' ? ', nor U-Boot' : ''}: \`guestbay probe\` names the package that adds it`,
      'firmware',
    );
  }
  if (!fw) {
    throw new PlanError(
      secureBoot
        ? 'no UEFI firmware with Secure Boot was found through QEMU\'s firmware descriptors (install edk2-ovmf)'
        : 'no UEFI firmware was found through QEMU\'s firmware descriptors (install edk2-ovmf)',
      'firmware',
    );
  }
  return fw;
}

/** Whether the chosen firmware needs SMM (every Secure Boot build does). */
export function needsSmm(i: Pick<FamilyInput, 'config' | 'firmware'>): boolean {
  return i.config.firmware === 'uefi-secure' || Boolean(i.firmware?.requiresSmm);
}

/**
 * RISC-V's OpenSBI starts whatever QEMU loads as the kernel. A guest with its own kernel gets that;
 * any other gets U-Boot's S-mode build there, which boots the disk (extlinux.conf, boot.scr or
 * the removable UEFI path) — unless EDK2 from a descriptor is in flash, which OpenSBI starts instead.
 */
function addBootloader(i: FamilyInput): void {
  const { config } = i;
  if (config.kernelBoot || i.arch.diskBootloader !== 'u-boot' || i.firmware) return;
  const uboot = i.caps.uboot[config.arch];
  if (!uboot) {
    throw new PlanError(
      `no U-Boot for ${i.arch.name} guests was found, so this guest cannot boot from its disk (OpenSBI starts only a kernel it is given): \`guestbay probe\` names the package that adds it, or give the guest its own kernel`,
      'firmware',
    );
  }
  i.argv.add('-kernel', uboot);
  if (config.firmware === 'uefi') {
    i.warn('uefi-u-boot', `No EDK2 UEFI for ${i.arch.name} was found through QEMU's firmware descriptors: U-Boot boots the disk through its own UEFI (the removable path \\EFI\\BOOT\\), and keeps no boot entries between starts.`);
  }
}

export function addFirmware(i: FamilyInput): void {
  const { argv } = i;
  addBootloader(i);
  const fw = i.firmware;
  if (!fw) return;
  argv.add('-drive', opts(null, { if: 'pflash', unit: 0, format: fw.format, readonly: true, file: fw.executable }));
  if (fw.varsTemplate) {
    const vars = `${i.ctx.vmDir}/efivars-${basename(fw.varsTemplate).replace(/\.[^.]+$/, '')}.qcow2`;
    i.plan.prepare.push({
      kind: 'vars',
      from: fw.varsTemplate,
      format: fw.format,
      to: vars,
      why: 'each guest keeps its own UEFI variables (boot entries, Secure Boot keys); qcow2 so snapshots include them',
    });
    i.plan.writableFiles.push(vars);
    argv.add('-drive', opts(null, { if: 'pflash', unit: 1, format: 'qcow2', file: vars }));
  }
  if (needsSmm(i)) {
    // Only SMM code may write the Secure Boot variables; QEMU enforces it on the flash device.
    argv.add('-global', 'driver=cfi.pflash01,property=secure,value=on');
  }
  if (needsSmm(i) && i.accel === 'tcg') {
    i.warn('secure-boot-tcg', 'Secure Boot under TCG works but SMM emulation makes firmware start slowly.');
  }
}
