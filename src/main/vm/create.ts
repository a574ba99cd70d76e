// Creating a guest from a preset: every input is checked before anything is written, then the
// store writes the folder, the disk images and the config, or nothing at all.
import { newGuestsGetFolder } from './app-settings';
import type { GuestbayPaths } from './paths';
import type { HostCaps } from '../../shared/host-caps';
import { guestbayFolderChoice, windowsHasVirtioDrivers } from '../qemu/plan/guestbay-folder';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { CreateOverrides } from '../../shared/contract';
import { controlCharMessage, type TextKind } from '../../shared/control-chars';
import { diskSpaceProblem } from '../../shared/disk-space';
import { hostLimits, resourceProblems, systemDiskProblem, type HostLimits } from '../../shared/limits';
import { freeSpace } from '../host/free-space';
import { probeCpu } from '../host/cpu';
import { probeMemory } from '../host/memory';
import { resolveContext } from '../host/options';
import { buildPreset, type PresetOptions, type PresetResult } from '../../shared/presets';
import { ConfigError, vmName, type FieldError, type VmConfig } from '../../shared/vm-config';
import { parseVmConfig } from '../../shared/migrations';
import { parseSize } from '../../shared/size';
import { createImage, imageInfo } from '../images';
import type { Store } from './store';
import { GuestExistsError } from './store';
import { EMPTY_SHARE, ROOT_SHARE, shareScope, wideShareWarning } from './share-scope';
import { kindOf } from '../host/files';

/** A created (or previewed) guest, with what the user should know before running it. */
export interface CreateResult extends PresetResult {
  /** Allowed but worth a second look (a share of the whole home folder), by request field. */
  warnings: FieldError[];
}

export interface CreateOptions {
  /** What relative paths are relative to (the CLI's working folder; the API uses the home). */
  cwd?: string;
  /** The user's home, for the warnings about shares that hold it. */
  home?: string;
  /** The host's threads and memory (the API's probe); read from /proc as the probe does otherwise (the CLI). */
  host?: HostLimits;
  qemuImg?: string;
  /**
   * Only `guestbay macos prepare` (macos/prepare.ts) sets this: it builds the recovery and
   * OpenCore disks a macOS preset's guest boots from. A plain create cannot, and refuses.
   */
  macosDisksBuilt?: boolean;
  /** The folder new disk images are made in (the guests folder), for the free-space check. */
  diskFolder?: string;
  /**
   * Where Guestbay's settings are: whether a new guest gets the Guestbay folder when the request
   * does not say (`newGuestsGetFolder`). Without it, only a request that asks gets the folder.
   */
  paths?: GuestbayPaths;
  /** This host's probed capabilities, asked only for a guest with the Guestbay folder and an SMB share of its own (guestbayFolderSmbProblem). */
  caps?: () => Promise<HostCaps>;
}

/** Where a macOS guest is made instead, with the release and name the user typed. */
export function macosCreateRefusal(preset: string, name: string): string {
  const release = preset.slice('macos-'.length);
  return `A macOS guest needs Apple's recovery image and an OpenCore boot disk, which create does not make: run \`guestbay macos prepare --release ${release} --name ${name}\` (in the app: New guest → macOS), which downloads and builds them and then creates the guest.`;
}

/** This machine's threads and memory, read the way the host probe reads them (without the rest of the probe). */
export async function thisHost(): Promise<HostLimits> {
  const ctx = resolveContext();
  const [cpu, memory] = await Promise.all([probeCpu(ctx), probeMemory(ctx)]);
  return hostLimits({ cpu, memory });
}

export interface CreateRequest extends Omit<PresetOptions, 'host'> {
  preset: string;
  /** An installed image to use as the system disk: referenced where it is, never copied. */
  existingDisk?: string;
  /** The Guestbay-wide shared folder in this guest; unset: as the settings say (yes by default). */
  guestbayFolder?: boolean;
  /** The wizard's own choices on top of the preset (the contract's schema). */
  overrides?: CreateOverrides;
}

/** Absolute paths for everything the user named, relative to where they ran the command. */
function absolutize(r: CreateRequest, cwd: string): CreateRequest {
  const abs = (p?: string) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(cwd, p));
  return { ...r, iso: abs(r.iso), driversIso: abs(r.driversIso), kernel: abs(r.kernel), initrd: abs(r.initrd), existingDisk: abs(r.existingDisk), shares: r.shares?.map((s) => abs(s)!) };
}

/** Every check a create makes before anything is written; what is allowed but risky comes back as warnings. */
export async function validateCreate(req: CreateRequest, cwd = process.cwd(), home = homedir()): Promise<{ request: CreateRequest; warnings: FieldError[] }> {
  const errors: FieldError[] = [];
  const n = vmName.safeParse(req.name);
  if (!n.success) errors.push({ field: 'name', message: n.error.issues[0]!.message });
  if (req.diskSize !== undefined && typeof req.diskSize === 'string') {
    const s = parseSize(req.diskSize);
    if (!s.ok) errors.push({ field: 'diskSize', message: s.error });
  }
  // Control characters first, by the request's own field names; a path refused here is not
  // looked up on disk (its message would only distract).
  const refused = new Set<string>();
  const plain = (field: string, v: string | undefined, kind: TextKind) => {
    const message = v === undefined ? null : controlCharMessage(v, kind);
    if (!message) return;
    errors.push({ field, message });
    refused.add(field);
  };
  plain('title', req.title, 'title');
  for (const f of ['iso', 'driversIso', 'kernel', 'initrd'] as const) plain(f, req[f], 'path');
  plain('append', req.append, 'kernel-args');
  plain('existingDisk', req.existingDisk, 'path');
  req.shares?.forEach((s, i) => plain(`shares.${i}`, s, 'folder'));
  req.shares?.forEach((s, i) => {
    // resolve(cwd, '') is cwd itself: an empty value must not quietly share where the command ran.
    if (s.trim() || refused.has(`shares.${i}`)) return;
    errors.push({ field: `shares.${i}`, message: EMPTY_SHARE(cwd) });
    refused.add(`shares.${i}`);
  });
  const r = absolutize(req, cwd);
  const wantFile = async (field: string, p: string | undefined, what: string) => {
    if (p === undefined || refused.has(field)) return;
    const k = await kindOf(p);
    if (k === 'missing') errors.push({ field, message: `${what} ${p} does not exist` });
    else if (k !== 'file') errors.push({ field, message: `${what} ${p} is not a file` });
  };
  await wantFile('iso', r.iso, 'the install image');
  await wantFile('driversIso', r.driversIso, 'the drivers disc');
  await wantFile('kernel', r.kernel, 'the kernel');
  await wantFile('initrd', r.initrd, 'the initrd');
  // Referenced where it is for the guest's whole life, so it must not depend on a working directory.
  if (req.existingDisk !== undefined && !refused.has('existingDisk') && !isAbsolute(req.existingDisk)) errors.push({ field: 'existingDisk', message: `the disk image must be given as an absolute path, not ${req.existingDisk}` });
  else await wantFile('existingDisk', r.existingDisk, 'the disk image');
  if (r.initrd && !r.kernel) errors.push({ field: 'initrd', message: 'an initrd needs a kernel (--kernel)' });
  const warnings: FieldError[] = [];
  for (const [i, s] of (r.shares ?? []).entries()) {
    const field = `shares.${i}`;
    if (refused.has(field)) continue;
    const k = await kindOf(s);
    if (k === 'missing') errors.push({ field, message: `the shared folder ${s} does not exist` });
    else if (k !== 'dir') errors.push({ field, message: `the shared folder ${s} is not a folder` });
    else {
      const scope = await shareScope(s, home);
      if (scope === 'root') errors.push({ field, message: ROOT_SHARE });
      const warning = wideShareWarning(scope, s, home);
      if (warning) warnings.push({ field, message: warning });
    }
  }
  if (errors.length) throw new ConfigError(errors);
  return { request: r, warnings };
}

/** The guest a create would make, checked, with nothing written (the wizard's review page). */
export async function previewGuest(req: CreateRequest, opts: CreateOptions = {}): Promise<CreateResult> {
  // Before anything else: a macOS guest made here would name disks that do not exist.
  if (req.preset.startsWith('macos-') && !opts.macosDisksBuilt) throw new ConfigError([{ field: 'preset', message: macosCreateRefusal(req.preset, req.name) }]);
  const { request: r, warnings } = await validateCreate(req, opts.cwd, opts.home);
  const host = opts.host ?? (await thisHost());
  let result: PresetResult;
  try {
    result = buildPreset(r.preset, { ...r, host });
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ field: 'preset', message: (e as Error).message }]);
  }
  // The Guestbay folder is in every new guest unless the request opts out (or the settings say
  // new guests do not get it), in the preview too: its arguments and costs are shown before create.
  const wantsFolder = r.guestbayFolder ?? (opts.paths ? await newGuestsGetFolder(opts.paths) : false);
  let config: VmConfig = { ...result.config, guestbayFolder: wantsFolder };
  const reasons = { ...result.reasons };
  if (r.existingDisk) {
    let info;
    try {
      info = await imageInfo(r.existingDisk, { qemuImg: opts.qemuImg });
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
  const o = r.overrides ?? {};
  // The same limits as the wizard and the guest page, in the same words, by the field the user set.
  const problems: FieldError[] = resourceProblems(config, host).map((p) => ({
    field: p.field === 'cpu.cores' ? (o.cores !== undefined ? 'overrides.cores' : p.field) : o.memoryMiB !== undefined ? 'overrides.memoryMiB' : p.field,
    message: p.message,
  }));
  problems.push(...smbProblems(config, o, Boolean(r.driversIso)));
  if (!problems.length && opts.caps && config.guestbayFolder && config.sharedFolders.some((s) => s.method === 'smb')) {
    const p = guestbayFolderSmbProblem(config, await opts.caps());
    if (p) problems.push({ field: o.shareMethod === 'smb' ? 'overrides.shareMethod' : `shares.${p.share}`, message: p.message });
  }
  const sys = newSystemDiskBytes(config);
  const small = sys === null ? null : systemDiskProblem(sys, config.os);
  if (small) problems.push({ field: 'diskSize', message: small });
  if (problems.length) throw new ConfigError(problems);
  if (opts.diskFolder) {
    // Every new image of this guest lands in its folder; all are sparse (qemu-img's default).
    const bytes = config.disks.reduce((n, d) => n + (!isAbsolute(d.path) && d.size !== undefined ? d.size : 0), 0);
    const space = bytes > 0 ? await freeSpace(opts.diskFolder).catch(() => null) : null;
    const verdict = space && diskSpaceProblem(bytes, space.freeBytes, opts.diskFolder);
    if (verdict?.level === 'refuse') throw new ConfigError([{ field: 'diskSize', message: verdict.message }]);
    if (verdict) warnings.push({ field: 'diskSize', message: verdict.message });
  }
  return { config, reasons, warnings };
}

/**
 * QEMU's user-mode network serves one SMB folder per guest (`smb=`), so a guest that would
 * share two over SMB could be created but never started. Said at create, with the way out
 * that fits how SMB was chosen.
 */
function smbProblems(config: VmConfig, o: NonNullable<CreateRequest['overrides']>, drivers: boolean): FieldError[] {
  const smb = config.sharedFolders.flatMap((s, i) => (s.method === 'smb' ? [i] : []));
  if (smb.length < 2) return [];
  if (o.shareMethod === 'smb') {
    return [{ field: 'overrides.shareMethod', message: 'QEMU serves one SMB share per guest: choose virtiofs or 9p for these folders, or share one folder (a common parent of them).' }];
  }
  if (config.os.family === 'windows' && !drivers) {
    return [
      {
        field: `shares.${smb[1]}`,
        message:
          'Without the virtio-win drivers disc, Windows shares folders over SMB, and QEMU serves one SMB share per guest: add the disc (--drivers virtio-win.iso, or "virtio-win drivers disc" in the app) to share them over virtiofs, or share one folder (a common parent of them).',
      },
    ];
  }
  return [{ field: `shares.${smb[1]}`, message: 'QEMU serves one SMB share per guest: share one folder (a common parent of them).' }];
}

/**
 * QEMU serves one SMB share per guest. Where the Guestbay folder takes it (the guest's OS, or
 * this host, has neither virtiofs nor 9p for it), a folder of the guest's own over SMB would
 * push the Guestbay folder out of the guest at every start. Refused instead, by create and by
 * guests.update (edit/check.ts), with the share's index and the reason; null when it fits.
 */
export function guestbayFolderSmbProblem(config: VmConfig, caps: HostCaps): { share: number; message: string } | null {
  const own = config.sharedFolders.findIndex((s) => s.method === 'smb');
  if (!config.guestbayFolder || own < 0) return null;
  // The folder's way into this guest without the guest's SMB shares, and with them.
  const alone = guestbayFolderChoice({ ...config, sharedFolders: config.sharedFolders.filter((s) => s.method !== 'smb') }, caps, '/');
  const withOwn = guestbayFolderChoice(config, caps, '/');
  if (alone.share?.method !== 'smb' || withOwn.share || withOwn.notes.some((n) => n.id === 'guestbay-folder-tag')) return null;
  const noDrivers = !windowsHasVirtioDrivers(config);
  const why = noDrivers ? 'Windows without the virtio-win drivers disc mounts folders only over SMB' : 'this guest has neither virtiofs nor 9p on this host';
  const drivers = noDrivers && caps.virtiofsd?.works ? 'add the virtio-win drivers disc (then both go over virtiofs), ' : '';
  return {
    share: own,
    message: `QEMU serves one SMB share per guest, and the Guestbay folder takes it (${why}): ${drivers}put what you want to share in the Guestbay folder, or leave the Guestbay folder out of this guest (when creating it: untick "Share the Guestbay folder", or --no-shared-folder; later: "guestbayFolder": false in guestbay edit).`,
  };
}

/** Where each override lands in a VmConfig, and the reason key that explains that setting. */
const OVERRIDE_FIELDS: Record<keyof NonNullable<CreateRequest['overrides']>, { path: RegExp; reason: string }> = {
  firmware: { path: /^firmware$/, reason: 'firmware' },
  cores: { path: /^cpu\.cores$/, reason: 'cpu.cores' },
  memoryMiB: { path: /^memoryMiB$/, reason: 'memoryMiB' },
  diskBus: { path: /^disks\.0\.bus$/, reason: 'disks.0.bus' },
  nic: { path: /^network\.nic$/, reason: 'network.nic' },
  display: { path: /^display\.device$/, reason: 'display.device' },
  viewer: { path: /^display\.viewer$/, reason: 'display.viewer' },
  shareMethod: { path: /^sharedFolders\.\d+\.method$/, reason: 'sharedFolders' },
  tpm: { path: /^tpm(\.enabled)?$/, reason: 'tpm.enabled' },
  threads: { path: /^cpu\.threads$/, reason: 'cpu.threads' },
  network: { path: /^network\.mode$/, reason: 'network.mode' },
  bridge: { path: /^network\.bridge$/, reason: 'network.bridge' },
  forwards: { path: /^network\.portForwards/, reason: 'network.portForwards' },
  sound: { path: /^audio\.device$/, reason: 'audio.device' },
  usbDevices: { path: /^usb\.hostDevices/, reason: 'usb.hostDevices' },
  autostart: { path: /^autostart$/, reason: 'autostart' },
  memoryFile: { path: /^memoryFile$/, reason: 'memoryFile' },
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
      cpu: { ...config.cpu, cores: o.cores ?? config.cpu.cores, threads: o.threads ?? config.cpu.threads },
      memoryMiB: o.memoryMiB ?? config.memoryMiB,
      disks: config.disks.map((d, i) => (i === 0 && o.diskBus ? { ...d, bus: o.diskBus } : d)),
      network: {
        ...config.network,
        nic: o.nic ?? config.network.nic,
        mode: o.network ?? config.network.mode,
        bridge: o.bridge ?? config.network.bridge,
        portForwards: o.forwards ?? config.network.portForwards,
      },
      display: { ...config.display, device: o.display ?? config.display.device, viewer: o.viewer ?? config.display.viewer },
      sharedFolders: config.sharedFolders.map((s) => ({ ...s, method: o.shareMethod ?? s.method })),
      tpm: { ...config.tpm, enabled: o.tpm ?? config.tpm.enabled },
      audio: { ...config.audio, device: o.sound ?? config.audio.device },
      usb: { ...config.usb, hostDevices: o.usbDevices ?? config.usb.hostDevices },
      autostart: o.autostart ?? config.autostart,
      ...(o.memoryFile ? { memoryFile: true } : {}),
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
  changed('threads', config.cpu.threads, next.cpu.threads);
  changed('network', config.network.mode, next.network.mode);
  changed('sound', config.audio.device, next.audio.device);
  return next;
}

/** The size of the system disk create would make, or null when it uses an existing image. */
function newSystemDiskBytes(config: VmConfig): number | null {
  const d = config.disks[0];
  return d && !isAbsolute(d.path) && d.size !== undefined ? d.size : null;
}

export async function createGuest(store: Store, req: CreateRequest, opts: CreateOptions = {}): Promise<CreateResult> {
  const result = await previewGuest(req, { diskFolder: store.paths.vms, paths: store.paths, ...opts });
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
    await createImage(path, { format: d.format, size: d.size, qemuImg });
  }
}
