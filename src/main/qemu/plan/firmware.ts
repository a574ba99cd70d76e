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
  if (!fw && arch.descriptorArch !== archTraits('x86_64').descriptorArch) {
    throw new PlanError(`no UEFI firmware for ${arch.name} guests was found through QEMU's firmware descriptors: \`guestbay probe\` names the package that adds it`, 'firmware');
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

export function addFirmware(i: FamilyInput): void {
  const { argv } = i;
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
