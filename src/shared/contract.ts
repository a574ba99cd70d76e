// Every call and event between the renderer and the main process, declared once with schemas.
// Main validates every input it receives (and tests validate outputs); the renderer's client is
// typed from these declarations. Transports (Electron IPC, the headless WebSocket) carry only
// `{ call, input }` → `{ ok, output | error }` and `{ event, payload }`: no channel names elsewhere.
import { z } from 'zod';
import type { WireErrorShape } from './call-error';
import { diskCalls } from './contract-disks';
import { guestToolsCalls } from './contract-guest-tools';
import { guestbayFolderView, settingsCalls } from './contract-settings';
import { passthroughCalls } from './contract-passthrough';
import { controlCharMessage } from './control-chars';
import { finding, hostCaps } from './host-caps';
import { CORES_NOT_A_NUMBER, MEMORY_MIB_NOT_A_NUMBER } from './limits';
import { diskBus, displayDevice, firmware, nicModel, osFamily, portForward, shareMethod, usbPort, vmConfig, vmName } from './vm-config';
import { diskCache, guestArch, networkMode, soundDevice } from './vm-choices';

const name = z.object({ name: vmName });
const hex4 = z.string().regex(/^[0-9a-fA-F]{4}$/, 'A USB id is four hex digits, like 046d.');

export const guestState = z.enum(['stopped', 'starting', 'running', 'paused', 'saving', 'saved', 'stopping', 'crashed']);
export type GuestStateName = z.infer<typeof guestState>;

/** Something wrong with a guest that is still there: what it is, and what to do about it. */
export const guestProblem = z.object({
  /** not-answering: QEMU runs but its monitor does not answer; sidecar-ended: a helper daemon (virtiofsd, swtpm…) has died. */
  kind: z.enum(['not-answering', 'sidecar-ended']),
  message: z.string(),
  fix: z.string(),
});
export type GuestProblem = z.infer<typeof guestProblem>;

export const guestStatus = z.object({
  name: z.string(),
  state: guestState,
  pid: z.number().int().optional(),
  accel: z.enum(['kvm', 'tcg']).optional(),
  detail: z.string().optional(),
  logTail: z.string().optional(),
  savable: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), reason: z.string() })]).optional(),
  /** What is wrong with it while it runs (absent when nothing is). */
  problems: z.array(guestProblem).optional(),
});
export type GuestStatusDto = z.infer<typeof guestStatus>;

/**
 * What a running guest's agent (qemu-ga, or the virtio-win tools' agent) reports: `connected`
 * false, and nothing else, when the guest has no agent running (or is not running).
 */
export const guestAgentInfo = z.object({
  connected: z.boolean(),
  os: z.object({ name: z.string(), id: z.string().optional(), kernel: z.string().optional() }).nullable(),
  addresses: z.array(z.object({ iface: z.string(), family: z.enum(['ipv4', 'ipv6']), address: z.string(), prefix: z.number().int() })),
  /** The guest's mounted file systems (guest-get-fsinfo); null when the agent could not list them. */
  mounts: z.array(z.object({ mountpoint: z.string(), type: z.string(), name: z.string() })).nullable(),
});
export type GuestAgentInfo = z.infer<typeof guestAgentInfo>;

/**
 * A vm.json's revision: the hash of its bytes. `guests.get` and `guests.list` give it; an edit
 * names the revision it was made on and is refused (ConflictError, naming what changed) when
 * the file has moved on since, whoever changed it (another window, a tab, the CLI, an editor).
 */
export const revision = z.string().regex(/^[0-9a-f]{16}$/, 'A revision is the 16 hex digits guests.get gives: read the guest again.');

export const guestSummary = z.object({
  name: z.string(),
  /** Absent when the guest's config is damaged (then `error` says why). */
  config: vmConfig.optional(),
  revision: revision.optional(),
  status: guestStatus.optional(),
  error: z.string().optional(),
});

/** Messages tied to a field: refusals (in a CallError's `fields`) and warnings an answer carries. */
export const fieldMessage = z.object({ field: z.string(), message: z.string() });

/** A setting that differs between two versions of a config, in words ("memory", "disk data"). */
export const configChange = z.object({ field: z.string(), label: z.string() });

/**
 * What a running guest gets only at its next start: the settings that differ between the
 * command it runs (from its runtime record) and the one its saved config gives now, and both
 * commands side by side as a line diff (one option per line, as `guestbay cmdline` prints).
 */
export const pendingChanges = z.object({
  changes: z.array(configChange),
  running: z.string(),
  next: z.string(),
  lines: z.array(z.object({ op: z.enum(['same', 'removed', 'added']), text: z.string() })),
  /** What the guest runs with now (its run record's config): the header shows these, not the saved ones. */
  runs: z.object({ cores: z.number(), memoryMiB: z.number() }).optional(),
});
export type PendingChanges = z.infer<typeof pendingChanges>;

/**
 * What every edit answers: the config as saved, its new revision, what was changed on the
 * running guest at once (plain words, e.g. "Inserted /isos/x.iso in drive cd0"), what waits for
 * its next start (null when nothing does or it is not running), and warnings the UI must show
 * and the CLI prints (switching BIOS↔UEFI makes an installed system unbootable…).
 */
export const editResult = z.object({
  config: vmConfig,
  revision,
  appliedLive: z.array(z.string()),
  pending: pendingChanges.nullable(),
  warnings: z.array(fieldMessage),
});
export type EditResult = z.infer<typeof editResult>;

/** How a change to a setting reaches the guest: on the running guest at once, at its next start, or with nothing to apply (title, autostart). */
export const appliesWhen = z.enum(['live', 'next-start', 'now']);

/** One setting as `guests.set` and `guestbay set NAME key=value` take it. */
export const settingKey = z.object({
  key: z.string(),
  /** Where it lands in VmConfig. */
  field: z.string(),
  help: z.string(),
  /** What a value looks like ("a size like 4G"), or the allowed values with a line each. */
  format: z.string(),
  values: z.array(z.object({ value: z.string(), help: z.string() })).optional(),
  /** `key+=v` / `key-=v` add to and remove from a list (forwards, USB devices, shares). */
  list: z.boolean(),
  applies: appliesWhen,
});
export type SettingKey = z.infer<typeof settingKey>;

/** A USB device plugged into this host, read from sysfs (names from usb.ids where it has them). */
export const hostUsbDevice = z.object({
  vendorId: z.string(),
  productId: z.string(),
  /** "Logitech, Inc. Unifying Receiver": the device's own strings, else usb.ids, else the ids. */
  label: z.string(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  serial: z.string().nullable(),
  bus: z.number().int(),
  device: z.number().int(),
  /** sysfs name, e.g. `1-2.3` (bus 1, port 2, then port 3 of a hub). */
  port: z.string(),
  speedMbps: z.number().nullable(),
  /** Hubs and the host's own root hubs cannot be passed through. */
  hub: z.boolean(),
});
export type HostUsbDevice = z.infer<typeof hostUsbDevice>;

/** A guest's media drive as `guests.media.*` address it: its id in the config (`cd0`, `install0`…). */
const driveId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'A drive is named by its id, like cd0: see guestbay show.');
const hostPath = z.string().min(1, 'Give a path.').max(4096, 'A path is at most 4096 characters.');


/** The settings a preset gives a new guest on this host (src/shared/presets/describe.ts). */
const presetDefaults = z.object({
  firmware,
  tpm: z.boolean(),
  cores: z.number().int(),
  memoryMiB: z.number().int(),
  /** The new system disk's size in bytes. */
  diskSize: z.number().int(),
  diskBus,
  nic: nicModel,
  display: displayDevice,
  /** How shared folders are mounted, when there are any. */
  shareMethod,
});

/**
 * A preset as the wizard asks it: what it is, what its guest OS can do (the OS table's answers),
 * and the settings it makes here, so the app shows the preset's own values instead of copies.
 */
const presetInfo = z.object({
  id: z.string(),
  title: z.string(),
  family: osFamily,
  version: z.string(),
  /** The guest's CPU architecture, and why it runs as it does on this host (os/arch-table.ts's archWhy). */
  arch: guestArch.default('x86_64'),
  archWhy: z.string().default(''),
  description: z.string(),
  summary: z.string(),
  traits: z.object({
    /** Shared-folder methods the guest can mount, best first. */
    shareMethods: z.array(shareMethod),
    /** A driver disc (virtio-win) changes which devices the guest gets: `withDriverDisc`. */
    driverDisc: z.boolean(),
    /** A kernel can be booted directly: `withKernel`. */
    kernelBoot: z.boolean(),
    /** What the OS's installer refuses to go on without. */
    requires: z.object({ firmware: firmware.optional(), tpm: z.boolean().optional() }),
  }),
  defaults: presetDefaults,
  /** The defaults when a driver disc is given (only where `traits.driverDisc`). */
  withDriverDisc: presetDefaults.optional(),
  /** The defaults when a kernel is booted directly (only where `traits.kernelBoot`). */
  withKernel: presetDefaults.optional(),
});
export type PresetDescription = z.infer<typeof presetInfo>;
export type PresetDefaults = z.infer<typeof presetDefaults>;

/** Choices made on top of a preset, each the VmConfig field's own schema (vm/create.ts places them). */
export const createOverrides = z.object({
  firmware: firmware.optional(),
  // Ranges are the shared limits' (src/shared/limits.ts), checked with the host's numbers at create.
  cores: z.number({ error: CORES_NOT_A_NUMBER }).int(CORES_NOT_A_NUMBER).optional(),
  memoryMiB: z.number({ error: MEMORY_MIB_NOT_A_NUMBER }).int(MEMORY_MIB_NOT_A_NUMBER).optional(),
  /** The system disk's (the first disk's) bus. */
  diskBus: diskBus.optional(),
  nic: nicModel.optional(),
  display: displayDevice.optional(),
  /** Where the screen is shown: in Guestbay, or QEMU's own window. */
  viewer: z.enum(['guestbay', 'window']).optional(),
  /** Every shared folder's method. */
  shareMethod: shareMethod.optional(),
  tpm: z.boolean().optional(),
  /** Threads per core (1 or 2). */
  threads: z.number().int().optional(),
  /** How the guest reaches the network, and the host bridge for `bridge`. */
  network: z.enum(['user', 'bridge', 'none']).optional(),
  bridge: z.string().max(15).optional(),
  /** Port forwards (user networking): host 127.0.0.1 unless `hostAddress` says otherwise. */
  forwards: z.array(portForward).max(64).optional(),
  sound: z.enum(['auto', 'hda', 'virtio-sound', 'ac97', 'none']).optional(),
  /** Host USB devices to pass through, by vendor:product (as `host.usbDevices` lists them). */
  usbDevices: z.array(z.object({ vendorId: hex4.transform((s) => s.toLowerCase()), productId: hex4.transform((s) => s.toLowerCase()), label: z.string().max(200).optional() })).max(16).optional(),
  autostart: z.boolean().optional(),
  /** "Memory in a file" (VmConfig.memoryFile). */
  memoryFile: z.boolean().optional(),
});
export type CreateOverrides = z.infer<typeof createOverrides>;

const createInput = z.object({
  preset: z.string().min(1),
  name: vmName,
  title: z.string().max(200).optional(),
  diskSize: z.string().max(32).optional(),
  /** An existing disk image to use instead of a new one (an installed guest, reused). */
  existingDisk: z.string().max(4096).optional(),
  iso: z.string().max(4096).optional(),
  driversIso: z.string().max(4096).optional(),
  kernel: z.string().max(4096).optional(),
  initrd: z.string().max(4096).optional(),
  append: z.string().max(4096).optional(),
  shares: z.array(z.string().max(4096)).max(16).optional(),
  /** The Guestbay-wide shared folder in this guest (default: yes; false opts out). */
  guestbayFolder: z.boolean().optional(),
  /** The wizard's own choices on top of the preset (firmware, CPU, memory, devices…). */
  overrides: createOverrides.optional(),
});
export type CreateInput = z.infer<typeof createInput>;

/** Allowed, but worth a second look before going on (a share of the whole home folder). */
const fieldWarnings = z.array(z.object({ field: z.string(), message: z.string() }));

const planView = z.object({
  command: z.string(),
  /** The whole start as one block to paste into a terminal: folders, UEFI variables, sidecars, QEMU (what Copy copies). */
  paste: z.string(),
  accel: z.enum(['kvm', 'tcg']),
  warnings: z.array(z.object({ id: z.string(), message: z.string() })),
  sidecars: z.array(z.object({ kind: z.string(), purpose: z.string(), command: z.string() })),
});

const fileEntry = z.object({ name: z.string(), path: z.string(), kind: z.enum(['file', 'dir']), size: z.number().optional() });

/** The steps of preparing a first macOS guest, in order (src/main/macos/prepare.ts). */
export const macosPrepareStep = z.enum(['preflight', 'recovery', 'recovery-disk', 'opencore', 'create']);
export type MacosPrepareStep = z.infer<typeof macosPrepareStep>;
/** The steps as the CLI counts them and the app lists them. */
export const MACOS_PREPARE_STEPS: readonly { step: MacosPrepareStep; title: string }[] = [
  { step: 'preflight', title: 'Check the request and this host' },
  { step: 'recovery', title: 'Download macOS Recovery from Apple, verifying every chunk' },
  { step: 'recovery-disk', title: 'Put the recovery image on a disk OpenCore can boot' },
  { step: 'opencore', title: 'Build the OpenCore boot disk with a new Mac identity' },
  { step: 'create', title: 'Create the guest' },
];

const macosPrepareInput = z.object({
  release: z.string().max(32),
  name: vmName,
  title: z.string().max(200).optional(),
  diskSize: z.string().max(32).optional(),
  resolution: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
  shares: z.array(z.string().max(4096)).max(16).optional(),
  /** Go on without KVM: the user saw the warning and chose to. */
  allowTcg: z.boolean().optional(),
});
export type MacosPrepareInput = z.infer<typeof macosPrepareInput>;

/** One preparation, as the app follows it: where it is, the download's progress, how it ended. */
export const macosJob = z.object({
  name: z.string(),
  release: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  step: macosPrepareStep,
  message: z.string(),
  download: z.object({ file: z.string(), bytes: z.number(), total: z.number(), bytesPerSecond: z.number(), etaSeconds: z.number().nullable() }).optional(),
  error: z.string().optional(),
  /** Findings that did not stop it but must be said (no KVM above all). */
  warnings: z.array(finding),
});
export type MacosJob = z.infer<typeof macosJob>;

/** The steps of preparing a first Windows guest, in order (src/main/windows/prepare.ts). */
export const windowsPrepareStep = z.enum(['preflight', 'iso', 'drivers', 'answer', 'create']);
export type WindowsPrepareStep = z.infer<typeof windowsPrepareStep>;
/** The steps as the CLI counts them and the app lists them. */
export const WINDOWS_PREPARE_STEPS: readonly { step: WindowsPrepareStep; title: string }[] = [
  { step: 'preflight', title: 'Check this host' },
  { step: 'iso', title: 'Read the Windows ISO' },
  { step: 'drivers', title: 'virtio-win drivers' },
  { step: 'answer', title: 'Answer file and its disk' },
  { step: 'create', title: 'Create the guest' },
];

const windowsVersion = z.enum(['10', '11']);
const windowsPrepareInput = z.object({
  name: vmName,
  title: z.string().max(200).optional(),
  /** The user's Windows ISO; or `download`, from Microsoft's download service. */
  iso: z.string().max(4096).optional(),
  download: windowsVersion.optional(),
  /** An image name or edition id on the ISO; default Pro. */
  edition: z.string().max(200).optional(),
  /** The user's virtio-win ISO; default the pinned release, downloaded once. */
  virtioWin: z.string().max(4096).optional(),
  user: z.string().max(64),
  /** Written only to the answer disk (encoded as Windows Setup reads it); never kept anywhere else. */
  password: z.string().max(256),
  diskSize: z.string().max(32).optional(),
  shares: z.array(z.string().max(4096)).max(16).optional(),
  /** Go on without KVM: the user saw the warning and chose to. */
  allowTcg: z.boolean().optional(),
  /** Windows 11 Setup's TPM / Secure Boot checks skipped: only when the user asks (a host without swtpm). */
  bypassRequirements: z.boolean().optional(),
});
export type WindowsPrepareInput = z.infer<typeof windowsPrepareInput>;

/** One Windows preparation, as the app follows it; `notes` say where the downloads came from and how they were checked. */
export const windowsJob = z.object({
  name: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  step: windowsPrepareStep,
  message: z.string(),
  download: z.object({ file: z.string(), bytes: z.number(), total: z.number(), bytesPerSecond: z.number(), etaSeconds: z.number().nullable() }).optional(),
  error: z.string().optional(),
  /** Microsoft refused the download: the page where a person can download it by hand. */
  manualPage: z.string().optional(),
  warnings: z.array(finding),
  notes: z.array(z.string()),
});
export type WindowsJob = z.infer<typeof windowsJob>;

/** What a Windows ISO is, read from the ISO itself (label, install image's XML). */
export const windowsIsoInfo = z.object({
  label: z.string(),
  version: windowsVersion.nullable(),
  images: z.array(z.object({ index: z.number(), name: z.string(), editionId: z.string().nullable(), major: z.number().nullable(), build: z.number().nullable(), arch: z.number().nullable() })),
  source: z.enum(['install.wim', 'install.esd', 'label']),
  /** Where the install image was found: the ISO 9660 tree, or UDF only (Microsoft's newer ISOs). */
  filesystem: z.enum(['iso9660', 'udf']).optional(),
  note: z.string().optional(),
  /** The edition Guestbay would install, or why none can be picked. */
  picked: z.object({ name: z.string(), reason: z.string() }).nullable(),
});

/** The virtio-win release Guestbay downloads, and how it is checked. */
export const virtioWinSource = z.object({
  version: z.string(),
  url: z.string(),
  /** Pinned in this build; null: trust on first use. */
  sha256: z.string().nullable(),
  /** The hash recorded when it was first downloaded here (trust on first use), if it was. */
  firstSeen: z.object({ sha256: z.string(), at: z.string() }).nullable(),
  cached: z.boolean(),
});

/**
 * A guest's screen as Guestbay shows it. `agent`: whether clipboard sharing works: `connected`
 * (spice-vdagent runs in the guest), `absent` (the channel is there, no agent answers in the
 * guest), `none` (this guest or this QEMU has no agent channel).
 */
export const displayInfo = z.object({
  viewer: z.enum(['guestbay', 'window']),
  agent: z.enum(['connected', 'absent', 'none']),
  /** One sentence for the view: what the clipboard does here and why. */
  agentDetail: z.string(),
  /** The guest's resolution can follow the window (EDID on virtio-vga/virtio-gpu, when its driver takes it). */
  resizes: z.boolean(),
  /** Views open on this guest right now (any window or browser tab). */
  connections: z.number().int(),
});
export type DisplayInfo = z.infer<typeof displayInfo>;

/** A PNG as base64, at most 512 KiB of picture (a thumbnail, never a full screen). */
const pngBase64 = z.string().max(700_000, 'a thumbnail is at most 512 KiB').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'a thumbnail is base64');

/** A call: its input and output schemas. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> => ({ input, output });

export const calls = {
  'host.probe': call(z.object({ refresh: z.boolean().optional() }), hostCaps),
  /** The USB devices plugged into this host, for the guest's USB picker (hubs marked). */
  'host.usbDevices': call(z.object({}), z.array(hostUsbDevice)),
  /**
   * Free space where a folder's files land (statfs; a folder not made yet: its nearest parent);
   * without a path, the guests folder, where a new guest's disks go.
   */
  'host.freeSpace': call(
    z.object({
      path: hostPath
        .refine((p) => p.startsWith('/'), 'Give the folder as an absolute path, starting with /.')
        .superRefine((p, ctx) => {
          const m = controlCharMessage(p, 'folder');
          if (m) ctx.addIssue({ code: 'custom', message: m });
        })
        .optional(),
    }),
    z.object({ path: z.string(), measured: z.string(), freeBytes: z.number(), totalBytes: z.number() }),
  ),
  'presets.list': call(z.object({}), z.array(presetInfo)),
  /** The config a create would make, with reasons and the command, without writing anything. */
  'guests.preview': call(
    createInput,
    z.object({
      config: vmConfig,
      reasons: z.record(z.string(), z.string()),
      warnings: fieldWarnings,
      plan: planView.optional(),
      planError: z.string().optional(),
      /** The Guestbay folder in this guest on this host, whether or not `config.guestbayFolder` takes it (the wizard's tickbox says it). */
      guestbayFolder: guestbayFolderView.optional(),
    }),
  ),
  'guests.list': call(z.object({}), z.array(guestSummary)),
  'guests.get': call(name, z.object({ config: vmConfig, status: guestStatus, revision })),
  /** The running guest's OS, addresses and mounts, as its agent reports them (never waits on a guest without one). */
  'guests.agent': call(name, guestAgentInfo),
  'guests.create': call(createInput, z.object({ config: vmConfig, reasons: z.record(z.string(), z.string()), warnings: fieldWarnings })),
  /**
   * Replaces the guest's whole config (the guest page's settings, `guestbay edit`), checked as
   * the wizard checks: the schema, this host's limits and the OS's minimums, files that must
   * exist. `revision` is the one the edit was made on (ConflictError if the file moved on). A
   * disk added with a `size` and no file yet is created (qemu-img); a disk removed keeps its
   * file unless its id is in `deleteDiskFiles`. On a running guest, what QEMU can change live
   * (media, USB devices, port forwards) is applied at once and the rest is pending until the
   * next start; a saved guest cannot be edited (the guest-state model says why). The name
   * cannot change here: `guests.rename`.
   */
  'guests.update': call(
    name.extend({ revision, config: z.unknown(), deleteDiskFiles: z.array(z.string().max(32)).max(64).optional() }),
    editResult,
  ),
  /**
   * `key=value` settings, as `guestbay set` takes them (`memory=8G`, `cores=4`, `nic=e1000e`,
   * `forward+=tcp:2222:22`, `media=/isos/x.iso`): the keys and their values are listed by
   * `guests.settings`. Applied together, checked as `guests.update` checks, to the revision given
   * (or the current one).
   */
  'guests.set': call(name.extend({ revision: revision.optional(), assignments: z.array(z.string().max(4200)).min(1, 'Give at least one key=value.').max(64) }), editResult),
  /** Every key `guests.set` takes, and this guest's limits on this host (the wizard's), with the preset's reason for each choice. */
  'guests.settings': call(
    name,
    z.object({
      keys: z.array(settingKey),
      /** `minSystemDiskBytes`: what the guest system installs on (Windows 11: 64 GiB); data disks go down to `minDiskBytes`. */
      limits: z.object({ minCores: z.number(), maxCores: z.number(), minMemoryMiB: z.number(), maxMemoryMiB: z.number(), minDiskBytes: z.number(), minSystemDiskBytes: z.number(), maxDiskBytes: z.number() }),
      reasons: z.record(z.string(), z.string()),
    }),
  ),
  /**
   * Renames a stopped guest: its folder moves with rename(2) inside the guests' folder (disks,
   * logs and the UEFI variables with it), then its config takes the new name. Refused while it
   * runs or is saved, and when the new name is taken. `title` is an ordinary setting.
   */
  'guests.rename': call(name.extend({ newName: vmName, revision: revision.optional() }), z.object({ config: vmConfig, revision })),
  /** What a running guest gets at its next start (null: not running, or nothing differs). */
  'guests.pending': call(name, pendingChanges.nullable()),
  /**
   * Puts a disc image in a CD/DVD drive (`drive`: its id; default: the first CD drive, one is
   * added to a stopped guest that has none). On a running guest the disc changes at once
   * (QMP), and the config keeps it for the next start.
   */
  'guests.media.insert': call(name.extend({ drive: driveId.optional(), path: hostPath }), editResult),
  /** Empties a CD/DVD drive (live on a running guest; `force` opens a tray the guest has locked). */
  'guests.media.eject': call(name.extend({ drive: driveId.optional(), force: z.boolean().optional() }), editResult),
  /** Passes a host USB device (by vendor:product, as `host.usbDevices` lists them) to the guest: plugged in at once on a running guest. */
  'guests.usb.attach': call(name.extend({ vendorId: hex4, productId: hex4, label: z.string().max(200).optional() }), editResult),
  'guests.usb.detach': call(name.extend({ vendorId: hex4, productId: hex4 }), editResult),
  /**
   * Passes a host USB port (bus and port path, as `host.usbDevices` lists them: `port` 1-2.3 is bus 1,
   * path "2.3"): whatever is plugged in there, now or later. On a running guest at once (QEMU
   * waits on an empty port); kept in the config as a port entry (vendor:product 0000:0000).
   */
  'guests.usb.attachPort': call(name.extend({ port: usbPort, label: z.string().max(200).optional() }), editResult),
  'guests.usb.detachPort': call(name.extend({ port: usbPort }), editResult),
  /** Adds a port forward (host 127.0.0.1 unless `hostAddress` says otherwise): live on a running guest with user networking. */
  'guests.forwards.add': call(name.extend({ forward: portForward }), editResult),
  'guests.forwards.remove': call(
    name.extend({ protocol: z.enum(['tcp', 'udp']).default('tcp'), hostPort: z.number().int().min(1).max(65535), hostAddress: z.ipv4().optional() }),
    editResult,
  ),
  /** Plugs or unplugs the running guest's network cable (QMP set_link). Not kept: every start begins plugged in. */
  'guests.link': call(name.extend({ up: z.boolean() }), z.object({ up: z.boolean() })),
  /**
   * Adds a disk: a new image (`size`, created with qemu-img in the guest's folder) or an existing
   * file (`path`). A stopped guest gets it at its next start; a running one at its next start
   * too, except a USB disk, which is plugged in at once.
   */
  'guests.disks.add': call(
    name.extend({
      disk: z.object({
        size: z.union([z.string().max(32), z.number()]).optional(),
        path: hostPath.optional(),
        format: z.enum(['qcow2', 'raw']).optional(),
        bus: diskBus.optional(),
        cache: z.enum(['none', 'writeback', 'writethrough', 'directsync', 'unsafe']).optional(),
      }),
      revision: revision.optional(),
    }),
    editResult.extend({ id: z.string() }),
  ),
  /** Removes a disk from the guest; its file is deleted only with `deleteFile: true` (an explicit confirmation), else kept and named. */
  'guests.disks.remove': call(
    name.extend({ id: z.string().max(32), deleteFile: z.boolean().default(false), revision: revision.optional() }),
    editResult.extend({ kept: z.string().nullable(), deleted: z.string().nullable() }),
  ),
  /**
   * Removes a guest. Refused while it runs (shut it down or force it off first) or is saved
   * (discard the saved state first): the guest-state model says why. Disk images are kept
   * unless `deleteDisks`; `kept` names them.
   */
  'guests.delete': call(name.extend({ deleteDisks: z.boolean().default(false) }), z.object({ kept: z.array(z.string()) })),
  /** Forgets a saved guest's saved state: the next start boots afresh. */
  'guests.discardSaved': call(name, guestStatus),
  /** Opens the guest's folder in the file manager (the desktop app); elsewhere `opened` is false and `path` says where it is. */
  'guests.openFolder': call(z.object({ name: z.string().min(1).max(255) }), z.object({ path: z.string(), opened: z.boolean() })),
  /**
   * Removes a guest whose vm.json cannot be read (listed with an `error`): its folder is moved
   * aside (`vms/.removed-NAME-…`, nothing deleted) or, with `deleteFolder`, deleted; disk
   * images in it are kept (and named) unless `deleteDisks` too.
   */
  'guests.removeDamaged': call(
    z.object({ name: z.string().min(1).max(255), deleteFolder: z.boolean().default(false), deleteDisks: z.boolean().default(false) }),
    z.object({ movedTo: z.string().nullable(), kept: z.array(z.string()) }),
  ),
  'guests.start': call(name.extend({ headless: z.boolean().optional(), paused: z.boolean().optional(), fresh: z.boolean().optional() }), guestStatus),
  'guests.stop': call(name.extend({ force: z.boolean().optional(), timeoutSeconds: z.number().min(0).max(3600).optional() }), guestStatus),
  'guests.pause': call(name, guestStatus),
  'guests.resume': call(name, guestStatus),
  'guests.reset': call(name, guestStatus),
  'guests.save': call(name, guestStatus),
  'guests.restore': call(name, guestStatus),
  /** `notification` is what the desktop shows ("Saved Windows 11, restored macOS Sonoma in 3.2 s"). */
  'guests.switch': call(name, z.object({ summary: z.string(), status: guestStatus, elapsedMs: z.number(), notification: z.object({ title: z.string(), body: z.string() }) })),
  'guests.cmdline': call(name, planView),
  'guests.logs': call(name.extend({ lines: z.number().int().min(1).max(5000).default(200) }), z.array(z.object({ file: z.string(), text: z.string() }))),
  /** A PNG thumbnail of the guest's screen, base64. */
  'guests.screenshot': call(
    name.extend({ maxWidth: z.number().int().min(16).max(3840).default(320), maxHeight: z.number().int().min(16).max(2160).default(240) }),
    z.object({ png: z.string(), width: z.number(), height: z.number() }),
  ),
  /** The last picture of the guest's screen kept in its folder (a stopped or saved guest shows it in the library). */
  'guests.lastScreen': call(name, z.object({ png: z.string().nullable(), width: z.number().int(), height: z.number().int(), at: z.string().nullable() })),
  /**
   * Opens the guest's screen: a one-time ticket (valid for `expiresInMs`) that the transport
   * turns into a byte channel to QEMU's VNC socket (the headless server's WebSocket at
   * `display/<ticket>`, or the desktop window's MessagePort). Refused, with the reason, for a
   * guest that does not exist, is not running, or has no screen in Guestbay.
   */
  'display.open': call(name, displayInfo.extend({ ticket: z.string(), expiresInMs: z.number().int() })),
  'display.info': call(name, displayInfo),
  /** The open view's current picture, as a thumbnail: the library shows it instead of asking QEMU for another screendump. */
  'display.frame': call(name.extend({ png: pngBase64 }), z.object({ ok: z.literal(true) })),
  /** Opens the guest's serial console: its output arrives as `serial.data` events. */
  'serial.open': call(name, z.object({ ok: z.literal(true) })),
  'serial.write': call(name.extend({ data: z.string().max(65536) }), z.object({ ok: z.literal(true) })),
  'serial.close': call(name, z.object({ ok: z.literal(true) })),
  /** What an installer ISO is, from its volume label: a preset to suggest. */
  'media.identify': call(z.object({ path: z.string().max(4096) }), z.object({ label: z.string().nullable(), preset: z.string().nullable(), title: z.string().nullable() })),
  /** Native pickers (Electron); the headless mode answers `supported: false` and the UI browses with `fs.list`. */
  'dialog.pickFile': call(z.object({ title: z.string().max(200), filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional() }), z.object({ supported: z.boolean(), path: z.string().nullable() })),
  'dialog.pickFolder': call(z.object({ title: z.string().max(200) }), z.object({ supported: z.boolean(), path: z.string().nullable() })),
  /** Start Guestbay with the desktop session, in the tray (an XDG autostart entry). `available` is false outside the desktop app. */
  'settings.autostart.get': call(z.object({}), z.object({ available: z.boolean(), enabled: z.boolean() })),
  'settings.autostart.set': call(z.object({ enabled: z.boolean() }), z.object({ available: z.boolean(), enabled: z.boolean() })),
  /** What this host needs for a macOS release, each finding with its fix. */
  'macos.preflight': call(z.object({ release: z.string().max(32) }), z.array(finding)),
  /**
   * Starts preparing a macOS guest (download, recovery disk, OpenCore, create). Bad input and
   * preflight blockers fail the call itself; after that it runs on, followed by `macos.job` events.
   */
  'macos.prepare': call(macosPrepareInput, macosJob),
  /** Preparations running or ended since Guestbay started (for a window that opens or reconnects mid-way). */
  'macos.jobs': call(z.object({}), z.array(macosJob)),
  'macos.cancel': call(name, macosJob),
  /** After the install: detach the recovery disk and make OpenCore boot the installed disk. The guest must be stopped. */
  'macos.finish': call(name, z.object({ config: vmConfig, done: z.array(z.string()) })),
  /** Sets kvm.ignore_msrs=1 and report_ignored_msrs=0 now, through pkexec (the user is asked for their password). */
  'macos.fixIgnoreMsrs': call(z.object({}), z.object({ ok: z.literal(true) })),
  /** What this host offers a first Windows guest (KVM, swtpm, OVMF with Secure Boot keys, room), each finding with its fix. */
  'windows.preflight': call(z.object({ version: windowsVersion, diskSize: z.string().max(32).optional(), bypassRequirements: z.boolean().optional() }), z.array(finding)),
  /** Reads a Windows ISO's version and editions (the file the user picked). */
  'windows.inspect': call(z.object({ path: z.string().max(4096), edition: z.string().max(200).optional() }), windowsIsoInfo),
  /** The pinned virtio-win drivers ISO: where it comes from and how it is checked. */
  'windows.virtioWin': call(z.object({}), virtioWinSource),
  /**
   * Starts preparing a Windows guest (the ISO, virtio-win, the answer disk, the guest). Bad input
   * and preflight blockers fail the call itself; after that it runs on, followed by `windows.job` events.
   */
  'windows.prepare': call(windowsPrepareInput, windowsJob),
  'windows.jobs': call(z.object({}), z.array(windowsJob)),
  'windows.cancel': call(name, windowsJob),
  /** Browse the host's files (for pickers without a native dialog): the user's home by default. */
  'fs.list': call(z.object({ dir: z.string().max(4096).optional() }), z.object({ dir: z.string(), parent: z.string().nullable(), entries: z.array(fileEntry) })),
  /** Disks, snapshots, clones, import and export: declared in contract-disks.ts. */
  ...diskCalls,
  ...guestToolsCalls,
  /** The Guestbay-wide settings (the Guestbay folder): declared in contract-settings.ts. */
  ...settingsCalls,
  /** The IOMMU view, evdev devices, passthrough prerequisites and Looking Glass: declared in contract-passthrough.ts. */
  ...passthroughCalls,
} as const;

/**
 * A guest appeared, changed, was renamed, disappeared or became unreadable: by this API (any
 * client's call) or by another process (the CLI, another server, an editor on vm.json), seen
 * through a watch on the guests' folder. `created`, `changed` and `renamed` carry the new config
 * and revision, so a client needs no refetch; a guest started or stopped elsewhere arrives as
 * `guest.state`.
 */
export const guestChange = z.discriminatedUnion('change', [
  z.object({ change: z.literal('created'), name: z.string(), config: vmConfig, revision, status: guestStatus }),
  z.object({ change: z.literal('changed'), name: z.string(), config: vmConfig, revision }),
  z.object({ change: z.literal('renamed'), name: z.string(), oldName: z.string(), config: vmConfig, revision }),
  z.object({ change: z.literal('deleted'), name: z.string() }),
  z.object({ change: z.literal('damaged'), name: z.string(), error: z.string() }),
]);
export type GuestChange = z.infer<typeof guestChange>;

export const events = {
  /** A guest's whole status, each time its state changes: the same object the lifecycle calls answer with. */
  'guest.state': guestStatus,
  'guests.changed': guestChange,
  progress: z.object({ name: z.string(), operation: z.string(), message: z.string(), fraction: z.number().min(0).max(1).optional() }),
  'serial.data': z.object({ name: z.string(), data: z.string() }),
  /** Something a guest's open view should say (it was reset: the screen restarts). */
  'display.notice': z.object({ name: z.string(), message: z.string() }),
  'macos.job': macosJob,
  'windows.job': windowsJob,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<C extends CallName> = z.input<Calls[C]['input']>;
export type CallOutput<C extends CallName> = z.output<Calls[C]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** An error as it crosses a transport: the class name, plain words, and the fields at fault. */
export const wireError = z.object({
  name: z.string(),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type WireError = z.infer<typeof wireError>;
/** call-error.ts spells the same shape without zod: true only while the two agree (a compile error otherwise). */
export type WireErrorAgrees = [WireError, WireErrorShape] extends [WireErrorShape, WireError] ? true : never;
export const wireErrorAgrees: WireErrorAgrees = true;

/** What every transport carries. */
export const request = z.object({ id: z.number().int(), call: z.string(), input: z.unknown() });
export type Reply = { ok: true; output: unknown } | { ok: false; error: WireError };
export type Response = Reply & { id: number };
export type EventMessage = { event: EventName; payload: unknown };

/** The renderer's view of the bridge: typed from the contract, the same for every transport. */
export interface GuestbayClient {
  call<C extends CallName>(call: C, input: CallInput<C>): Promise<CallOutput<C>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

export { CallError } from './call-error';

export function isCallName(s: string): s is CallName {
  return Object.prototype.hasOwnProperty.call(calls, s);
}
