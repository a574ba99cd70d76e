// Import a guest from another manager's file: libvirt domain XML, a quickemu .conf or a
// VirtualBox .vbox. The file is read (never run), its disks referenced where they are (qcow2 and
// raw) or copied into the guest's folder as qcow2 (`copyDisks`, and always for VDI, VMDK, VHD…),
// and the result says what could not be carried over. Nothing is written unless all of it works.
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseVmConfig } from '../../../shared/migrations';
import { buildPreset } from '../../../shared/presets';
import { ConfigError, vmName, type VmConfig } from '../../../shared/vm-config';
import { convertImage, imageInfo } from '../../images';
import { GuestExistsError, type Store } from '../../vm/store';
import { ImportError, type ImportDraft, type ImportSource } from './draft';
import { parseLibvirtDomain } from './libvirt';
import { parseQuickemuConf } from './quickemu';
import { parseVbox } from './virtualbox';

export { ImportError, type ImportDraft, type ImportSource } from './draft';

const MAX_FILE = 1024 * 1024;

export interface ImportContext {
  store: Store;
  qemuImg?: string;
  progress?: (name: string, operation: string, message: string, fraction?: number) => void;
  signal?: AbortSignal;
}

export interface ImportResult {
  config: VmConfig;
  source: ImportSource;
  /** Disk files the guest uses where they are. */
  inPlace: string[];
  /** Disk files copied (converted to qcow2) into the guest's folder. */
  copied: string[];
  notCarried: string[];
}

export function detectSource(file: string, text: string): ImportSource {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<domain[\s>]/.test(head)) return 'libvirt';
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<VirtualBox[\s>]/.test(head)) return 'virtualbox';
  if (/^\s*guest_os=/m.test(text)) return 'quickemu';
  const ext = extname(file).toLowerCase();
  if (ext === '.vbox') return 'virtualbox';
  if (ext === '.conf') return 'quickemu';
  if (ext === '.xml') return 'libvirt';
  throw new ImportError(file, 'file', 'neither libvirt domain XML (<domain>), a VirtualBox .vbox (<VirtualBox>) nor a quickemu .conf (guest_os=…)');
}

export function parseImportFile(file: string, text: string): ImportDraft {
  const source = detectSource(file, text);
  return source === 'libvirt' ? parseLibvirtDomain(text, file) : source === 'virtualbox' ? parseVbox(text, file) : parseQuickemuConf(text, file);
}

export async function readImportFile(file: string): Promise<ImportDraft> {
  const path = resolve(file);
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) throw new ImportError(path, 'file', 'not found');
  if (st.size > MAX_FILE) throw new ImportError(path, 'file', `${Math.round(st.size / 1024)} KiB is far larger than a guest's description: not one`);
  return parseImportFile(path, await readFile(path, 'utf8'));
}

/** A valid guest name from another manager's (spaces and the like become "-"). */
export function guestNameFrom(name: string): string {
  const n = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return n || 'imported';
}

/** A file's format from its name, when the file that names it does not say (libvirt's default is raw). */
function formatFromName(path: string): string {
  const ext = extname(path).toLowerCase().slice(1);
  return ({ qcow2: 'qcow2', vdi: 'vdi', vmdk: 'vmdk', vhd: 'vpc', vhdx: 'vhdx' } as Record<string, string>)[ext] ?? 'raw';
}

const exists = (p: string) => stat(p).then(() => true, () => false);

export async function importGuest(ctx: ImportContext, file: string, o: { name?: string; copyDisks?: boolean } = {}): Promise<ImportResult> {
  const draft = await readImportFile(file);
  const notCarried = [...draft.notCarried];
  const name = o.name ?? guestNameFrom(draft.name);
  const valid = vmName.safeParse(name);
  if (!valid.success) throw new ConfigError([{ field: 'name', message: valid.error.issues[0]?.message ?? 'not a valid guest name' }]);
  if (await ctx.store.exists(name)) throw new ConfigError([{ field: 'name', message: `a guest named "${name}" exists already: choose another name (--name)` }]);

  // Each disk read with the format its file claims, never probed blindly.
  const plan: { path: string; format: string; copy: boolean; bus: ImportDraft['disks'][number]['bus']; readOnly?: boolean }[] = [];
  for (const d of draft.disks) {
    if (!(await exists(d.path))) throw new ImportError(file, `disk ${d.path}`, 'the file does not exist (move it back, or edit the path in the file)');
    const info = await imageInfo(d.path, { format: d.format ?? formatFromName(d.path), qemuImg: ctx.qemuImg }).catch((e: Error) => {
      throw new ImportError(file, `disk ${d.path}`, `not a ${d.format ?? 'disk'} image: ${e.message}`);
    });
    const runnable = info.format === 'qcow2' || info.format === 'raw';
    const copy = Boolean(o.copyDisks) || !runnable;
    if (!runnable && !o.copyDisks) notCarried.push(`${basename(d.path)} is ${info.format}: copied into the guest's folder as qcow2, which Guestbay runs (the original is left as it is)`);
    plan.push({ path: d.path, format: info.format, copy, bus: d.bus, readOnly: d.readOnly });
  }
  const media: ImportDraft['media'] = [];
  for (const m of draft.media) {
    if (await exists(m.path)) media.push(m);
    else notCarried.push(`the ${m.role === 'drivers' ? 'driver' : 'installer'} disc ${m.path} does not exist: left out`);
  }
  const shares: ImportDraft['shares'] = [];
  for (const s of draft.shares) {
    if (await exists(s.hostPath)) shares.push(s);
    else notCarried.push(`the shared folder ${s.hostPath} does not exist: left out`);
  }

  const presetId = draft.os.family === 'windows' ? `windows-${draft.os.version === '11' ? '11' : '10'}` : 'linux';
  const preset = buildPreset(presetId, { name }).config;
  const usedFiles = new Set<string>();
  const disks = plan.map((d, i) => {
    let path = d.path;
    if (d.copy) {
      const stem = basename(d.path, extname(d.path)).replace(/[^A-Za-z0-9._-]/g, '_') || 'disk';
      path = `${stem}.qcow2`;
      for (let n = 2; usedFiles.has(path); n++) path = `${stem}-${n}.qcow2`;
      usedFiles.add(path);
    }
    return { id: i === 0 ? 'system' : `disk${i + 1}`, path, format: d.copy ? 'qcow2' : d.format, bus: d.bus, readOnly: d.readOnly ?? false };
  });
  let config: VmConfig;
  try {
    config = parseVmConfig({
      ...preset,
      name,
      title: draft.title ?? (draft.name !== name ? draft.name : undefined),
      os: draft.os,
      preset: undefined,
      machine: draft.machine ?? preset.machine,
      firmware: draft.firmware,
      tpm: { enabled: draft.tpm },
      cpu: { ...preset.cpu, cores: draft.cores },
      memoryMiB: draft.memoryMiB,
      disks,
      media: media.map((m) => ({ role: m.role, path: m.path, format: 'raw', as: 'cdrom', bus: 'sata' })),
      network: { ...preset.network, ...(draft.network.nic ? { nic: draft.network.nic } : {}), mode: draft.network.mode, mac: draft.network.mac, bridge: draft.network.bridge, portForwards: draft.network.portForwards },
      display: { ...preset.display, device: draft.display ?? preset.display.device },
      sharedFolders: shares.map((s) => ({ tag: s.tag, hostPath: s.hostPath, method: s.method, readOnly: s.readOnly ?? false })),
      usb: { ...preset.usb, hostDevices: draft.usb },
    });
  } catch (e) {
    // The file's values that Guestbay's guest cannot take (a bad MAC, a tag too long…), by field.
    if (e instanceof ConfigError) throw new ImportError(file, e.errors.map((f) => f.field).join(', ') || 'guest', e.errors.map((f) => f.message).join('; '));
    throw e;
  }

  const copied: string[] = [];
  try {
    await ctx.store.create(config, async (dir) => {
      const toCopy = plan.filter((d) => d.copy);
      for (const [i, d] of plan.entries()) {
        if (!d.copy) continue;
        const k = toCopy.indexOf(d);
        await convertImage(d.path, join(dir, disks[i]!.path), {
          fromFormat: d.format,
          toFormat: 'qcow2',
          onProgress: (f) => ctx.progress?.(name, 'import', `copying ${basename(d.path)}`, (k + f) / toCopy.length),
          signal: ctx.signal,
          qemuImg: ctx.qemuImg,
        });
        copied.push(d.path);
      }
    });
  } catch (e) {
    if (e instanceof GuestExistsError) throw new ConfigError([{ field: 'name', message: e.message }]);
    throw e;
  }
  return { config, source: draft.source, inPlace: plan.filter((d) => !d.copy).map((d) => d.path), copied, notCarried };
}
