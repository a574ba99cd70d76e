// What an importer reads from another manager's file, before it becomes a VmConfig: the guest's
// hardware in Guestbay's words, its disks where they are, and what could not be carried over.
import type { DiskBus, DisplayDevice, Firmware, NicModel, ShareMethod } from '../../../shared/vm-choices';
import type { OsFamily, PortForward } from '../../../shared/vm-config';

export type ImportSource = 'libvirt' | 'quickemu' | 'virtualbox';

export interface DraftDisk {
  /** Absolute path. */
  path: string;
  /** The format the file says it has (`qcow2`, `raw`, `vdi`, `vmdk`, …); absent: from its name. */
  format?: string;
  bus: DiskBus;
  readOnly?: boolean;
}

export interface ImportDraft {
  source: ImportSource;
  /** The name the file gives the guest (made valid later). */
  name: string;
  title?: string;
  os: { family: OsFamily; version: string };
  firmware: Firmware;
  tpm: boolean;
  cores: number;
  memoryMiB: number;
  machine?: 'q35' | 'pc';
  disks: DraftDisk[];
  /** Installer and driver discs (ISO files), attached as CD-ROMs. */
  media: { path: string; role: 'install' | 'drivers' }[];
  network: { mode: 'user' | 'bridge' | 'none'; nic?: NicModel; mac?: string; bridge?: string; portForwards: PortForward[] };
  display?: DisplayDevice;
  shares: { hostPath: string; tag: string; method: ShareMethod; readOnly?: boolean }[];
  usb: { vendorId: string; productId: string }[];
  /** In words, one line each: what the file asks for that Guestbay's guest does not get. */
  notCarried: string[];
}

/** A file that cannot be read as what it claims to be: `field` is where, in the file's terms. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
  }
}
