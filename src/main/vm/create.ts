// Creating a guest from a preset: every input is checked before anything is written, then the
// store writes the folder, the disk images and the config, or nothing at all.
import { stat } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
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
  /** The wizard's own choices on top of the preset. */
  overrides?: {
    firmware?: VmConfig['firmware'];
    cores?: number;
    memoryMiB?: number;
    diskBus?: 'virtio' | 'sata' | 'ide' | 'nvme' | 'scsi';
    nic?: VmConfig['network']['nic'];
    display?: VmConfig['display']['device'];
    shareMethod?: 'virtiofs' | '9p' | 'smb';
    tpm?: boolean;
  };
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
  await wantFile('existingDisk', r.existingDisk, 'the disk image');
  if (r.initrd && !r.kernel) errors.push({ field: 'initrd', message: 'an initrd needs a kernel (--kernel)' });
  for (const [i, s] of (r.shares ?? []).entries()) {
    const k = await kindOf(s);
    if (k === 'missing') errors.push({ field: `shares.${i}`, message: `the shared folder ${s} does not exist` });
    else if (k !== 'dir') errors.push({ field: `shares.${i}`, message: `the shared folder ${s} is not a folder` });
  }
  if (errors.length) throw new ConfigError(errors);
  return r;
}

/** The guest a create would make, checked, with nothing written (the wizard's review page). */
export async function previewGuest(req: CreateRequest, opts: { cwd?: string; qemuImg?: string } = {}): Promise<PresetResult> {
  const r = await validateCreate(req, opts.cwd);
  let result: PresetResult;
  try {
    result = buildPreset(r.preset, { ...r, host: { threads: cpus().length, memoryMiB: Math.floor(totalmem() / 2 ** 20) } });
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ field: 'preset', message: (e as Error).message }]);
  }
  let config: VmConfig = result.config;
  if (r.existingDisk) {
    const info = await imageInfo(r.existingDisk, opts.qemuImg).catch(() => null);
    if (!info || (info.format !== 'qcow2' && info.format !== 'raw')) {
      throw new ConfigError([{ field: 'existingDisk', message: `${r.existingDisk} is not a qcow2 or raw disk image` }]);
    }
    config = { ...config, disks: config.disks.map((d, i) => (i === 0 ? { ...d, path: r.existingDisk!, format: info.format as 'qcow2' | 'raw', size: undefined } : d)) };
  }
  const o = r.overrides;
  if (o) {
    config = parseVmConfig({
      ...config,
      firmware: o.firmware ?? config.firmware,
      cpu: { ...config.cpu, cores: o.cores ?? config.cpu.cores },
      memoryMiB: o.memoryMiB ?? config.memoryMiB,
      disks: config.disks.map((d, i) => (i === 0 && o.diskBus ? { ...d, bus: o.diskBus } : d)),
      network: { ...config.network, nic: o.nic ?? config.network.nic },
      display: { ...config.display, device: o.display ?? config.display.device },
      sharedFolders: config.sharedFolders.map((s) => ({ ...s, method: o.shareMethod ?? s.method })),
      tpm: { enabled: o.tpm ?? config.tpm.enabled },
    });
  }
  return { config, reasons: result.reasons };
}

export async function createGuest(store: Store, req: CreateRequest, opts: { cwd?: string; qemuImg?: string } = {}): Promise<PresetResult> {
  const result = await previewGuest(req, opts);
  const r = { name: result.config.name };
  if (await store.exists(r.name)) throw new GuestExistsError(r.name);
  await store.create(result.config, async (dir) => {
    for (const d of result.config.disks) {
      if (isAbsolute(d.path) || d.size === undefined) continue;
      const path = resolve(dir, d.path);
      if ((await kindOf(path)) !== 'missing') continue; // an installed image is reused, never overwritten
      await createImage(path, d.format, d.size, opts.qemuImg);
    }
  });
  return result;
}
