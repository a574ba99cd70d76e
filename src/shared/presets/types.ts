import type { GuestArch, VmConfig } from '../vm-config';

export interface PresetOptions {
  name: string;
  title?: string;
  diskSize?: number | string;
  iso?: string;
  /** Windows: the virtio-win drivers disc; with it the guest gets virtio disk and NIC. */
  driversIso?: string;
  kernel?: string;
  initrd?: string;
  append?: string;
  shares?: string[];
  /** Host limits, so defaults fit the machine (threads and RAM). */
  host?: { threads: number; memoryMiB: number };
}

export interface PresetResult {
  config: VmConfig;
  /** One line per choice, keyed by field path (`network.nic`), for the UI and `show`. */
  reasons: Record<string, string>;
}

export interface PresetInfo {
  id: string;
  title: string;
  family: VmConfig['os']['family'];
  version: string;
  /** The guest's CPU architecture; x86_64 when absent. */
  arch?: GuestArch;
  /** A few words, for lists (`guestbay presets`). */
  description: string;
  /** A sentence or two, for the wizard's choice of system. */
  summary: string;
}
