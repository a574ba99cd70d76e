import type { FirmwareEntry, HostCaps } from '../../../shared/host-caps';
import type { SharedFolder, VmConfig } from '../../../shared/vm-config';
import type { OsTraits } from '../../../shared/os/os-table';
import type { ArchTraits } from '../../../shared/os/arch-table';
import type { Argv } from '../qemu-opts';

/** Where a launch lives; all absolute. The supervisor creates runtimeDir with mode 0700. */
export interface LaunchContext {
  /** The guest's folder: config, disks, VARS copy, TPM state. Relative config paths resolve here. */
  vmDir: string;
  /** Sockets and pidfile for this run (under $XDG_RUNTIME_DIR, private to the user). */
  runtimeDir: string;
  /** Logs kept after the guest ends, so a crash can be explained. */
  logDir: string;
  /** No window: `-display none` (CLI `--headless`, tests). */
  headless?: boolean;
  /** Overrides the config's and the host's choice (CLI `--accel tcg`). */
  accel?: 'kvm' | 'tcg';
  /** Start with the CPUs stopped (`-S`): QMP `cont` runs the guest. */
  paused?: boolean;
  /** Restore a saved state: `-incoming defer`, then QMP `migrate-incoming`. */
  incoming?: boolean;
  /** The Guestbay-wide shared folder, read from the settings by the caller; a guest whose config has `guestbayFolder` gets it. */
  guestbayFolder?: string;
}

export interface Sidecar {
  id: string;
  kind: 'virtiofsd' | 'swtpm';
  binary: string;
  args: string[];
  /** The socket QEMU connects to: start QEMU only once it exists. */
  socket: string;
  log: string;
  /** Why it runs, for the UI. */
  purpose: string;
}

export type PrepareStep =
  | { kind: 'dir'; path: string; mode: number; why: string }
  /** Per-guest UEFI variable store, converted to qcow2 so internal snapshots include it. */
  | { kind: 'vars'; from: string; format: 'raw' | 'qcow2'; to: string; why: string }
  /** The guest's RAM file ("memory in a file"): removed and made anew, empty, mode 0600, `sizeMiB` long (sparse). */
  | { kind: 'ram-file'; path: string; sizeMiB: number; why: string }
  /** Must exist before launch; `hint` says how to get it. */
  | { kind: 'exists'; path: string; what: string; hint: string };

export interface PlanWarning {
  id: string;
  message: string;
}

export interface LaunchPlan {
  binary: string;
  /** QEMU's arguments, without the binary. */
  args: string[];
  sidecars: Sidecar[];
  prepare: PrepareStep[];
  warnings: PlanWarning[];
  accel: 'kvm' | 'tcg';
  runtime: {
    qmpSocket: string;
    /** A second monitor: QEMU serves one client per QMP socket, so a CLI can act while the app watches. */
    qmpCtlSocket: string;
    pidFile: string;
    serialSocket: string;
    serialLog: string;
    qemuLog: string;
    /** The guest agent's channel (plan/guest-agent.ts); absent in records written before it. */
    qgaSocket?: string;
  };
  /** Where the screen goes (plan/display.ts), for the display bridge and the UI. */
  display: {
    viewer: 'guestbay' | 'window';
    /** QEMU's VNC server, for Guestbay's own view; absent without a display device, or with OpenGL. */
    vncSocket?: string;
    /** SPICE for remote-viewer, when the user chose it. */
    spiceSocket?: string;
    /** The clipboard agent's channel is there (qemu-vdagent or spicevmc). */
    agent: boolean;
    /** Why it is not, when this QEMU has it but Guestbay left it out. */
    agentNote?: string;
    /** The device follows a resize request (EDID on virtio-vga/virtio-gpu) when the guest's driver does. */
    resizes: boolean;
  };
  /** The guest CPU: QEMU's `-cpu` value (model and properties). */
  cpu: string;
  /**
   * The files the guest writes while it runs, which a saved state expects unchanged on
   * restore: its disks (read-only ones too) and its UEFI variable store.
   */
  writableFiles: string[];
  /**
   * SHA-256 of the arguments that define the machine: all of them but how this run begins
   * (`-S`, `-incoming`), with the runtime folder (each start makes its own) left out. A saved
   * state restores only into a QEMU with the same digest.
   */
  argsDigest: string;
  /**
   * The guest's RAM file when it chose "memory in a file": a save leaves RAM out of the state
   * (x-ignore-shared) and fingerprints this file instead. Absent otherwise.
   */
  ramFile?: string;
  /** Whether a save (migration) of this guest can work, and why not. */
  savable: { ok: true } | { ok: false; reason: string };
  /** QEMU's seccomp sandbox as given (`-sandbox` value, or null), and why so. */
  sandbox: { value: string | null; why: string };
  /**
   * The config the plan was built from, and the run options that shape the command (a window
   * or none, the accelerator asked for): with the runtime record they tell what a running
   * guest was started with, so its pending changes can be worked out. Absent in records written
   * before they were kept.
   */
  config?: VmConfig;
  /**
   * The host folders this run shares (the guest's own and the Guestbay folder, with the method
   * chosen for it): what the guest tools disk and the guest page's mount line speak about.
   * Absent in records written before it was kept.
   */
  shares?: SharedFolder[];
  options?: Pick<LaunchContext, 'headless' | 'accel'>;
}

export { PlanError } from './errors';

/** What every device family's builder receives. */
export interface FamilyInput {
  config: VmConfig;
  caps: HostCaps;
  qemu: NonNullable<HostCaps['qemu']>;
  ctx: LaunchContext;
  os: OsTraits;
  /** What the guest's CPU architecture has and needs (os/arch-table.ts). */
  arch: ArchTraits;
  accel: 'kvm' | 'tcg';
  /** The UEFI build chosen from the descriptors; undefined for BIOS. */
  firmware: FirmwareEntry | undefined;
  /** The `-cpu` value (system.ts chooses it). */
  cpu: string;
  argv: Argv;
  plan: Pick<LaunchPlan, 'sidecars' | 'prepare' | 'warnings' | 'writableFiles' | 'ramFile'>;
  /** Resolves a config path against the guest's folder. */
  resolve(p: string): string;
  hasDevice(name: string): boolean;
  warn(id: string, message: string): void;
}
