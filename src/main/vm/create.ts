// Creating a guest from a preset: every input is checked before anything is written, then the
// store writes the folder, the disk images and the config, or nothing at all.
import { stat } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { CreateOverrides } from '../../shared/contract';
import { buildPreset, type PresetOptions, type PresetResult } from '../../shared/presets';
import { ConfigError, vmName, type FieldError, type VmConfig } from '../../shared/vm-config';
import { parseVmConfig } from '../../shared/migrations';
import { parseSize } from '../../shared/size';
import { createImage, imageInfo } from '../qemu/qemu-img';
import type { Store } from './store';
import { GuestExistsError } from './store';

export interface CreateRequest extends Omit<PresetOptions, 'host'> {
  preset: string;
  /** An installed image to use as the system disk: referenced where it is, never copied. */
  existingDisk?: string;
  /** The wizard's own choices on top of the preset (the contract's schema). */
  overrides?: CreateOverrides;
}

async function kindOf(p: string): Promise<'file' | 'dir' | 'other' | 'missing'> {
  try {
    const s = await stat(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

/** Absolute paths for everything the user named, relative to where they ran the command. */
function absolutize(r: CreateRequest, cwd: string): CreateRequest {
  const abs = (p?: string) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(cwd, p));
  return { ...r, iso: abs(r.iso), driversIso: abs(r.driversIso), kernel: abs(r.kernel), initrd: abs(r.initrd), existingDisk: abs(r.existingDisk), shares: r.shares?.map((s) => abs(s)!) };
}

export async function validateCreate(req: CreateRequest, cwd = process.cwd()): Promise<CreateRequest> {
  const errors: FieldError[] = [];
  const n = vmName.safeParse(req.name);
  if (!n.success) errors.push({ field: 'name', message: n.error.issues[0]!.message });
  if (req.diskSize !== undefined && typeof req.diskSize === 'string') {
    const s = parseSize(req.diskSize);
    if (!s.ok) errors.push({ field: 'diskSize', message: s.error });
  }
  const r = absolutize(req, cwd);
  const wantFile = async (field: string, p: string | undefined, what: string) => {
    if (p === undefined) return;
    const k = await kindOf(p);
    if (k === 'missing') errors.push({ field, message: `${what} ${p} does not exist` });
    else if (k !== 'file') errors.push({ field, message: `${what} ${p} is not a file` });
  };
  await wantFile('iso', r.iso, 'the install image');
  await wantFile('driversIso', r.driversIso, 'the drivers disc');
  await wantFile('kernel', r.kernel, 'the kernel');
  await wantFile('initrd', r.initrd, 'the initrd');
  // Referenced where it is for the guest's whole life, so it must not depend on a working directory.
  if (req.existingDisk !== undefined && !isAbsolute(req.existingDisk)) errors.push({ field: 'existingDisk', message: `the disk image must be given as an absolute path, not ${req.existingDisk}` });
  else await wantFile('existingDisk', r.existingDisk, 'the disk image');
  if (r.initrd && !r.kernel) errors.push({ field: 'initrd', message: 'an initrd needs a kernel (--kernel)' });
  for (const [i, s] of (r.shares ?? []).entries()) {
    const k = await kindOf(s);
    if (k === 'missing') errors.push({ field: `shares.${i}`, message: `the shared folder ${s} does not exist` });
    else if (k !== 'dir') errors.push({ field: `shares.${i}`, message: `the shared folder ${s} is not a folder` });
  }
  if (errors.length) throw new ConfigError(errors);
  return r;
}

/** What a preset sizes a new guest by: this machine's threads and RAM. */
export function hostLimits(): NonNullable<PresetOptions['host']> {
  return { threads: cpus().length, memoryMiB: Math.floor(totalmem() / 2 ** 20) };
}

/** The guest a create would make, checked, with nothing written (the wizard's review page). */
export async function previewGuest(req: CreateRequest, opts: { cwd?: string; qemuImg?: string } = {}): Promise<PresetResult> {
  const r = await validateCreate(req, opts.cwd);
  let result: PresetResult;
  try {
    result = buildPreset(r.preset, { ...r, host: hostLimits() });
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ field: 'preset', message: (e as Error).message }]);
  }
  let config: VmConfig = result.config;
  const reasons = { ...result.reasons };
  if (r.existingDisk) {
    let info;
    try {
      info = await imageInfo(r.existingDisk, opts.qemuImg);
    } catch (e) {
      const why = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').pop();
      throw new ConfigError([{ field: 'existingDisk', message: `${r.existingDisk} cannot be read as a disk image: ${why}` }]);
    }
    if (info.format !== 'qcow2' && info.format !== 'raw') {
      throw new ConfigError([{ field: 'existingDisk', message: `${r.existingDisk} is a ${info.format} image; Guestbay uses qcow2 or raw (convert it: qemu-img convert -O qcow2 …)` }]);
    }
    const format = info.format;
    config = { ...config, disks: config.disks.map((d, i) => (i === 0 ? { ...d, path: r.existingDisk!, format, size: undefined } : d)) };
    delete reasons['disks.0.size'];
    delete reasons['disks.0.format'];
    reasons['disks.0.path'] = 'your installed image, used where it is: never copied, and never deleted with the guest';
  }
  if (r.overrides || r.existingDisk) config = applyOverrides(config, r.overrides ?? {}, reasons);
  return { config, reasons };
}

/** Where each override lands in a VmConfig, and the reason key that explains that setting. */
const OVERRIDE_FIELDS: Record<keyof NonNullable<CreateRequest['overrides']>, { path: RegExp; reason: string }> = {
  firmware: { path: /^firmware$/, reason: 'firmware' },
  cores: { path: /^cpu\.cores$/, reason: 'cpu.cores' },
  memoryMiB: { path: /^memoryMiB$/, reason: 'memoryMiB' },
  diskBus: { path: /^disks\.0\.bus$/, reason: 'disks.0.bus' },
  nic: { path: /^network\.nic$/, reason: 'network.nic' },
  display: { path: /^display\.device$/, reason: 'display.device' },
  shareMethod: { path: /^sharedFolders\.\d+\.method$/, reason: 'sharedFolders' },
  tpm: { path: /^tpm(\.enabled)?$/, reason: 'tpm.enabled' },
};

/**
 * The wizard's choices (and an installed disk) on top of the preset, checked again as a whole;
 * errors name the override, so the wizard shows them next to its own control.
 */
function applyOverrides(config: VmConfig, o: NonNullable<CreateRequest['overrides']>, reasons: Record<string, string>): VmConfig {
  let next: VmConfig;
  try {
    next = parseVmConfig({
      ...config,
      firmware: o.firmware ?? config.firmware,
      cpu: { ...config.cpu, cores: o.cores ?? config.cpu.cores },
      memoryMiB: o.memoryMiB ?? config.memoryMiB,
      disks: config.disks.map((d, i) => (i === 0 && o.diskBus ? { ...d, bus: o.diskBus } : d)),
      network: { ...config.network, nic: o.nic ?? config.network.nic },
      display: { ...config.display, device: o.display ?? config.display.device },
      sharedFolders: config.sharedFolders.map((s) => ({ ...s, method: o.shareMethod ?? s.method })),
      tpm: { ...config.tpm, enabled: o.tpm ?? config.tpm.enabled },
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(
      e.errors.map((f) => {
        const key = (Object.keys(OVERRIDE_FIELDS) as (keyof typeof OVERRIDE_FIELDS)[]).find((k) => o[k] !== undefined && OVERRIDE_FIELDS[k].path.test(f.field));
        if (key) return { field: `overrides.${key}`, message: f.message };
        return /^disks\.0\.path$/.test(f.field) ? { field: 'existingDisk', message: f.message } : f;
      }),
    );
  }
  // A changed setting is the user's, not the preset's: say so, keeping what the preset advised.
  const changed = (k: keyof typeof OVERRIDE_FIELDS, before: unknown, after: unknown) => {
    if (o[k] === undefined || before === after) return;
    const key = OVERRIDE_FIELDS[k].reason;
    reasons[key] = `your choice${reasons[key] ? ` (the preset's advice: ${reasons[key]})` : ''}`;
  };
  changed('firmware', config.firmware, next.firmware);
  changed('cores', config.cpu.cores, next.cpu.cores);
  changed('memoryMiB', config.memoryMiB, next.memoryMiB);
  changed('diskBus', config.disks[0]?.bus, next.disks[0]?.bus);
  changed('nic', config.network.nic, next.network.nic);
  changed('display', config.display.device, next.display.device);
  changed('shareMethod', config.sharedFolders[0]?.method, next.sharedFolders[0]?.method);
  changed('tpm', config.tpm.enabled, next.tpm.enabled);
  return next;
}

export async function createGuest(store: Store, req: CreateRequest, opts: { cwd?: string; qemuImg?: string } = {}): Promise<PresetResult> {
  const result = await previewGuest(req, opts);
  const r = { name: result.config.name };
  if (await store.exists(r.name)) throw new GuestExistsError(r.name);
  await store.create(result.config, (dir) => createDisks(dir, result.config, opts.qemuImg));
  return result;
}

/** The guest's new disk images in its folder; an image already there is reused, never overwritten. */
export async function createDisks(dir: string, config: VmConfig, qemuImg?: string): Promise<void> {
  for (const d of config.disks) {
    if (isAbsolute(d.path) || d.size === undefined) continue;
    const path = resolve(dir, d.path);
    if ((await kindOf(path)) !== 'missing') continue;
    await createImage(path, d.format, d.size, qemuImg);
  }
}
