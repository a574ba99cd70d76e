// An edited config, checked as the wizard checks a new one before anything is written: the
// schema (in plain words, misspelt settings named), this host's limits, the files it names
// (only those that changed: a guest keeps working when an old ISO is gone until it is edited),
// and the warnings a change deserves (switching BIOS↔UEFI makes an installed system
// unbootable). Nothing here writes; the editor creates disks and writes the config afterwards.
import { isAbsolute, join, resolve } from 'node:path';
import type { HostCaps } from '../../../shared/host-caps';
import { guestbayFolderSmbProblem } from '../create';
import { migrate, parseVmConfig } from '../../../shared/migrations';
import { strayKeys, type PlainFieldError } from '../../../shared/plain-errors';
import { hostLimits, resourceProblems } from '../../../shared/limits';
import { ConfigError, type Disk, type FieldError, type VmConfig } from '../../../shared/vm-config';
import { imageInfo } from '../../images';
import { kindOf } from '../../host/files';
import { singleGpuProblems } from '../../passthrough/single-gpu-guard';

export interface CheckedEdit {
  config: VmConfig;
  warnings: PlainFieldError[];
  /** Disks to create before the config is written: new, with a size, and no file yet (in the guest's folder). */
  create: Disk[];
  /** Disks the edit removed (their files are kept unless the caller confirmed deleting them). */
  removed: Disk[];
}

export interface CheckContext {
  /** The guest's folder: relative paths in the config are relative to it. */
  vmDir: string;
  caps: HostCaps;
  qemuImg?: string;
}

const isUefi = (f: VmConfig['firmware']) => f !== 'bios';

/** The schema first: a document that does not parse is refused field by field, in plain words. */
export function parseEdited(doc: unknown, name: string): VmConfig {
  let config: VmConfig;
  try {
    config = parseVmConfig(doc);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ field: '', message: (e as Error).message }]);
  }
  const stray = strayKeys(migrate(doc), config);
  if (stray.length) throw new ConfigError(stray);
  if (config.name !== name) {
    throw new ConfigError([{ field: 'name', message: `The name cannot change here: rename the guest instead (guestbay rename ${name} ${config.name}, or Rename on its page).` }]);
  }
  return config;
}

export async function checkEdit(before: VmConfig, doc: unknown, ctx: CheckContext): Promise<CheckedEdit> {
  const config = parseEdited(doc, before.name);
  // This host's limits and the system's minimums, for what changed only (a guest moved here from
  // a larger machine keeps its settings until they are edited; the plan warns at start).
  const osChanged = before.os.family !== config.os.family || before.os.version !== config.os.version;
  const errors: FieldError[] = resourceProblems(config, hostLimits(ctx.caps), {
    cores: osChanged || before.cpu.cores !== config.cpu.cores || before.cpu.threads !== config.cpu.threads,
    memory: osChanged || before.memoryMiB !== config.memoryMiB,
  }).map((p) => (p.field === 'cpu.cores' && before.cpu.cores === config.cpu.cores ? { ...p, field: 'cpu.threads' } : p));
  const warnings: PlainFieldError[] = [];
  const at = (p: string) => (isAbsolute(p) ? p : join(ctx.vmDir, p));

  // Disks: a new or moved one must be an image that exists, or a new image this edit creates.
  const create: Disk[] = [];
  for (const [i, d] of config.disks.entries()) {
    const old = before.disks.find((x) => x.id === d.id);
    if (old && old.path === d.path) continue;
    const path = at(d.path);
    const kind = await kindOf(path);
    if (kind === 'missing') {
      if (d.size === undefined) {
        errors.push({ field: `disks.${i}.path`, message: `The disk image ${path} does not exist: give a size to create a new one, or pick an existing image.` });
      } else if (isAbsolute(d.path) && resolve(d.path, '..') !== ctx.vmDir) {
        errors.push({ field: `disks.${i}.path`, message: `A new disk is created in the guest's folder: name it without a folder (like data.qcow2), or pick an existing image.` });
      } else {
        create.push(d);
      }
      continue;
    }
    if (kind !== 'file') {
      errors.push({ field: `disks.${i}.path`, message: `${path} is not a disk image file: pick an image (qcow2 or raw).` });
      continue;
    }
    try {
      const info = await imageInfo(path, { qemuImg: ctx.qemuImg });
      if (info.format !== 'qcow2' && info.format !== 'raw') {
        errors.push({ field: `disks.${i}.path`, message: `${path} is a ${info.format} image; Guestbay uses qcow2 or raw (convert it: qemu-img convert -O qcow2 …).` });
      } else if (info.format !== d.format) {
        errors.push({ field: `disks.${i}.format`, message: `${path} is a ${info.format} image: set its format to ${info.format}.` });
      }
    } catch (e) {
      const why = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').pop();
      errors.push({ field: `disks.${i}.path`, message: `${path} cannot be read as a disk image: ${why}.` });
    }
  }
  const removed = before.disks.filter((d) => !config.disks.some((x) => x.id === d.id));

  // Media: an image put in a drive must be there.
  for (const [i, m] of config.media.entries()) {
    if (m.path === undefined) continue;
    if (before.media.find((x) => x.id === m.id)?.path === m.path) continue;
    const kind = await kindOf(at(m.path));
    if (kind === 'missing') errors.push({ field: `media.${i}.path`, message: `${at(m.path)} does not exist: pick the image again.` });
    else if (kind !== 'file') errors.push({ field: `media.${i}.path`, message: `${at(m.path)} is not a file: pick a disc image (.iso).` });
  }

  // Shared folders: a new or moved one must be a folder.
  for (const [i, s] of config.sharedFolders.entries()) {
    if (before.sharedFolders.find((x) => x.tag === s.tag)?.hostPath === s.hostPath) continue;
    const kind = await kindOf(s.hostPath);
    if (kind === 'missing') errors.push({ field: `sharedFolders.${i}.hostPath`, message: `The folder ${s.hostPath} does not exist: create it first, or pick another.` });
    else if (kind !== 'dir') errors.push({ field: `sharedFolders.${i}.hostPath`, message: `${s.hostPath} is not a folder: pick a folder to share.` });
    if (s.hostPath === '/') errors.push({ field: `sharedFolders.${i}.hostPath`, message: 'Sharing the whole file system (/) would give the guest every file of this computer: share a folder instead.' });
  }

  // A kernel booted directly: the files must be there when they change.
  if (config.kernelBoot) {
    for (const k of ['kernel', 'initrd'] as const) {
      const p = config.kernelBoot[k];
      if (p === undefined || before.kernelBoot?.[k] === p) continue;
      if ((await kindOf(at(p))) !== 'file') errors.push({ field: `kernelBoot.${k}`, message: `The ${k} ${at(p)} does not exist: pick the file again.` });
    }
  }

  // QEMU serves one SMB share per guest: where the Guestbay folder takes it, another SMB folder is
  // refused (the same rule as create's). Only when the edit brings the clash: a guest that has it
  // from before (a host that lost virtiofsd) keeps its other edits, and the plan warns at start.
  const smb = guestbayFolderSmbProblem(config, ctx.caps);
  if (smb && !guestbayFolderSmbProblem(before, ctx.caps)) errors.push({ field: `sharedFolders.${smb.share}.method`, message: smb.message });
  errors.push(...(await passthroughProblems(before, config)));
  // Single-GPU passthrough: when turned on, or when the PCI devices of a guest that has it change.
  if (config.singleGpu && (!before.singleGpu || JSON.stringify(before.pciDevices) !== JSON.stringify(config.pciDevices))) {
    errors.push(...singleGpuProblems(config, ctx.caps.iommu));
  }

  if (errors.length) throw new ConfigError(errors);

  // Allowed, but said: the UI shows these and the CLI prints them.
  if (isUefi(before.firmware) !== isUefi(config.firmware)) {
    const [from, to] = isUefi(config.firmware) ? ['BIOS', 'UEFI'] : ['UEFI', 'BIOS'];
    warnings.push({
      field: 'firmware',
      message: `Switching from ${from} to ${to} makes a system installed for ${from} unbootable: its boot loader is made for ${from}. Switch back to boot it again.`,
    });
  }
  if (before.firmware === 'uefi-secure' && config.firmware !== 'uefi-secure' && config.os.family === 'windows' && config.os.version === '11') {
    warnings.push({ field: 'firmware', message: 'Windows 11 requires Secure Boot: its setup refuses to install without it, and updates may refuse to run.' });
  }
  if (before.tpm.enabled && !config.tpm.enabled && config.os.family === 'windows' && config.os.version === '11') {
    warnings.push({ field: 'tpm.enabled', message: 'Windows 11 requires a TPM 2.0: without it, its setup refuses to install and BitLocker stops working.' });
  }
  for (const [i, f] of config.network.portForwards.entries()) {
    const known = before.network.portForwards.some((x) => x.protocol === f.protocol && x.hostPort === f.hostPort && x.hostAddress === f.hostAddress);
    if (!known && f.hostAddress !== '127.0.0.1') {
      warnings.push({
        field: `network.portForwards.${i}.hostAddress`,
        message: `Host port ${f.hostPort} is forwarded on ${f.hostAddress}: other machines on your network can reach the guest's port ${f.guestPort}.`,
      });
    }
  }
  for (const d of removed) warnings.push({ field: 'disks', message: `Disk "${d.id}" is no longer attached; its file ${at(d.path)} is kept.` });
  return { config, warnings, create, removed };
}

/**
 * The passthrough settings (the guest page's Passthrough section, `set`, `edit`), one rule each:
 * a PCI function given once, a ROM file that is a file when it changes (QEMU reads it at start),
 * evdev with at least one device and not the same node twice (QEMU would grab it twice).
 */
async function passthroughProblems(before: VmConfig, config: VmConfig): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, d] of config.pciDevices.entries()) {
    const key = d.mdev ?? d.address;
    if (seen.has(key)) errors.push({ field: `pciDevices.${i}.address`, message: `${d.address} is passed to the guest twice: remove one of them.` });
    seen.add(key);
    if (!d.romFile || before.pciDevices.find((x) => x.address === d.address)?.romFile === d.romFile) continue;
    const kind = await kindOf(d.romFile);
    if (kind !== 'file') errors.push({ field: `pciDevices.${i}.romFile`, message: `The ROM file ${d.romFile} ${kind === 'missing' ? 'does not exist' : 'is not a file'}: pick the card's ROM image (.rom or .bin) again.` });
  }
  const e = config.input.evdev;
  if (e && !e.keyboard && !e.mouse) errors.push({ field: 'input.evdev', message: 'Choose a keyboard or a mouse to hand to the guest, or turn evdev input off.' });
  if (e?.keyboard && e.keyboard === e.mouse) errors.push({ field: 'input.evdev.mouse', message: `${e.mouse} is already the keyboard: choose the mouse's own device (its name ends in -event-mouse).` });
  return errors;
}
