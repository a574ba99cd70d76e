// Every setting as `guestbay set NAME key=value…` and the contract's `guests.set` take it:
// its key, where it lands in VmConfig, what a value looks like, and when a change reaches the
// guest. `appliesTo` is the one place that says which settings change on a running guest at
// once (media, USB devices, port forwards), which need nothing applied (title, autostart) and
// which wait for the next start (everything else). Applying keys only edits a draft: the edit
// service then checks the whole result as the wizard does. Pure: no Node, no DOM.
import { accelChoice, choicesOf, diskBus, diskCache, diskFormat, DISPLAY_DEVICE_LABELS, FIRMWARE_LABELS, FIRMWARE_MEANINGS, keyboardModel, machineType, networkMode, NIC_LABELS, pointerModel, shareMethod, soundBackend, soundDevice, usbController } from './vm-choices';
import { parseUsbPort, portEntry, usbEntryKey } from './usb-port';
import { display, firmware, nicModel, type UsbHostDevice, type VmConfig } from './vm-config';

export type Applies = 'live' | 'next-start' | 'now';

/**
 * When a change to this VmConfig field reaches the guest. `live` means QEMU can change it on
 * the running guest (the edit service does, and falls back to the next start for what it
 * cannot: a drive that does not exist yet, forwards on a bridged network).
 */
export function appliesTo(field: string): Applies {
  if (field === 'title' || field === 'autostart') return 'now';
  if (/^media(\.|$)/.test(field) || /^usb\.hostDevices(\.|$)/.test(field) || /^network\.portForwards(\.|$)/.test(field)) return 'live';
  return 'next-start';
}

/** A key or value `set` cannot take: `key` is what the user typed, the message says what to do. */
export class SettingError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}

/** A config being edited: VmConfig's shape, before it is checked again. */
export type Draft = VmConfig;

export interface SetContext {
  /** Where relative paths start (the CLI's working folder; the API uses the home folder). */
  cwd: string;
  /** What `~` means. */
  home: string;
}

export type SetOp = '=' | '+=' | '-=';

export interface SettingDef {
  key: string;
  field: string;
  help: string;
  format: string;
  values?: { value: string; help: string }[];
  list: boolean;
  apply(d: Draft, op: SetOp, value: string, ctx: SetContext): void;
}

// ---- values ---------------------------------------------------------------------------------

const onOff = (key: string, v: string): boolean => {
  if (/^(on|yes|true|1)$/i.test(v)) return true;
  if (/^(off|no|false|0)$/i.test(v)) return false;
  throw new SettingError(key, `${key} is on or off, not "${v}".`);
};

const oneOf = <T extends string>(key: string, v: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new SettingError(key, `${key} is one of ${allowed.join(', ')}; "${v}" is not one of them.`);
};

const wholeNumber = (key: string, v: string, what: string): number => {
  if (!/^\d{1,9}$/.test(v.trim())) throw new SettingError(key, `${what} is a whole number, like 2; "${v}" is not.`);
  return Number(v.trim());
};

/** "8G", "512M", "1.5G", "4096" (MiB, as QEMU's -m reads it) → MiB. */
export function parseMemory(key: string, v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(v);
  if (!m) throw new SettingError(key, `Memory is a size like 4G or 512M; "${v}" is not.`);
  const n = Number(m[1]);
  const unit = (m[2] || 'M').toUpperCase();
  const mib = unit === 'K' ? n / 1024 : unit === 'M' ? n : unit === 'G' ? n * 1024 : n * 1024 * 1024;
  if (!Number.isFinite(mib) || mib > Number.MAX_SAFE_INTEGER) throw new SettingError(key, `"${v}" is far more memory than any computer has.`);
  if (!Number.isInteger(mib)) throw new SettingError(key, `Memory is a whole number of MiB: "${v}" is not (try ${Math.round(mib)}M).`);
  return mib;
}

/** A path as typed: `~` is the home folder, a relative path starts at `cwd`. Control characters are refused. */
export function resolvePath(key: string, v: string, ctx: SetContext): string {
  if (v === '') throw new SettingError(key, 'Give a path to a file or folder.');
  // A line break in a path would end up in QEMU's options or a sidecar's configuration.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) throw new SettingError(key, 'The path contains a control character (a line break, a tab…): rename the file or folder, or pick another.');
  let p = v;
  if (p === '~' || p.startsWith('~/')) p = ctx.home + p.slice(1);
  if (!p.startsWith('/')) p = `${ctx.cwd.replace(/\/+$/, '')}/${p}`;
  // Normalise ./ and ../ so the config names the file plainly.
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** `tcp:2222:22`, `2222:22`, `udp:0.0.0.0:5353:53`: protocol tcp and host 127.0.0.1 unless given. */
export function parseForward(key: string, v: string, o: { guestPortOptional?: boolean } = {}): { protocol: 'tcp' | 'udp'; hostAddress: string; hostPort: number; guestPort?: number } {
  const bad = () =>
    new SettingError(key, `A port forward is [tcp|udp:][ADDRESS:]HOSTPORT:GUESTPORT, like tcp:2222:22 (host port 2222 on 127.0.0.1 to the guest's port 22); "${v}" is not.`);
  const parts = v.trim().split(':');
  let protocol: 'tcp' | 'udp' = 'tcp';
  if (parts[0] === 'tcp' || parts[0] === 'udp') protocol = parts.shift() as 'tcp' | 'udp';
  let hostAddress = '127.0.0.1';
  if (parts.length >= 2 && /^\d{1,3}(\.\d{1,3}){3}$/.test(parts[0]!)) hostAddress = parts.shift()!;
  if (parts.length === 0 || parts.length > 2 || (parts.length === 1 && !o.guestPortOptional)) throw bad();
  const port = (s: string) => {
    if (!/^\d{1,5}$/.test(s)) throw bad();
    const n = Number(s);
    if (n < 1 || n > 65535) throw new SettingError(key, `A port is 1 to 65535; ${n} is not.`);
    return n;
  };
  const hostPort = port(parts[0]!);
  const guestPort = parts[1] === undefined ? undefined : port(parts[1]);
  if (hostAddress.split('.').some((b) => Number(b) > 255)) throw new SettingError(key, `${hostAddress} is not an IPv4 address.`);
  return { protocol, hostAddress, hostPort, guestPort };
}

const USB_ID = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/;
export function parseUsbId(key: string, v: string): { vendorId: string; productId: string } {
  const m = USB_ID.exec(v.trim());
  if (!m) throw new SettingError(key, `A USB device is VENDOR:PRODUCT in hex, like 046d:c52b (guestbay usb lists what is plugged in); "${v}" is not.`);
  return { vendorId: m[1]!.toLowerCase(), productId: m[2]!.toLowerCase() };
}

/** One `usb` value: VENDOR:PRODUCT, or BUS-PORT (a digit, a dash: `1-2.3`). */
export function parseUsbEntry(key: string, v: string): UsbHostDevice {
  if (/^\d+-/.test(v.trim())) {
    const p = parseUsbPort(v);
    if (!p.ok) throw new SettingError(key, p.message);
    return portEntry(p.port);
  }
  if (!USB_ID.test(v.trim())) throw new SettingError(key, `A USB device is VENDOR:PRODUCT in hex, like 046d:c52b, or a port, BUS-PORT like 1-2.3 (guestbay usb lists what is plugged in, and where); "${v}" is neither.`);
  return parseUsbId(key, v);
}

/** `KEY,opt=value,flag` → the first part and the options. */
function withOptions(v: string): { head: string; opts: Map<string, string> } {
  const [head, ...rest] = v.split(',');
  const opts = new Map<string, string>();
  for (const r of rest) {
    const [k, ...val] = r.split('=');
    opts.set(k!.trim(), val.join('=').trim());
  }
  return { head: head!.trim(), opts };
}

function checkOptions(key: string, opts: Map<string, string>, allowed: string[]): void {
  for (const k of opts.keys()) {
    if (!allowed.includes(k)) throw new SettingError(key, `${key} takes the options ${allowed.join(', ')}; "${k}" is not one of them.`);
  }
}

const nextId = (prefix: string, used: string[]) => {
  for (let n = used.includes(prefix) ? 2 : 1; ; n++) {
    const id = n === 1 ? prefix : `${prefix}${n}`;
    if (!used.includes(id)) return id;
  }
};

/** Share tags from folder names, as the presets make them. */
function shareTag(path: string, used: string[]): string {
  const base = path.replace(/\/+$/, '').split('/').pop() || 'share';
  let tag = base.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 28) || 'share';
  for (let n = 2; used.includes(tag); n++) tag = `${base.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 28)}${n}`;
  return tag;
}

/** The first CD/DVD drive (`media=` changes its disc). */
export function firstCdDrive(d: Draft) {
  return d.media.find((m) => m.as === 'cdrom' && m.role !== 'drivers') ?? d.media.find((m) => m.as === 'cdrom');
}

/** A new CD/DVD drive's id: cd0, cd1… */
export function newCdId(d: Draft): string {
  for (let n = 0; ; n++) if (!d.media.some((m) => m.id === `cd${n}`)) return `cd${n}`;
}

const listOnly = (key: string, op: SetOp) => {
  if (op !== '=') throw new SettingError(key, `${key} is one value: use ${key}=VALUE (+= and -= are for lists).`);
};

// ---- the keys -------------------------------------------------------------------------------

const SETTINGS: SettingDef[] = [
  {
    key: 'title',
    field: 'title',
    help: 'The name shown in the library (any text; the guest\'s name stays its folder name).',
    format: 'text, up to 200 characters; empty to use the name',
    list: false,
    apply(d, op, v) {
      listOnly('title', op);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) throw new SettingError('title', 'A title cannot contain a control character (a line break, a tab…).');
      if (v.length > 200) throw new SettingError('title', 'A title is at most 200 characters.');
      d.title = v === '' ? undefined : v;
    },
  },
  {
    key: 'memory',
    field: 'memoryMiB',
    help: 'Memory for the guest.',
    format: 'a size like 4G, 1.5G or 512M',
    list: false,
    apply(d, op, v) {
      listOnly('memory', op);
      d.memoryMiB = parseMemory('memory', v);
    },
  },
  {
    key: 'memory-file',
    field: 'memoryFile',
    help: 'Memory in a file: the guest\'s RAM is a file in its folder (memory.ram), so a save writes only the devices\' state and a restore maps the file again: saving and switching take a blink. It uses the memory\'s size of disk in the guest\'s folder, and the host writes the guest\'s changed memory to the disk while it runs. Applies at the next start; cannot change while a saved state exists.',
    format: 'on or off',
    list: false,
    apply(d, op, v) {
      listOnly('memory-file', op);
      if (onOff('memory-file', v)) d.memoryFile = true;
      else delete d.memoryFile;
    },
  },
  {
    key: 'cores',
    field: 'cpu.cores',
    help: 'Virtual CPU cores.',
    format: 'a whole number, up to the threads of this computer',
    list: false,
    apply(d, op, v) {
      listOnly('cores', op);
      d.cpu.cores = wholeNumber('cores', v, 'Cores');
    },
  },
  {
    key: 'threads',
    field: 'cpu.threads',
    help: 'Threads per core, as the host\'s hyper-threads: the guest sees cores × threads CPUs.',
    format: '1 or 2',
    values: [
      { value: '1', help: 'one thread per core (the default)' },
      { value: '2', help: 'two, as a hyper-threaded CPU' },
    ],
    list: false,
    apply(d, op, v) {
      listOnly('threads', op);
      d.cpu.threads = wholeNumber('threads', v, 'Threads per core');
    },
  },
  {
    key: 'cpu',
    field: 'cpu.model',
    help: 'The CPU model the guest sees.',
    format: 'auto, host, max, or a QEMU CPU model name like Haswell-noTSX',
    values: [
      { value: 'auto', help: 'the host CPU under KVM, max under emulation, an Intel model for macOS on AMD' },
      { value: 'host', help: 'the host CPU itself (KVM only)' },
      { value: 'max', help: 'every feature QEMU can emulate' },
    ],
    list: false,
    apply(d, op, v) {
      listOnly('cpu', op);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v)) throw new SettingError('cpu', `A CPU model is a name like host or Haswell-noTSX; "${v}" is not.`);
      d.cpu.model = v;
    },
  },
  {
    key: 'firmware',
    field: 'firmware',
    help: 'The firmware. Switching between BIOS and UEFI makes an installed system unbootable.',
    format: firmware.options.join(', '),
    values: choicesOf(FIRMWARE_LABELS).map(([value, label]) => ({ value, help: `${label}: ${FIRMWARE_MEANINGS[value]}` })),
    list: false,
    apply(d, op, v) {
      listOnly('firmware', op);
      d.firmware = oneOf('firmware', v, firmware.options);
    },
  },
  {
    key: 'secure-boot',
    field: 'firmware',
    help: 'Secure Boot (UEFI only): on is firmware=uefi-secure, off is firmware=uefi.',
    format: 'on or off',
    list: false,
    apply(d, op, v) {
      listOnly('secure-boot', op);
      if (d.firmware === 'bios') throw new SettingError('secure-boot', 'Secure Boot needs UEFI, and this guest boots with BIOS: set firmware=uefi-secure instead (an installed BIOS system will not boot from UEFI).');
      d.firmware = onOff('secure-boot', v) ? 'uefi-secure' : 'uefi';
    },
  },
  {
    key: 'tpm',
    field: 'tpm.enabled',
    help: 'A TPM 2.0 (swtpm), which Windows 11 requires.',
    format: 'on or off',
    list: false,
    apply(d, op, v) {
      listOnly('tpm', op);
      d.tpm = { ...d.tpm, enabled: onOff('tpm', v) };
    },
  },
  {
    key: 'machine',
    field: 'machine',
    help: 'The chipset: q35 (PCIe, AHCI) or pc (i440fx, for very old systems).',
    format: 'q35 or pc',
    list: false,
    apply(d, op, v) {
      listOnly('machine', op);
      d.machine = oneOf('machine', v, machineType.options);
    },
  },
  {
    key: 'accel',
    field: 'accel',
    help: 'KVM (near native speed) or software emulation; auto uses KVM where it works.',
    format: 'auto, kvm or tcg',
    list: false,
    apply(d, op, v) {
      listOnly('accel', op);
      d.accel = oneOf('accel', v, accelChoice.options);
    },
  },
  {
    key: 'net',
    field: 'network.mode',
    help: 'How the guest reaches the network: user-mode NAT (port forwards, works anywhere), a host bridge, or none.',
    format: 'user, bridge or none',
    list: false,
    apply(d, op, v) {
      listOnly('net', op);
      d.network = { ...d.network, mode: oneOf('net', v, networkMode.options) };
    },
  },
  {
    key: 'bridge',
    field: 'network.bridge',
    help: 'The host bridge for net=bridge (through qemu-bridge-helper).',
    format: 'an interface name like br0',
    list: false,
    apply(d, op, v) {
      listOnly('bridge', op);
      if (!/^[A-Za-z0-9_.-]{1,15}$/.test(v)) throw new SettingError('bridge', `A bridge is an interface name like br0; "${v}" is not.`);
      d.network = { ...d.network, bridge: v };
    },
  },
  {
    key: 'nic',
    field: 'network.nic',
    help: 'The network card the guest sees.',
    format: nicModel.options.join(', '),
    values: choicesOf(NIC_LABELS).map(([value, help]) => ({ value, help })),
    list: false,
    apply(d, op, v) {
      listOnly('nic', op);
      d.network = { ...d.network, nic: oneOf('nic', v, nicModel.options) };
    },
  },
  {
    key: 'mac',
    field: 'network.mac',
    help: 'The network card\'s MAC address; auto lets QEMU choose.',
    format: 'like 52:54:00:12:34:56, or auto',
    list: false,
    apply(d, op, v) {
      listOnly('mac', op);
      if (v === 'auto') {
        d.network = { ...d.network, mac: undefined };
        return;
      }
      const mac = v.toLowerCase();
      if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) throw new SettingError('mac', `A MAC address is six hex pairs like 52:54:00:12:34:56; "${v}" is not.`);
      if (parseInt(mac.slice(0, 2), 16) & 1) throw new SettingError('mac', `${v} is a multicast address: the first pair must be even (52:54:00 is QEMU's own prefix).`);
      d.network = { ...d.network, mac };
    },
  },
  {
    key: 'forward',
    field: 'network.portForwards',
    help: 'Port forwards from the host to the guest (user networking). The host side listens on 127.0.0.1 unless an address is given.',
    format: '[tcp|udp:][ADDRESS:]HOSTPORT:GUESTPORT, e.g. forward+=tcp:2222:22; forward-=tcp:2222 removes one',
    list: true,
    apply(d, op, v) {
      const forwards = d.network.portForwards;
      if (op === '-=') {
        const f = parseForward('forward', v, { guestPortOptional: true });
        const i = forwards.findIndex((x) => x.protocol === f.protocol && x.hostPort === f.hostPort && (v.split(':').length < 4 || x.hostAddress === f.hostAddress));
        if (i < 0) throw new SettingError('forward', `There is no ${f.protocol} forward from host port ${f.hostPort} to remove.`);
        d.network = { ...d.network, portForwards: forwards.filter((_, n) => n !== i) };
        return;
      }
      const add = v === '' ? [] : v.split(/\s+/).filter(Boolean).map((one) => {
        const f = parseForward('forward', one);
        return { protocol: f.protocol, hostAddress: f.hostAddress, hostPort: f.hostPort, guestPort: f.guestPort! };
      });
      d.network = { ...d.network, portForwards: op === '+=' ? [...forwards, ...add] : add };
    },
  },
  {
    key: 'display',
    field: 'display.device',
    help: 'The graphics card the guest sees.',
    format: display.shape.device.unwrap().options.join(', '),
    values: choicesOf(DISPLAY_DEVICE_LABELS).map(([value, help]) => ({ value, help })),
    list: false,
    apply(d, op, v) {
      listOnly('display', op);
      d.display = { ...d.display, device: oneOf('display', v, display.shape.device.unwrap().options) };
    },
  },
  {
    key: 'resolution',
    field: 'display.resolution',
    help: 'The screen size the guest starts with (where its display device lets it choose).',
    format: 'WIDTHxHEIGHT like 1920x1080, or auto',
    list: false,
    apply(d, op, v) {
      listOnly('resolution', op);
      if (v === 'auto') {
        d.display = { ...d.display, resolution: undefined };
        return;
      }
      const m = /^(\d{3,4})x(\d{3,4})$/.exec(v);
      if (!m) throw new SettingError('resolution', `A resolution is WIDTHxHEIGHT like 1920x1080; "${v}" is not.`);
      d.display = { ...d.display, resolution: { width: Number(m[1]), height: Number(m[2]) } };
    },
  },
  {
    key: 'viewer',
    field: 'display.viewer',
    help: 'Where the screen is shown.',
    format: 'guestbay or window',
    values: [
      { value: 'guestbay', help: 'In Guestbay (also in the browser and over SSH).' },
      { value: 'window', help: "QEMU's own window (see window=): the fastest on this desktop, with virgl when gl=on." },
    ],
    list: false,
    apply(d, op, v) {
      listOnly('viewer', op);
      d.display = { ...d.display, viewer: oneOf('viewer', v, display.shape.viewer.unwrap().options) };
    },
  },
  {
    key: 'window',
    field: 'display.window',
    help: "Which window QEMU opens when viewer=window.",
    format: 'gtk, sdl or spice',
    values: [
      { value: 'gtk', help: "QEMU's GTK window." },
      { value: 'sdl', help: "QEMU's SDL window." },
      { value: 'spice', help: 'SPICE, shown with remote-viewer.' },
    ],
    list: false,
    apply(d, op, v) {
      listOnly('window', op);
      d.display = { ...d.display, window: oneOf('window', v, display.shape.window.unwrap().options) };
    },
  },
  {
    key: 'gl',
    field: 'display.gl',
    help: 'OpenGL acceleration (virgl) where the display and the host allow it.',
    format: 'on or off',
    list: false,
    apply(d, op, v) {
      listOnly('gl', op);
      d.display = { ...d.display, gl: onOff('gl', v) };
    },
  },
  {
    key: 'sound',
    field: 'audio.device',
    help: 'The sound card the guest sees.',
    format: 'auto, hda, virtio-sound, ac97 or none',
    values: [
      { value: 'auto', help: 'virtio-sound where the guest has a driver and QEMU the device, Intel HDA otherwise' },
      { value: 'hda', help: 'Intel HD Audio: every system has the driver' },
      { value: 'virtio-sound', help: 'virtio: Linux 5.13+ (QEMU 8.2+)' },
      { value: 'ac97', help: 'AC97: very old systems' },
      { value: 'none', help: 'no sound' },
    ],
    list: false,
    apply(d, op, v) {
      listOnly('sound', op);
      d.audio = { ...d.audio, device: oneOf('sound', v, soundDevice.options) };
    },
  },
  {
    key: 'sound-backend',
    field: 'audio.backend',
    help: 'Where the guest\'s sound goes on the host.',
    format: 'auto, pipewire, pa, alsa or none',
    list: false,
    apply(d, op, v) {
      listOnly('sound-backend', op);
      d.audio = { ...d.audio, backend: oneOf('sound-backend', v, soundBackend.options) };
    },
  },
  {
    key: 'usb',
    field: 'usb.hostDevices',
    help: 'Host USB devices passed to the guest, by vendor:product, or by port (whatever is plugged in there, now or later); plugged in at once on a running guest.',
    format: 'VENDOR:PRODUCT in hex, e.g. usb+=046d:c52b, or BUS-PORT as `guestbay usb` lists it, e.g. usb+=1-2.3',
    list: true,
    apply(d, op, v) {
      const devices = d.usb.hostDevices;
      const entries: UsbHostDevice[] = v === '' ? [] : v.split(/[\s,]+/).filter(Boolean).map((one) => parseUsbEntry('usb', one));
      const has = (list: UsbHostDevice[], e: UsbHostDevice) => list.some((x) => usbEntryKey(x) === usbEntryKey(e));
      const named = (e: UsbHostDevice) => (e.port ? `USB ${usbEntryKey(e)}` : `USB device ${usbEntryKey(e)}`);
      if (op === '-=') {
        for (const e of entries) if (!has(devices, e)) throw new SettingError('usb', `${named(e)} is not passed to this guest.`);
        d.usb = { ...d.usb, hostDevices: devices.filter((x) => !has(entries, x)) };
        return;
      }
      if (op === '+=') {
        for (const e of entries) if (has(devices, e)) throw new SettingError('usb', `${named(e)} is already passed to this guest.`);
      }
      for (const [i, e] of entries.entries()) if (has(entries.slice(0, i), e)) throw new SettingError('usb', `${named(e)} is given twice.`);
      d.usb = { ...d.usb, hostDevices: op === '+=' ? [...devices, ...entries] : entries };
    },
  },
  {
    key: 'usb-controller',
    field: 'usb.controller',
    help: 'The USB controller: xhci (USB 3), ehci (USB 2) or none.',
    format: 'xhci, ehci or none',
    list: false,
    apply(d, op, v) {
      listOnly('usb-controller', op);
      d.usb = { ...d.usb, controller: oneOf('usb-controller', v, usbController.options) };
    },
  },
  {
    key: 'keyboard',
    field: 'input.keyboard',
    help: 'The keyboard the guest sees.',
    format: 'usb, ps2 or virtio',
    list: false,
    apply(d, op, v) {
      listOnly('keyboard', op);
      d.input = { ...d.input, keyboard: oneOf('keyboard', v, keyboardModel.options) };
    },
  },
  {
    key: 'pointer',
    field: 'input.pointer',
    help: 'The pointer: a tablet keeps the host and guest cursors together.',
    format: 'usb-tablet, virtio-tablet or ps2-mouse',
    list: false,
    apply(d, op, v) {
      listOnly('pointer', op);
      d.input = { ...d.input, pointer: oneOf('pointer', v, pointerModel.options) };
    },
  },
  {
    key: 'share',
    field: 'sharedFolders',
    help: 'Host folders the guest can mount. The tag (how the guest mounts it) comes from the folder\'s name unless given.',
    format: 'PATH[,tag=TAG][,method=virtiofs|9p|smb][,ro], e.g. share+=~/Shared; share-=TAG removes one',
    list: true,
    apply(d, op, v, ctx) {
      const shares = d.sharedFolders;
      if (op === '-=') {
        const i = shares.findIndex((s) => s.tag === v || s.hostPath === v || (v.includes('/') && s.hostPath === resolvePath('share', v, ctx)));
        if (i < 0) throw new SettingError('share', `This guest shares no folder "${v}" (name it by its tag or its path).`);
        d.sharedFolders = shares.filter((_, n) => n !== i);
        return;
      }
      if (op === '=' && v === '') {
        d.sharedFolders = [];
        return;
      }
      const { head, opts } = withOptions(v);
      checkOptions('share', opts, ['tag', 'method', 'ro']);
      const hostPath = resolvePath('share', head, ctx);
      const kept = op === '+=' ? shares : [];
      const tag = opts.get('tag') || shareTag(hostPath, kept.map((s) => s.tag));
      const method = opts.has('method') ? oneOf('share', opts.get('method')!, shareMethod.options) : (shares[0]?.method ?? 'virtiofs');
      d.sharedFolders = [...kept, { tag, hostPath, method, readOnly: opts.has('ro') }];
    },
  },
  {
    key: 'media',
    field: 'media',
    help: 'The disc in the first CD/DVD drive (changed at once on a running guest); none ejects it. guestbay media names other drives.',
    format: 'PATH to an image, or none',
    list: false,
    apply(d, op, v, ctx) {
      listOnly('media', op);
      const drive = firstCdDrive(d);
      if (v === '' || v === 'none') {
        if (!drive) throw new SettingError('media', 'This guest has no CD/DVD drive to eject.');
        d.media = d.media.map((m) => (m === drive ? { ...m, path: undefined } : m));
        return;
      }
      const path = resolvePath('media', v, ctx);
      if (drive) d.media = d.media.map((m) => (m === drive ? { ...m, path, format: 'raw' } : m));
      else d.media = [...d.media, { id: newCdId(d), role: 'install', path, format: 'raw', as: 'cdrom', bus: 'sata' }];
    },
  },
  {
    key: 'disk',
    field: 'disks',
    help: 'Disks: a new image of a size, or an existing image file. Removing one keeps its file.',
    format: `SIZE or PATH[,bus=${diskBus.options.join('|')}][,cache=…][,format=qcow2|raw][,id=ID], e.g. disk+=20G; disk-=ID removes one`,
    list: true,
    apply(d, op, v, ctx) {
      if (op === '-=') {
        if (!d.disks.some((x) => x.id === v)) throw new SettingError('disk', `This guest has no disk "${v}" (guestbay show lists them).`);
        d.disks = d.disks.filter((x) => x.id !== v);
        if (d.bootOrder) d.bootOrder = d.bootOrder.filter((b) => b !== `disk:${v}`);
        return;
      }
      if (op === '=') throw new SettingError('disk', 'Disks are added with disk+= and removed with disk-=, one at a time.');
      const { head, opts } = withOptions(v);
      checkOptions('disk', opts, ['bus', 'cache', 'format', 'id']);
      const used = d.disks.map((x) => x.id);
      const id = opts.get('id') || nextId('data', used);
      if (used.includes(id)) throw new SettingError('disk', `This guest already has a disk "${id}".`);
      const bus = opts.has('bus') ? oneOf('disk', opts.get('bus')!, diskBus.options) : (d.disks[0]?.bus ?? 'virtio');
      const cache = opts.has('cache') ? oneOf('disk', opts.get('cache')!, diskCache.options) : 'writeback';
      const format = opts.has('format') ? oneOf('disk', opts.get('format')!, diskFormat.options) : undefined;
      const isSize = /^\d+(\.\d+)?\s*[KMGT]?(i?B)?$/i.test(head);
      const base = { id, bus, cache, aio: 'threads' as const, discard: true, readOnly: false };
      if (isSize) d.disks = [...d.disks, { ...base, path: `${id}.${format ?? 'qcow2'}`, format: format ?? 'qcow2', size: head as unknown as number }];
      else d.disks = [...d.disks, { ...base, path: resolvePath('disk', head, ctx), format: format ?? 'qcow2' }];
    },
  },
  {
    key: 'disk.<id>.bus',
    field: 'disks',
    help: 'How the guest sees one disk.',
    format: diskBus.options.join(', '),
    list: false,
    apply() {
      throw new Error('applied through diskProperty');
    },
  },
  {
    key: 'disk.<id>.cache',
    field: 'disks',
    help: 'Host caching of one disk: writeback (default, works everywhere), none (O_DIRECT), writethrough, directsync, unsafe.',
    format: 'writeback, none, writethrough, directsync or unsafe',
    list: false,
    apply() {
      throw new Error('applied through diskProperty');
    },
  },
  {
    key: 'boot',
    field: 'bootOrder',
    help: 'Which devices the firmware tries, in order; auto: boot loader, disks, then installers.',
    format: 'a list like disk:system,media:install0,network, or auto',
    list: false,
    apply(d, op, v) {
      listOnly('boot', op);
      if (v === 'auto') {
        d.bootOrder = undefined;
        return;
      }
      const entries = v.split(',').map((s) => s.trim()).filter(Boolean);
      for (const e of entries) {
        if (!/^(disk|media):[a-z][a-z0-9-]{0,31}$|^network$/.test(e)) throw new SettingError('boot', `A boot entry is disk:ID, media:ID or network; "${e}" is not.`);
      }
      d.bootOrder = entries;
    },
  },
  {
    key: 'autostart',
    field: 'autostart',
    help: 'Start this guest when Guestbay starts (the desktop app, or guestbay serve).',
    format: 'on or off',
    list: false,
    apply(d, op, v) {
      listOnly('autostart', op);
      d.autostart = onOff('autostart', v);
    },
  },
  {
    key: 'single-gpu',
    field: 'singleGpu',
    help: 'Single-GPU passthrough: the host gives its only GPU to this guest while it runs (its graphical session ends) and takes it back when the guest ends. Only for a guest that passes a GPU, on a computer with exactly one (docs/single-gpu.md: the steps, and the way back over SSH).',
    format: 'on or off',
    list: false,
    apply(d, op, v) {
      listOnly('single-gpu', op);
      if (onOff('single-gpu', v)) d.singleGpu = true;
      else delete d.singleGpu;
    },
  },
];

/** `disk.ID.bus=…`, `disk.ID.cache=…`. */
function diskProperty(d: Draft, key: string, op: SetOp, v: string): boolean {
  const m = /^disk\.([^.]+)\.(bus|cache)$/.exec(key);
  if (!m) return false;
  listOnly(key, op);
  const [, id, prop] = m;
  if (!d.disks.some((x) => x.id === id)) throw new SettingError(key, `This guest has no disk "${id}" (guestbay show lists them).`);
  const value =
    prop === 'bus'
      ? oneOf(key, v, diskBus.options)
      : oneOf(key, v, diskCache.options);
  d.disks = d.disks.map((x) => (x.id === id ? { ...x, [prop!]: value } : x));
  return true;
}

/** The keys, in the order `guestbay set --help` lists them, with when each applies. */
export function settingKeys(): (Omit<SettingDef, 'apply'> & { applies: Applies })[] {
  return SETTINGS.map(({ apply: _apply, ...s }) => ({ ...s, applies: s.key === 'disk' ? 'next-start' : appliesTo(s.field) }));
}

/** `memory=8G` → key, op, value; `forward+=tcp:2222:22` → op `+=`. */
export function parseAssignment(text: string): { key: string; op: SetOp; value: string } {
  const m = /^([A-Za-z][A-Za-z0-9._-]*?)(\+=|-=|=)([\s\S]*)$/.exec(text);
  if (!m) throw new SettingError(text.split(/[+-]?=/)[0] || text, `"${text}" is not key=value (e.g. memory=8G): see guestbay set NAME --help for the keys.`);
  return { key: m[1]!.toLowerCase(), op: m[2] as SetOp, value: m[3]! };
}

/**
 * Applies `key=value` assignments to a copy of `config`, in order. Unknown keys and values a key
 * cannot take are SettingErrors naming the key; the result is checked as a whole by the caller.
 */
export function applySettings(config: VmConfig, assignments: string[], ctx: SetContext): { draft: Draft; keys: { key: string; field: string }[] } {
  const d = JSON.parse(JSON.stringify(config)) as Draft;
  const keys: { key: string; field: string }[] = [];
  for (const a of assignments) {
    const { key, op, value } = parseAssignment(a);
    if (diskProperty(d, key, op, value)) {
      keys.push({ key, field: `disks.${key.split('.')[1]}.${key.split('.')[2]}` });
      continue;
    }
    // `singleGpu=on` as vm.json spells it (keys arrive lower-cased) is `single-gpu=on`.
    const def = SETTINGS.find((s) => (s.key === key || s.key.replace(/-/g, '') === key) && !s.key.includes('<'));
    if (!def) throw new SettingError(key, `There is no setting "${key}": guestbay set NAME --help lists them.`);
    if (op !== '=' && !def.list) throw new SettingError(key, `${key} is one value: use ${key}=VALUE (+= and -= are for lists).`);
    def.apply(d, op, value, ctx);
    keys.push({ key: def.key, field: def.field });
  }
  return { draft: d, keys };
}
