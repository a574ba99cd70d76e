// The guest model: what the wizard edits, the store saves and the CLI shows.
// It never holds QEMU syntax: the launch plan (src/main/qemu/plan/) is the only code that
// turns these choices into arguments, asking the host's capabilities as it goes.
import { ConfigError, type FieldError } from './config-error';
import { z } from 'zod';
import { controlCharMessage, type TextKind } from './control-chars';
import { CORES_NOT_A_NUMBER, MAX_CORES, MAX_MEMORY_MIB, MEMORY_MIB_NOT_A_NUMBER, MIN_MEMORY_MIB, formatMemory } from './limit-values';
import { plainIssue } from './plain-errors';
import { parseSize, formatSize, MAX_DISK_BYTES, MIN_DISK_BYTES } from './size';
import { archTraits, displayFits } from './os/arch-table';
import { accelChoice, guestArch, diskBus, diskCache, diskFormat, displayDevice, firmware, keyboardModel, machineType, networkMode, nicModel, pointerModel, shareMethod, soundBackend, soundDevice, usbController } from './vm-choices';

// The device and firmware enums, with their labels, live in vm-choices.ts (spelled once).
export { diskBus, displayDevice, firmware, guestArch, nicModel, shareMethod } from './vm-choices';
export type { DiskBus, DisplayDevice, Firmware, GuestArch, NicModel, ShareMethod } from './vm-choices';

export const VM_CONFIG_VERSION = 4;

/** Guest names become folder names and socket names: a strict, shell-safe alphabet. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const NAME_MAX = 64;

export const vmName = z
  .string({ error: 'a name is required' })
  .min(1, 'a name is required')
  .max(NAME_MAX, `a name is at most ${NAME_MAX} characters`)
  .regex(
    NAME_PATTERN,
    'a name uses only letters, digits, ".", "_" and "-", and starts with a letter or digit (no spaces, slashes or quotes)',
  );

/** Text without control characters (control-chars.ts says why), refused in words that fit `kind`. */
const plain = (kind: TextKind, max: number, tooLong = `at most ${max} characters`) =>
  z
    .string()
    .max(max, tooLong)
    .superRefine((s, ctx) => {
      const message = controlCharMessage(s, kind);
      if (message) ctx.addIssue({ code: 'custom', message });
    });

/** A path as the user gave it: absolute, or relative to the guest's own folder. */
const pathOf = (kind: 'path' | 'folder') => plain(kind, 4096, 'a path is at most 4096 characters').min(1, 'a path is required');
const path = pathOf('path');

const absolutePath = path.refine((p) => p.startsWith('/'), 'must be an absolute path');

const sizeBytes = z
  .number()
  .int('a size is a whole number of bytes')
  .min(MIN_DISK_BYTES, `a disk is at least ${formatSize(MIN_DISK_BYTES)}`)
  .max(MAX_DISK_BYTES, `a disk is at most ${formatSize(MAX_DISK_BYTES)} (the largest file ext4 can hold)`);

/** Accepts 68719476736 or "64G" alike; stores bytes. */
export const sizeInput = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const r = parseSize(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  }
  return r.bytes;
}).pipe(sizeBytes);

export const osFamily = z.enum(['linux', 'windows', 'macos', 'other']);
export type OsFamily = z.infer<typeof osFamily>;

export const disk = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a disk id is a short lower-case identifier'),
  path,
  format: diskFormat.default('qcow2'),
  /** Size to create the image with; an existing image keeps its own size. */
  size: sizeInput.optional(),
  bus: diskBus.default('virtio'),
  // writeback: works on every filesystem (tmpfs and some ZFS setups refuse the O_DIRECT that
  // `none` needs) and still honours the guest's flushes, so it is crash-safe.
  cache: diskCache.default('writeback'),
  aio: z.enum(['threads', 'native', 'io_uring']).default('threads'),
  discard: z.boolean().default(true),
  readOnly: z.boolean().default(false),
});
export type Disk = z.infer<typeof disk>;

/**
 * A media drive's id: how the launch plan, `guestbay media --drive`, the guest page and the
 * contract's `guests.media.*` calls name it. Short, lower case, no hyphen (the plan derives
 * QEMU's own ids from it).
 */
export const mediaId = z.string().regex(/^[a-z][a-z0-9]{0,15}$/, 'A drive id is a short lower-case name like cd0 (letters and digits).');

/** Removable or auxiliary media: installers, driver discs, macOS recovery and boot loader. */
export const media = z.object({
  id: mediaId,
  role: z.enum(['install', 'drivers', 'recovery', 'bootloader']),
  /** The image in the drive; a CD/DVD drive may be empty (ejected), and keeps its place. */
  path: path.optional(),
  /** `dmg` is attached read-only through QEMU's dmg block driver. */
  format: z.enum(['raw', 'qcow2', 'dmg']).default('raw'),
  as: z.enum(['cdrom', 'disk']).default('cdrom'),
  /** SATA by default (every guest system reads it); `scsi` is virtio-scsi, for guests without AHCI. */
  bus: diskBus.extract(['sata', 'ide', 'virtio', 'scsi', 'usb']).default('sata'),
});
export type Media = z.infer<typeof media>;

const port = z.number().int().min(1, 'a port is 1–65535').max(65535, 'a port is 1–65535');

export const portForward = z.object({
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  /** Loopback unless the user asks for the LAN: a guest's SSH must not be reachable by default. */
  hostAddress: z.ipv4().default('127.0.0.1'),
  hostPort: port,
  guestPort: port,
});
export type PortForward = z.infer<typeof portForward>;

export const network = z.object({
  mode: networkMode.default('user'),
  nic: nicModel.default('virtio-net'),
  mac: z
    .string()
    .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a MAC address looks like 52:54:00:12:34:56 (lower case)')
    .optional(),
  /** Host bridge for `bridge` mode (through qemu-bridge-helper). */
  bridge: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, 'a bridge is an interface name like br0').optional(),
  portForwards: z.array(portForward).default([]),
});
export type Network = z.infer<typeof network>;

export const display = z.object({
  device: displayDevice.default('auto'),
  /**
   * Where the screen is shown. `guestbay`: inside Guestbay's own window or browser tab (QEMU's
   * VNC server on a private socket, drawn by noVNC); the only one that works in browser mode or
   * over SSH. `window`: QEMU's own window (`window` says which), the fastest local path, with
   * OpenGL (virgl) when `gl`; only on this machine's own desktop.
   */
  viewer: z.enum(['guestbay', 'window']).default('guestbay'),
  /** For `viewer: window`: QEMU's GTK or SDL window, or SPICE for remote-viewer (USB redirection, GL). */
  window: z.enum(['gtk', 'sdl', 'spice']).default('gtk'),
  /**
   * OpenGL acceleration (virgl) where the device and the host allow it: in QEMU's own window, or
   * in Guestbay's view through egl-headless on a GPU render node (plan/gl.ts decides).
   */
  gl: z.boolean().default(false),
  resolution: z
    .object({ width: z.number().int().min(640).max(7680), height: z.number().int().min(480).max(4320) })
    .optional(),
});
export type Display = z.infer<typeof display>;

export const sharedFolder = z.object({
  tag: z.string().regex(/^[A-Za-z0-9_-]{1,31}$/, 'a share tag is 1–31 letters, digits, "_" or "-"'),
  hostPath: pathOf('folder').refine((p) => p.startsWith('/'), 'must be an absolute path'),
  method: shareMethod.default('virtiofs'),
  readOnly: z.boolean().default(false),
});
export type SharedFolder = z.infer<typeof sharedFolder>;

const hex4 = z.string().regex(/^[0-9a-f]{4}$/, 'a USB id is four lower-case hex digits, e.g. 046d');

/**
 * A USB port as sysfs and QEMU name it: the bus number and the port path through hubs
 * (`1-1.2` is bus 1, port 1, then port 2 of the hub there: hostbus=1, hostport=1.2).
 */
export const usbPort = z.object({
  bus: z.number({ error: 'a USB bus is a number from 1 to 255' }).int('a USB bus is a number from 1 to 255').min(1, 'a USB bus is a number from 1 to 255').max(255, 'a USB bus is a number from 1 to 255'),
  path: z.string().regex(/^[1-9][0-9]?(\.[1-9][0-9]?){0,6}$/, 'a USB port path is port numbers joined by dots, like 1 or 1.2'),
});
export type UsbPort = z.infer<typeof usbPort>;

export const usbHostDevice = z.object({
  vendorId: hex4,
  productId: hex4,
  label: plain('label', 200).optional(),
  /** Pass whatever is plugged into this port instead of finding the device by vendor:product (two identical devices, a device whose id changes). */
  port: usbPort.optional(),
});
export type UsbHostDevice = z.infer<typeof usbHostDevice>;

/** An input device node: /dev/input/by-id/…-event-kbd (stays the same across boots) or /dev/input/eventN. */
const evdevPath = z
  .string()
  .regex(/^\/dev\/input\/(by-id\/|by-path\/)?[A-Za-z0-9._:@+-]+$/, 'an input device is a path under /dev/input, like /dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd')
  .refine((p) => !p.split('/').includes('..'), 'an input device is a path under /dev/input');

/** Keys that hand keyboard and mouse between host and guest (QEMU's input-linux grab-toggle). */
export const evdevToggle = z.enum(['ctrl-ctrl', 'alt-alt', 'shift-shift', 'meta-meta', 'scrolllock', 'ctrl-scrolllock']);
export type EvdevToggle = z.infer<typeof evdevToggle>;

/** The host's own keyboard and mouse read directly by QEMU (evdev): native-feeling input, no USB controller passed. */
export const evdevInput = z.object({
  keyboard: evdevPath.optional(),
  mouse: evdevPath.optional(),
  toggle: evdevToggle.default('ctrl-ctrl'),
});
export type EvdevInput = z.infer<typeof evdevInput>;

/** Looking Glass: the guest's GPU output copied into host memory (IVSHMEM) and shown by its client. */
export const lookingGlass = z.object({
  /** `kvmfr`: the KVMFR module's /dev/kvmfr0 (DMA, fastest); `shm`: a file in /dev/shm. */
  memory: z.enum(['kvmfr', 'shm']).default('shm'),
  /** The largest resolution the guest will show: the shared memory is sized for it. */
  width: z.number().int().min(640, 'Looking Glass needs a width of at least 640').max(7680, 'Looking Glass supports widths up to 7680').default(1920),
  height: z.number().int().min(480, 'Looking Glass needs a height of at least 480').max(4320, 'Looking Glass supports heights up to 4320').default(1080),
});
export type LookingGlass = z.infer<typeof lookingGlass>;

export const pciDevice = z.object({
  address: z
    .string()
    .regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/, 'a PCI address looks like 0000:01:00.0'),
  label: plain('label', 200).optional(),
  romFile: absolutePath.optional(),
  /** An Intel GVT-g share of the GPU at `address`: the mediated device's UUID (/sys/bus/mdev/devices/<uuid>). */
  mdev: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a mediated device is named by a UUID like 4b20d080-1b54-4048-85b3-a6a62d165c01').optional(),
});
export type PciDevice = z.infer<typeof pciDevice>;

export const cpu = z.object({
  // What any host allows; the host's own limits and the guest OS's minimums are checked where a
  // value is chosen (limits.ts), so a guest moved from a larger machine still reads.
  cores: z
    .number({ error: CORES_NOT_A_NUMBER })
    .int(CORES_NOT_A_NUMBER)
    .min(1, 'A guest needs at least 1 core.')
    .max(MAX_CORES, `A guest can have at most ${MAX_CORES} cores.`),
  /** Threads per core (SMT, as the host's hyper-threads): the guest sees cores × threads CPUs. */
  threads: z.number({ error: 'Threads per core must be a whole number: 1 or 2.' }).int('Threads per core must be a whole number: 1 or 2.').min(1, 'A core has at least 1 thread.').max(2, 'A core has at most 2 threads (as on x86 hosts).').default(1),
  /**
   * `auto`: the launch plan chooses per host and guest (host CPU on KVM, an Intel model with
   * vendor=GenuineIntel for macOS on AMD, `max` under TCG). Otherwise a QEMU CPU model name.
   */
  model: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a CPU model is a name like host or Haswell-noTSX').default('auto'),
});

const vmConfigShape = z.object({
  schemaVersion: z.literal(VM_CONFIG_VERSION),
  name: vmName,
  title: plain('title', 200).optional(),
  os: z.object({
    family: osFamily,
    /** Release key, e.g. `sonoma`, `11`, `generic`. */
    version: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,31}$/, 'a version is a short lower-case key like sonoma or 11'),
  }),
  /** Which preset made it, for the UI's explanations; choices live in the fields below. */
  preset: plain('value', 200).optional(),
  /**
   * The guest's CPU architecture. x86_64 unless said; an ARM or RISC-V guest is emulated on a PC
   * (os/arch-table.ts says what each allows; the checks below hold the other fields to it).
   */
  arch: guestArch.default('x86_64'),
  machine: machineType.default('q35'),
  accel: accelChoice.default('auto'),
  firmware: firmware.default('uefi'),
  cpu,
  memoryMiB: z
    .number({ error: MEMORY_MIB_NOT_A_NUMBER })
    .int(MEMORY_MIB_NOT_A_NUMBER)
    .min(MIN_MEMORY_MIB, `A guest needs at least ${formatMemory(MIN_MEMORY_MIB)} of memory: give it ${formatMemory(MIN_MEMORY_MIB)} or more.`)
    .max(MAX_MEMORY_MIB, `A guest can have at most ${formatMemory(MAX_MEMORY_MIB)} of memory.`),
  /**
   * The guest's RAM as a file in its folder (memory.ram) instead of anonymous memory (absent:
   * off). A save then writes only the devices' state and a restore maps the same file back
   * (`x-ignore-shared`): a switch in a blink, at the cost of the RAM's size in disk space and the
   * host writing the guest's changed memory to the disk while it runs (issue 18;
   * docs/save-restore-speed.md). Applies at the next start.
   */
  memoryFile: z.boolean().optional(),
  disks: z.array(disk).default([]),
  media: z.array(media).default([]),
  network: network.default({ mode: 'user', nic: 'virtio-net', portForwards: [] }),
  display: display.default({ device: 'auto', viewer: 'guestbay', window: 'gtk', gl: false }),
  sharedFolders: z.array(sharedFolder).default([]),
  /**
   * Whether the Guestbay-wide shared folder (a setting: `guestbay settings`, default
   * ~/Guestbay Shared) is in this guest, as the share tagged "guestbay". Its folder is read from
   * the settings at each start, and its method chosen then for this OS, QEMU and virtiofsd
   * (plan/guestbay-folder.ts): a change of the setting applies at each guest's next start.
   */
  guestbayFolder: z.boolean().default(false),
  usb: z
    .object({
      controller: usbController.default('xhci'),
      hostDevices: z.array(usbHostDevice).default([]),
    })
    .default({ controller: 'xhci', hostDevices: [] }),
  pciDevices: z.array(pciDevice).default([]),
  /**
   * Single-GPU passthrough, a guarded opt-in (absent: off): the host gives its only GPU to this
   * guest while it runs (display manager stopped, consoles and firmware framebuffer let go, the
   * card handed to vfio-pci) and takes it back when the guest ends, also after a crash or a failed
   * start (src/main/vm/single-gpu-run.ts). Refused unless the guest passes a GPU and the
   * host has exactly one (passthrough/single-gpu-guard.ts).
   */
  singleGpu: z.boolean().optional(),
  lookingGlass: lookingGlass.optional(),
  input: z
    .object({
      keyboard: keyboardModel.default('usb'),
      pointer: pointerModel.default('usb-tablet'),
      evdev: evdevInput.optional(),
    })
    .default({ keyboard: 'usb', pointer: 'usb-tablet' }),
  audio: z
    .object({
      /**
       * `auto`: virtio-sound where the guest OS has a driver for it (the OS table's `virtioSound`)
       * and this QEMU has the device (8.2+); Intel HDA otherwise (src/main/qemu/plan/audio.ts).
       */
      device: soundDevice.default('auto'),
      /** `auto`: PipeWire where QEMU has it, then PulseAudio, then ALSA. */
      backend: soundBackend.default('auto'),
    })
    .default({ device: 'auto', backend: 'auto' }),
  tpm: z.object({ enabled: z.boolean().default(false) }).default({ enabled: false }),
  /** Direct kernel boot, for Linux guests (and the tests' tiny guest). */
  kernelBoot: z
    .object({ kernel: path, initrd: path.optional(), append: plain('kernel-args', 4096).optional() })
    .optional(),
  /** macOS identity (SMBIOS), generated once per guest and kept with it. */
  macos: z
    .object({
      model: plain('value', 32),
      serial: z.string().regex(/^[A-Z0-9]{10,12}$/),
      mlb: z.string().regex(/^[A-Z0-9]{13,17}$/),
      rom: z.string().regex(/^[0-9a-f]{12}$/),
      uuid: z.uuid(),
      resolution: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
    })
    .optional(),
  /**
   * Which devices the firmware tries, in order: `disk:<id>`, `media:<id>`, `network`. Absent:
   * the boot loader, then the disks, then the installers (drivers discs never). Devices not
   * listed are not booted from.
   */
  bootOrder: z.array(z.string().regex(/^(disk|media):[a-z][a-z0-9-]{0,31}$|^network$/, 'A boot entry is disk:ID, media:ID or network.')).max(16).optional(),
  /** Start this guest when Guestbay starts (the desktop app in the tray, or `guestbay serve`). */
  autostart: z.boolean().default(false),
  /** Extra arguments appended verbatim, for what Guestbay does not model; shown in the command. */
  extraArgs: z.array(plain('argument', 4096)).default([]),
  /**
   * A read-only base: its disks are the backing files of linked clones (copy-on-write
   * overlays), so they never change and the guest does not start (src/main/disks/bases.ts).
   */
  base: z.object({ since: z.string().max(64) }).optional(),
});

export const vmConfig = vmConfigShape.superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.disks.forEach((d, i) => {
    if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: ['disks', i, 'id'], message: `disk id "${d.id}" is used twice` });
    seen.add(d.id);
  });
  const drives = new Set<string>();
  c.media.forEach((m, i) => {
    if (drives.has(m.id)) ctx.addIssue({ code: 'custom', path: ['media', i, 'id'], message: `The drive id "${m.id}" is used twice: give each drive its own.` });
    drives.add(m.id);
    if (m.path === undefined && m.as !== 'cdrom') ctx.addIssue({ code: 'custom', path: ['media', i, 'path'], message: 'Only a CD/DVD drive can be empty: give this drive an image.' });
  });
  const boots = new Set<string>();
  c.bootOrder?.forEach((b, i) => {
    if (boots.has(b)) ctx.addIssue({ code: 'custom', path: ['bootOrder', i], message: `"${b}" is in the boot order twice.` });
    boots.add(b);
    const [kind, id] = b.split(':');
    if (kind === 'disk' && !c.disks.some((d) => d.id === id)) ctx.addIssue({ code: 'custom', path: ['bootOrder', i], message: `The boot order names disk "${id}", which this guest does not have.` });
    if (kind === 'media' && !c.media.some((m) => m.id === id)) ctx.addIssue({ code: 'custom', path: ['bootOrder', i], message: `The boot order names drive "${id}", which this guest does not have.` });
    if (kind === 'network' && c.network.mode === 'none') ctx.addIssue({ code: 'custom', path: ['bootOrder', i], message: 'The boot order names the network, and this guest has none: remove it, or turn networking on.' });
  });
  const tags = new Set<string>();
  c.sharedFolders.forEach((s, i) => {
    if (tags.has(s.tag)) ctx.addIssue({ code: 'custom', path: ['sharedFolders', i, 'tag'], message: `share tag "${s.tag}" is used twice` });
    tags.add(s.tag);
  });
  archFits(c, ctx);
  if (c.firmware === 'uefi-secure' && c.machine !== 'q35') {
    ctx.addIssue({ code: 'custom', path: ['firmware'], message: 'Secure Boot needs the q35 machine (SMM)' });
  }
  const fwd = new Set<string>();
  c.network.portForwards.forEach((f, i) => {
    const key = `${f.protocol}:${f.hostAddress}:${f.hostPort}`;
    if (fwd.has(key)) ctx.addIssue({ code: 'custom', path: ['network', 'portForwards', i, 'hostPort'], message: `host port ${f.hostPort}/${f.protocol} is forwarded twice` });
    fwd.add(key);
  });
  if (c.network.mode === 'bridge' && !c.network.bridge) {
    ctx.addIssue({ code: 'custom', path: ['network', 'bridge'], message: 'bridge mode needs a bridge interface, e.g. br0' });
  }
});

export type VmConfig = z.infer<typeof vmConfig>;

/** The machine, firmware and devices must exist for the guest's architecture (the arch table says which). */
function archFits(c: z.infer<typeof vmConfigShape>, ctx: z.RefinementCtx): void {
  const a = archTraits(c.arch);
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (!a.machines.includes(c.machine)) issue(['machine'], `This ${a.name} guest has the ${a.machines.join(' or ')} machine, not ${c.machine}: choose ${a.machines[0]}.`);
  if (!a.firmwares.includes(c.firmware)) {
    issue(['firmware'], `This ${a.name} guest starts with ${a.firmwares.map((f) => a.firmwareNames[f] ?? f).join(' or ')}; "${c.firmware}" does not exist for it.`);
  }
  if (!displayFits(c.arch, c.display.device)) issue(['display', 'device'], `The ${c.display.device} display needs a PC's VGA, which this ${a.name} guest does not have: choose virtio-gpu or ramfb.`);
  if (!a.ps2 && c.input.keyboard === 'ps2') issue(['input', 'keyboard'], `This ${a.name} guest has no PS/2 port: choose a USB or virtio keyboard.`);
  if (!a.ps2 && c.input.pointer === 'ps2-mouse') issue(['input', 'pointer'], `This ${a.name} guest has no PS/2 port: choose a USB or virtio tablet.`);
  if (!a.tpm && c.tpm.enabled) issue(['tpm', 'enabled'], `Guestbay cannot give this ${a.name} guest a TPM yet: turn it off.`);
  if (!a.macos && c.os.family === 'macos') issue(['arch'], 'Only an x86_64 guest can run macOS.');
}
/** What callers may write: defaults filled in by parsing. */
export type VmConfigInput = z.input<typeof vmConfig>;

export { ConfigError, type FieldError };

/** A schema's refusal as field errors in plain words (plain-errors.ts: never zod's own generic text). */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map(plainIssue);
}
