// The wizard's state, its client-side checks and the request it sends. Every default and every
// "can this system do X" comes from the chosen preset as `presets.list` describes it (its OS's
// traits and the settings it makes on this host), never from a copy kept here. Pure: tested
// directly (test/renderer/wizard-model.test.ts).
import type { CreateInput, PresetDefaults, PresetDescription } from '../../../shared/contract';
import type { HostCaps } from '../../../shared/host-caps';
import { coresProblem, hostLimits, memoryProblem, parseCoresText, parseMemoryGiBText, systemDiskProblem, type GuestOs } from '../../../shared/limits';
import { bridgeProblem } from '../../checks';
import { parseSize } from '../../../shared/size';
import { FIRMWARE_LABELS } from '../../../shared/vm-choices';
import { vmName, type Display, type DiskBus, type DisplayDevice, type Firmware, type Network, type NicModel, type PortForward, type ShareMethod, type VmConfig } from '../../../shared/vm-config';

type SoundDevice = VmConfig['audio']['device'];

/** A preset id, or MACOS_CHOICE: the guided macOS setup (every release is a preset of its own). */
export type OsChoice = string;
export const MACOS_CHOICE = 'macos';
export type Preset = PresetDescription;
export type StepId = 'os' | 'media' | 'firmware' | 'resources' | 'devices' | 'shares' | 'review';
export type FirmwareChoice = Firmware;

export const STEPS: { id: StepId; label: string }[] = [
  { id: 'os', label: 'System & name' },
  { id: 'media', label: 'Install media' },
  { id: 'firmware', label: 'Firmware' },
  { id: 'resources', label: 'CPU, memory & disk' },
  { id: 'devices', label: 'Devices' },
  { id: 'shares', label: 'Shared folders' },
  { id: 'review', label: 'Review' },
];

export interface WizardState {
  os: OsChoice;
  name: string;
  title: string;
  iso: string;
  driversIso: string;
  kernel: string;
  initrd: string;
  append: string;
  firmware: FirmwareChoice | null;
  tpm: boolean | null;
  cores: string;
  memoryGiB: string;
  diskMode: 'new' | 'existing';
  diskSize: string;
  existingDisk: string;
  /** '' leaves the preset's choice ("Recommended"). */
  diskBus: '' | DiskBus;
  nic: '' | NicModel;
  display: '' | DisplayDevice;
  shares: string[];
  shareMethod: '' | ShareMethod;
  /** '' leaves the preset's network (user-mode). */
  netMode: '' | Network['mode'];
  bridge: string;
  forwards: PortForward[];
  sound: '' | SoundDevice;
  /** Where the screen is shown; '' leaves the preset's (in Guestbay). */
  viewer: '' | Display['viewer'];
  usbDevices: { vendorId: string; productId: string; label?: string }[];
  /** "Share the Guestbay folder"; null leaves it to the settings (new guests get it unless turned off there). */
  guestbayFolder: boolean | null;
  /** "Memory in a file — instant switch" (VmConfig.memoryFile). */
  memoryFile: boolean;
}

export const initialWizard: WizardState = {
  // The first preset `presets.list` names, until the user picks (Wizard.tsx).
  os: '',
  name: '',
  title: '',
  iso: '',
  driversIso: '',
  kernel: '',
  initrd: '',
  append: '',
  firmware: null,
  tpm: null,
  cores: '',
  memoryGiB: '',
  diskMode: 'new',
  diskSize: '',
  existingDisk: '',
  diskBus: '',
  nic: '',
  display: '',
  shares: [],
  shareMethod: '',
  netMode: '',
  bridge: '',
  forwards: [],
  sound: '',
  viewer: '',
  usbDevices: [],
  guestbayFolder: null,
  memoryFile: false,
};

export type Errors = Record<string, string>;

/**
 * The settings the preset makes for what the user has given so far: a kernel booted directly
 * or a driver disc changes them (Linux boots a kernel with BIOS; Windows with virtio-win gets
 * virtio devices).
 */
export function presetDefaults(w: WizardState, p: Preset): PresetDefaults {
  if (p.withKernel && p.traits.kernelBoot && w.kernel.trim()) return p.withKernel;
  if (p.withDriverDisc && p.traits.driverDisc && w.driversIso.trim()) return p.withDriverDisc;
  return p.defaults;
}

export function defaultFirmware(w: WizardState, p: Preset): FirmwareChoice {
  return presetDefaults(w, p).firmware;
}

/** What the preset's installer refuses to go on without, in words ("UEFI + Secure Boot and a TPM 2.0"), or null. */
export function requirements(p: Preset): string | null {
  const r = p.traits.requires;
  const parts = [r.firmware ? FIRMWARE_LABELS[r.firmware] : null, r.tpm ? 'a TPM 2.0' : null].filter((x): x is string => x !== null);
  return parts.length ? parts.join(' and ') : null;
}

/** The guest OS a preset makes, for the OS table's minimums. */
export function guestOsOf(p: Preset): GuestOs {
  return { family: p.family, version: p.version };
}

/** Which step shows a server field (`iso`, `shares.0`, `overrides.cores`…). */
export function stepOfField(field: string): StepId | null {
  const f = field.replace(/^overrides\./, '');
  const head = f.split('.')[0] ?? '';
  if (['name', 'title', 'preset'].includes(head)) return 'os';
  if (['iso', 'driversIso', 'kernel', 'initrd', 'append', 'media', 'kernelBoot'].includes(head)) return 'media';
  if (['firmware', 'tpm'].includes(head)) return 'firmware';
  if (['cores', 'memoryMiB', 'memoryFile', 'cpu', 'diskSize', 'existingDisk', 'disks'].includes(head)) return f.startsWith('disks.0.bus') ? 'devices' : 'resources';
  if (['diskBus', 'nic', 'display', 'viewer', 'network', 'bridge', 'forwards', 'sound', 'usbDevices', 'audio', 'usb'].includes(head)) return 'devices';
  if (['shares', 'sharedFolders', 'shareMethod', 'guestbayFolder'].includes(head)) return 'shares';
  return null;
}

/** The wizard's key for a server field: `overrides.cores` → `cores`, `disks.0.size` → `diskSize`. */
export function fieldKey(field: string): string {
  const f = field.replace(/^overrides\./, '');
  if (f === 'memoryMiB') return 'memoryGiB';
  if (f.startsWith('disks.0.size')) return 'diskSize';
  if (f.startsWith('cpu.cores')) return 'cores';
  if (f.startsWith('kernelBoot.kernel')) return 'kernel';
  if (f.startsWith('kernelBoot.initrd')) return 'initrd';
  if (f.startsWith('kernelBoot.append')) return 'append';
  const share = /^sharedFolders\.(\d+)/.exec(f);
  if (share) return `shares.${share[1]}`;
  return f;
}

/** The field message for a name another guest has, or null. */
export function takenName(name: string, existing: readonly string[]): string | null {
  return existing.includes(name) ? `A guest named ${name} exists already: choose another name.` : null;
}

export function validateStep(step: StepId, w: WizardState, p: Preset, host?: HostCaps, existing: readonly string[] = []): Errors {
  const e: Errors = {};
  if (step === 'os') {
    const n = vmName.safeParse(w.name);
    const taken = takenName(w.name, existing);
    if (!n.success) e.name = n.error.issues[0]?.message ?? 'this name is not allowed';
    else if (taken) e.name = taken;
    if (w.title.length > 200) e.title = 'a title is at most 200 characters';
  }
  if (step === 'media' && p.traits.kernelBoot) {
    if (w.initrd.trim() && !w.kernel.trim()) e.initrd = 'an initrd needs a kernel: fill in the kernel too, or clear the initrd';
    if (w.append.trim() && !w.kernel.trim()) e.append = 'kernel arguments need a kernel: fill in the kernel too, or clear them';
  }
  if (step === 'firmware') {
    const req = p.traits.requires;
    if ((req.firmware && effectiveFirmware(w, p) !== req.firmware) || (req.tpm && !effectiveTpm(w, p))) {
      e.firmware = `${p.title} installs only with ${requirements(p)}`;
    }
  }
  if (step === 'resources') {
    // The same limits and words as the guest page and the API (src/shared/limits.ts).
    const limits = host ? hostLimits(host) : undefined;
    const os = guestOsOf(p);
    if (w.cores.trim()) {
      const c = parseCoresText(w.cores);
      const problem = c.ok ? coresProblem(c.cores, os, limits) : c.error;
      if (problem) e.cores = problem;
    }
    if (w.memoryGiB.trim()) {
      const m = parseMemoryGiBText(w.memoryGiB);
      const problem = m.ok ? memoryProblem(m.memoryMiB, os, limits) : m.error;
      if (problem) e.memoryGiB = problem;
    }
    if (w.diskMode === 'new') {
      // Empty: the preset's own size.
      const r = w.diskSize.trim() ? parseSize(w.diskSize) : null;
      if (r && !r.ok) e.diskSize = r.error;
      // The OS table's minimum (Windows 11: 64 GiB), as create checks it.
      const small = r?.ok ? systemDiskProblem(r.bytes, guestOsOf(p)) : null;
      if (small) e.diskSize = small;
    } else if (!w.existingDisk.trim()) {
      e.existingDisk = 'choose the disk image to use, or create a new disk';
    }
  }
  if (step === 'devices' && effectiveNetMode(w) === 'bridge') {
    const b = bridgeProblem(w.bridge);
    if (b) e.bridge = b;
  }
  if (step === 'shares') {
    w.shares.forEach((s, i) => {
      if (!s.trim()) e[`shares.${i}`] = 'choose a folder, or remove this line';
    });
  }
  return e;
}

/** The network the guest gets: the user's choice, or the presets' user-mode. */
export function effectiveNetMode(w: WizardState): Network['mode'] {
  return w.netMode || 'user';
}

export function effectiveFirmware(w: WizardState, p: Preset): FirmwareChoice {
  return w.firmware ?? defaultFirmware(w, p);
}

export function effectiveTpm(w: WizardState, p: Preset): boolean {
  return w.tpm ?? presetDefaults(w, p).tpm;
}

/** The create request: the preset, what the user gave, and only the choices they changed. */
export function buildRequest(w: WizardState, p: Preset): CreateInput {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const kernelBoot = p.traits.kernelBoot;
  const overrides: NonNullable<CreateInput['overrides']> = {};
  if (w.firmware) overrides.firmware = w.firmware;
  if (w.tpm !== null) overrides.tpm = w.tpm;
  if (w.cores.trim()) overrides.cores = Number(w.cores);
  if (w.memoryGiB.trim()) {
    const m = parseMemoryGiBText(w.memoryGiB);
    if (m.ok) overrides.memoryMiB = m.memoryMiB;
  }
  if (w.diskBus) overrides.diskBus = w.diskBus;
  if (w.nic) overrides.nic = w.nic;
  if (w.display) overrides.display = w.display;
  if (w.shareMethod) overrides.shareMethod = w.shareMethod;
  if (w.viewer) overrides.viewer = w.viewer;
  if (w.sound) overrides.sound = w.sound;
  if (w.netMode) overrides.network = w.netMode;
  if (w.netMode === 'bridge') overrides.bridge = w.bridge.trim();
  // Forwards ride on user-mode networking only; a switch to bridge drops them from the request.
  if (w.forwards.length && effectiveNetMode(w) === 'user') overrides.forwards = w.forwards;
  if (w.usbDevices.length) overrides.usbDevices = w.usbDevices;
  if (w.memoryFile) overrides.memoryFile = true;
  const shares = w.shares.map((s) => s.trim()).filter(Boolean);
  return {
    preset: p.id,
    name: w.name,
    title: opt(w.title),
    iso: opt(w.iso),
    driversIso: p.traits.driverDisc ? opt(w.driversIso) : undefined,
    kernel: kernelBoot ? opt(w.kernel) : undefined,
    initrd: kernelBoot && opt(w.kernel) ? opt(w.initrd) : undefined,
    append: kernelBoot && opt(w.kernel) ? opt(w.append) : undefined,
    diskSize: w.diskMode === 'new' ? opt(w.diskSize) : undefined,
    existingDisk: w.diskMode === 'existing' ? opt(w.existingDisk) : undefined,
    shares: shares.length ? shares : undefined,
    guestbayFolder: w.guestbayFolder ?? undefined,
    overrides: Object.keys(overrides).length ? overrides : undefined,
  };
}
