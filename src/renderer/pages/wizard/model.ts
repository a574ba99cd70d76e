// The wizard's state, its client-side checks and the request it sends. Pure: tested directly.
import type { CreateInput } from '../../../shared/contract';
import type { HostCaps } from '../../../shared/host-caps';
import { parseSize } from '../../../shared/size';
import { vmName } from '../../../shared/vm-config';

export type OsChoice = 'linux' | 'windows-10' | 'windows-11' | 'macos';
export type StepId = 'os' | 'media' | 'firmware' | 'resources' | 'devices' | 'shares' | 'review';
export type FirmwareChoice = 'bios' | 'uefi' | 'uefi-secure';

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
  diskBus: '' | 'virtio' | 'sata' | 'ide' | 'nvme' | 'scsi';
  nic: '' | 'virtio-net' | 'e1000e' | 'e1000' | 'rtl8139' | 'vmxnet3';
  display: '' | 'auto' | 'virtio-vga' | 'virtio-gpu' | 'std' | 'qxl' | 'vmware-svga' | 'ramfb' | 'none';
  shares: string[];
  shareMethod: '' | 'virtiofs' | '9p' | 'smb';
}

export const initialWizard: WizardState = {
  os: 'linux',
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
};

export type Errors = Record<string, string>;

export function defaultFirmware(w: WizardState): FirmwareChoice {
  if (w.os === 'windows-11') return 'uefi-secure';
  if (w.os === 'linux' && w.kernel.trim()) return 'bios';
  return 'uefi';
}

export function defaultDiskSize(os: OsChoice): string {
  return os === 'linux' ? '32G' : os === 'macos' ? '128G' : '80G';
}

/** The preset's own default, mirrored so the fields show it before the first preview. */
export function defaultCores(os: OsChoice, host?: HostCaps): number {
  const threads = host?.cpu.threads ?? 4;
  const half = Math.max(1, Math.min(4, Math.floor(threads / 2)));
  return os.startsWith('windows') ? Math.max(2, half) : half;
}

export function defaultMemoryGiB(os: OsChoice, host?: HostCaps): number {
  const want = os === 'windows-11' ? 8 : 4;
  const min = os === 'linux' ? 1 : 4;
  if (!host) return want;
  const half = Math.floor(host.memory.totalMiB / 2 / 256) * 256;
  return Math.max(min, Math.min(want, half / 1024));
}

/** Which step shows a server field (`iso`, `shares.0`, `overrides.cores`…). */
export function stepOfField(field: string): StepId | null {
  const f = field.replace(/^overrides\./, '');
  const head = f.split('.')[0] ?? '';
  if (['name', 'title', 'preset'].includes(head)) return 'os';
  if (['iso', 'driversIso', 'kernel', 'initrd', 'append', 'media', 'kernelBoot'].includes(head)) return 'media';
  if (['firmware', 'tpm'].includes(head)) return 'firmware';
  if (['cores', 'memoryMiB', 'cpu', 'diskSize', 'existingDisk', 'disks'].includes(head)) return f.startsWith('disks.0.bus') ? 'devices' : 'resources';
  if (['diskBus', 'nic', 'display', 'network'].includes(head)) return 'devices';
  if (['shares', 'sharedFolders', 'shareMethod'].includes(head)) return 'shares';
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

export function validateStep(step: StepId, w: WizardState, host?: HostCaps): Errors {
  const e: Errors = {};
  if (step === 'os') {
    const n = vmName.safeParse(w.name);
    if (!n.success) e.name = n.error.issues[0]?.message ?? 'this name is not allowed';
    if (w.title.length > 200) e.title = 'a title is at most 200 characters';
  }
  if (step === 'media') {
    if (w.os === 'linux' && w.initrd.trim() && !w.kernel.trim()) e.initrd = 'an initrd needs a kernel: fill in the kernel too, or clear the initrd';
    if (w.os === 'linux' && w.append.trim() && !w.kernel.trim()) e.append = 'kernel arguments need a kernel: fill in the kernel too, or clear them';
  }
  if (step === 'firmware') {
    if (w.os === 'windows-11' && (effectiveFirmware(w) !== 'uefi-secure' || !effectiveTpm(w))) {
      e.firmware = 'Windows 11 installs only with UEFI + Secure Boot and a TPM 2.0';
    }
  }
  if (step === 'resources') {
    if (w.cores.trim()) {
      const c = Number(w.cores);
      const max = host?.cpu.threads ?? 256;
      if (!Number.isInteger(c) || c < 1) e.cores = 'cores is a whole number, at least 1';
      else if (c > max) e.cores = `this host has ${max} threads: give a guest at most ${max}`;
    }
    if (w.memoryGiB.trim()) {
      const m = Number(w.memoryGiB);
      const max = host ? host.memory.totalMiB / 1024 : 4096;
      if (!Number.isFinite(m) || m <= 0) e.memoryGiB = 'memory is a positive number of GiB, like 4 or 0.5';
      else if (m * 1024 < 64) e.memoryGiB = 'a guest needs at least 64 MiB (0.0625 GiB)';
      else if (m > max) e.memoryGiB = `this host has ${max.toFixed(1)} GiB in all: give a guest less`;
    }
    if (w.diskMode === 'new') {
      const text = w.diskSize.trim() || defaultDiskSize(w.os);
      const r = parseSize(text);
      if (!r.ok) e.diskSize = r.error;
    } else if (!w.existingDisk.trim()) {
      e.existingDisk = 'choose the disk image to use, or create a new disk';
    }
  }
  if (step === 'shares') {
    w.shares.forEach((s, i) => {
      if (!s.trim()) e[`shares.${i}`] = 'choose a folder, or remove this line';
    });
  }
  return e;
}

export function effectiveFirmware(w: WizardState): FirmwareChoice {
  return w.firmware ?? defaultFirmware(w);
}

export function effectiveTpm(w: WizardState): boolean {
  return w.tpm ?? w.os === 'windows-11';
}

export function buildRequest(w: WizardState): CreateInput {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const linux = w.os === 'linux';
  const overrides: NonNullable<CreateInput['overrides']> = {};
  if (w.firmware) overrides.firmware = w.firmware;
  if (w.tpm !== null) overrides.tpm = w.tpm;
  if (w.cores.trim()) overrides.cores = Number(w.cores);
  if (w.memoryGiB.trim()) overrides.memoryMiB = Math.round(Number(w.memoryGiB) * 1024);
  if (w.diskBus) overrides.diskBus = w.diskBus;
  if (w.nic) overrides.nic = w.nic;
  if (w.display) overrides.display = w.display;
  if (w.shareMethod) overrides.shareMethod = w.shareMethod;
  const shares = w.shares.map((s) => s.trim()).filter(Boolean);
  return {
    preset: w.os,
    name: w.name,
    title: opt(w.title),
    iso: opt(w.iso),
    driversIso: w.os.startsWith('windows') ? opt(w.driversIso) : undefined,
    kernel: linux ? opt(w.kernel) : undefined,
    initrd: linux && opt(w.kernel) ? opt(w.initrd) : undefined,
    append: linux && opt(w.kernel) ? opt(w.append) : undefined,
    diskSize: w.diskMode === 'new' ? (opt(w.diskSize) ?? defaultDiskSize(w.os)) : undefined,
    existingDisk: w.diskMode === 'existing' ? opt(w.existingDisk) : undefined,
    shares: shares.length ? shares : undefined,
    overrides: Object.keys(overrides).length ? overrides : undefined,
  };
}
