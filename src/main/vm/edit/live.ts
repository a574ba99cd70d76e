// What QEMU can change on a running guest, and doing it: discs in existing CD/DVD drives
// (blockdev-change-medium, eject), USB host devices and USB disks (device_add, device_del),
// user-mode port forwards (hostfwd_add, hostfwd_remove). Everything else an edit changes waits
// for the next start. The devices are named by the launch plan's ids (qemu/plan/ids.ts); the
// QMP commands come from qemu/qmp/commands.ts. A failed step undoes the ones before it, so a
// refused change leaves the guest, and the config, as they were.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Disk, Media, PortForward, UsbHostDevice, VmConfig } from '../../../shared/vm-config';
import type { HostUsbDevice } from '../../../shared/contract';
import { diskDeviceId, diskDriveId, mediaDeviceId, NETDEV_ID, usbHostDeviceId } from '../../qemu/plan/ids';
import { USB_BUS } from '../../qemu/plan/usb-input';
import {
  addDevice,
  addHostForward,
  addImageNode,
  changeMedium,
  ejectMedium,
  isTrayLocked,
  MonitorCommandError,
  removeDevice,
  removeHostForward,
  removeImageNode,
  usbDeviceAttached,
  usbHostPortProps,
  usbHostProps,
} from '../../qemu/qmp/commands';
import { QmpError, type QmpClient } from '../../qemu/qmp';
import { usbEntryKey, usbPortName } from '../../../shared/usb-port';

export type LiveOp =
  | { kind: 'insert'; drive: Media; path: string }
  | { kind: 'eject'; drive: Media; previous: string }
  | { kind: 'usb-add'; device: UsbHostDevice }
  | { kind: 'usb-remove'; device: UsbHostDevice }
  | { kind: 'usb-disk-add'; disk: Disk }
  | { kind: 'usb-disk-remove'; disk: Disk }
  | { kind: 'forward-add'; forward: PortForward }
  | { kind: 'forward-remove'; forward: PortForward };

const fwdKey = (f: Pick<PortForward, 'protocol' | 'hostAddress' | 'hostPort'>) => `${f.protocol}:${f.hostAddress}:${f.hostPort}`;
/** An entry's key and name: its port when passed by port, else vendor:product (src/shared/usb-port.ts). */
const usbKey = usbEntryKey;

/**
 * The changes from `running` (the config as the guest runs now) to `next` that QEMU can make
 * live. Removals come before additions, so a forward moved to another guest port, or a disc
 * swapped, never collides with itself.
 */
export function liveOps(running: VmConfig, next: VmConfig): LiveOp[] {
  const remove: LiveOp[] = [];
  const add: LiveOp[] = [];
  // Discs: only in drives the guest has now (a new drive waits for the next start).
  for (const m of next.media) {
    const now = running.media.find((x) => x.id === m.id);
    if (!now || now.as !== 'cdrom' || m.as !== 'cdrom' || now.bus !== m.bus || now.path === m.path) continue;
    if (m.path === undefined) remove.push({ kind: 'eject', drive: now, previous: now.path! });
    else add.push({ kind: 'insert', drive: now, path: m.path });
  }
  // USB host devices.
  const before = new Map(running.usb.hostDevices.map((d) => [usbKey(d), d]));
  const after = new Map(next.usb.hostDevices.map((d) => [usbKey(d), d]));
  if (running.usb.controller !== 'none' && running.usb.controller === next.usb.controller) {
    for (const [k, d] of before) if (!after.has(k)) remove.push({ kind: 'usb-remove', device: d });
    for (const [k, d] of after) if (!before.has(k)) add.push({ kind: 'usb-add', device: d });
    // USB disks: plugged and unplugged like a stick.
    for (const d of running.disks) if (d.bus === 'usb' && !next.disks.some((x) => x.id === d.id)) remove.push({ kind: 'usb-disk-remove', disk: d });
    for (const d of next.disks) if (d.bus === 'usb' && !running.disks.some((x) => x.id === d.id)) add.push({ kind: 'usb-disk-add', disk: d });
  }
  // Port forwards, on user-mode networking that stays user-mode.
  if (running.network.mode === 'user' && next.network.mode === 'user') {
    const was = new Map(running.network.portForwards.map((f) => [fwdKey(f), f]));
    const will = new Map(next.network.portForwards.map((f) => [fwdKey(f), f]));
    for (const [k, f] of was) if (will.get(k)?.guestPort !== f.guestPort) remove.push({ kind: 'forward-remove', forward: f });
    for (const [k, f] of will) if (was.get(k)?.guestPort !== f.guestPort) add.push({ kind: 'forward-add', forward: f });
  }
  return [...remove, ...add];
}

/** `running` with the live ops applied: the config as the guest runs after them. */
export function afterOps(running: VmConfig, ops: LiveOp[]): VmConfig {
  let c: VmConfig = { ...running, media: [...running.media], disks: [...running.disks], usb: { ...running.usb }, network: { ...running.network } };
  for (const op of ops) {
    switch (op.kind) {
      case 'insert':
        c.media = c.media.map((m) => (m.id === op.drive.id ? { ...m, path: op.path, format: 'raw' } : m));
        break;
      case 'eject':
        c.media = c.media.map((m) => (m.id === op.drive.id ? { ...m, path: undefined } : m));
        break;
      case 'usb-add':
        c.usb = { ...c.usb, hostDevices: [...c.usb.hostDevices, op.device] };
        break;
      case 'usb-remove':
        c.usb = { ...c.usb, hostDevices: c.usb.hostDevices.filter((d) => usbKey(d) !== usbKey(op.device)) };
        break;
      case 'usb-disk-add':
        c.disks = [...c.disks, op.disk];
        break;
      case 'usb-disk-remove':
        c.disks = c.disks.filter((d) => d.id !== op.disk.id);
        break;
      case 'forward-add':
        c.network = { ...c.network, portForwards: [...c.network.portForwards, op.forward] };
        break;
      case 'forward-remove':
        c.network = { ...c.network, portForwards: c.network.portForwards.filter((f) => fwdKey(f) !== fwdKey(op.forward)) };
        break;
    }
  }
  c = { ...c };
  return c;
}

/** What an op did, for the answer and the CLI ("Inserted /isos/x.iso in drive cd0"). */
export function describeOp(op: LiveOp): string {
  switch (op.kind) {
    case 'insert':
      return `Inserted ${op.path} in drive ${op.drive.id}`;
    case 'eject':
      return `Ejected the disc from drive ${op.drive.id}`;
    case 'usb-add':
      if (op.device.port) return `Passed USB port ${usbPortName(op.device.port)} to the guest (whatever is plugged in there, now or later)`;
      return `Plugged in USB device ${usbKey(op.device)}${op.device.label ? ` (${op.device.label})` : ''}`;
    case 'usb-remove':
      if (op.device.port) return `Took USB port ${usbPortName(op.device.port)} back from the guest`;
      return `Unplugged USB device ${usbKey(op.device)}${op.device.label ? ` (${op.device.label})` : ''}`;
    case 'usb-disk-add':
      return `Plugged in USB disk ${op.disk.id}`;
    case 'usb-disk-remove':
      return `Unplugged USB disk ${op.disk.id}`;
    case 'forward-add':
      return `Forwarding ${op.forward.protocol} ${op.forward.hostAddress}:${op.forward.hostPort} to the guest's port ${op.forward.guestPort}`;
    case 'forward-remove':
      return `Stopped forwarding ${op.forward.protocol} ${op.forward.hostAddress}:${op.forward.hostPort}`;
  }
}

export interface LiveContext {
  client: QmpClient;
  vmDir: string;
  /** The host's USB devices now (sysfs), to pass the exact device when it is plugged in. */
  hostUsb: () => Promise<HostUsbDevice[]>;
  /** Take a disc even when the guest holds the tray shut (the user asked to force it). */
  forceEject?: boolean;
  /** QEMU's log (its stderr), where it says why it could not open a USB host device. */
  qemuLog?: string;
  /** How long a USB host device has to show up on the guest's bus after device_add. */
  usbAttachMs?: number;
}

/**
 * QEMU accepts a usb-host device whatever is plugged in and opens the host device afterwards
 * (or waits for one to appear): device_add succeeding says nothing. The device is taken only
 * once QEMU says it is attached; otherwise QEMU's log says why (libusb's refusal), or nothing does
 * because no such device is plugged in.
 */
async function usbHostAttached(ctx: LiveContext, id: string, logBefore: number): Promise<{ ok: true } | { ok: false; why: string }> {
  const deadline = Date.now() + (ctx.usbAttachMs ?? 2000);
  for (;;) {
    if (await usbDeviceAttached(ctx.client, id)) return { ok: true };
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const said = ctx.qemuLog
    ? (await readFile(ctx.qemuLog).catch(() => Buffer.alloc(0)))
        .subarray(logBefore)
        .toString('utf8')
        .split('\n')
        .map((l) => l.replace(/^qemu-system-\S+: /, '').trim())
        .filter((l) => /usb|libusb/i.test(l))
    : [];
  return { ok: false, why: said.length ? said.join('; ') : 'no such device is plugged into this computer (QEMU found none to open)' };
}

/**
 * By port: QEMU takes usb-host with hostbus/hostport whether or not anything is plugged in there,
 * and opens whatever is plugged in then or later (seen on 7.2 and 10). So an empty port is
 * passed and waits; a device plugged in there now must be taken, or the change is refused with
 * QEMU's reason (the user may not open its node).
 */
async function addUsbPort(d: UsbHostDevice, port: NonNullable<UsbHostDevice['port']>, ctx: LiveContext): Promise<void> {
  const name = usbPortName(port);
  const plugged = (await ctx.hostUsb()).find((h) => h.port === name && !h.hub);
  const logBefore = await logSize(ctx.qemuLog);
  const id = usbHostDeviceId(d);
  const refuse = (why: string) =>
    new LiveChangeError(
      `QEMU could not take USB port ${name}${plugged ? ` (${plugged.label}: /dev/bus/usb/${String(plugged.bus).padStart(3, '0')}/${String(plugged.device).padStart(3, '0')})` : ''}: ${why}.` +
        (plugged ? ' Check that your user may open it (a udev rule giving your user access, or membership of the group that owns it).' : ''),
      'usb.hostDevices',
    );
  try {
    await addDevice(ctx.client, usbHostPortProps({ id, bus: USB_BUS, hostBus: port.bus, hostPort: port.path }));
  } catch (e) {
    throw refuse(reason(e));
  }
  if (!plugged) return; // nothing there now: QEMU waits for a device on that port
  const attached = await usbHostAttached(ctx, id, logBefore);
  if (!attached.ok) {
    await removeDevice(ctx.client, id).catch(() => undefined);
    throw refuse(attached.why);
  }
}

const logSize = async (f?: string) => (f ? (await readFile(f).catch(() => Buffer.alloc(0))).length : 0);

/** A refused live change, in plain words with QEMU's reason. */
export class LiveChangeError extends Error {
  override name = 'LiveChangeError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const reason = (e: unknown) => (e instanceof QmpError ? e.desc : e instanceof MonitorCommandError ? e.output.trim() : (e as Error).message);

async function run(op: LiveOp, ctx: LiveContext): Promise<void> {
  const at = (p: string) => (isAbsolute(p) ? p : join(ctx.vmDir, p));
  const { client } = ctx;
  switch (op.kind) {
    case 'insert':
      try {
        await changeMedium(client, mediaDeviceId(op.drive.id), at(op.path), 'raw');
      } catch (e) {
        throw new LiveChangeError(`QEMU could not put ${at(op.path)} in drive ${op.drive.id}: ${reason(e)}.`, 'media');
      }
      return;
    case 'eject':
      try {
        await ejectMedium(client, mediaDeviceId(op.drive.id), ctx.forceEject);
      } catch (e) {
        // The guest holds the tray shut (the disc is mounted): QEMU asked it to let go.
        if (isTrayLocked(e)) throw new LiveChangeError(`The guest holds drive ${op.drive.id} shut (its disc is mounted): unmount it in the guest and eject again, or force the eject.`, 'media');
        throw new LiveChangeError(`QEMU could not eject drive ${op.drive.id}: ${reason(e)}.`, 'media');
      }
      return;
    case 'usb-add': {
      const d = op.device;
      if (d.port) return addUsbPort(d, d.port, ctx);
      const plugged = (await ctx.hostUsb()).find((h) => !h.hub && h.vendorId === d.vendorId && h.productId === d.productId);
      const where = plugged ? ` (bus ${plugged.bus}, device ${plugged.device}: /dev/bus/usb/${String(plugged.bus).padStart(3, '0')}/${String(plugged.device).padStart(3, '0')})` : '';
      const refuse = (why: string) =>
        new LiveChangeError(
          `QEMU could not take USB device ${usbKey(d)}${where}: ${why}. Check that it is still plugged in and that your user may open it (a udev rule giving your user access, or membership of the group that owns it).`,
          'usb.hostDevices',
        );
      const logBefore = await logSize(ctx.qemuLog);
      const id = usbHostDeviceId(d);
      try {
        await addDevice(client, usbHostProps({ id, bus: USB_BUS, vendorId: d.vendorId, productId: d.productId, hostBus: plugged?.bus, hostAddress: plugged?.device }));
      } catch (e) {
        throw refuse(reason(e));
      }
      const attached = await usbHostAttached(ctx, id, logBefore);
      if (!attached.ok) {
        // Not left waiting on the guest's bus: the change is refused whole.
        await removeDevice(client, id).catch(() => undefined);
        throw refuse(attached.why);
      }
      return;
    }
    case 'usb-remove':
      try {
        await removeDevice(client, usbHostDeviceId(op.device));
      } catch (e) {
        throw new LiveChangeError(`QEMU could not unplug USB device ${usbKey(op.device)}: ${reason(e)}.`, 'usb.hostDevices');
      }
      return;
    case 'usb-disk-add': {
      const node = diskDriveId(op.disk.id);
      try {
        await addImageNode(client, node, at(op.disk.path), op.disk.format, { readOnly: op.disk.readOnly });
      } catch (e) {
        throw new LiveChangeError(`QEMU could not open ${at(op.disk.path)} for USB disk ${op.disk.id}: ${reason(e)}.`, 'disks');
      }
      try {
        await addDevice(client, { driver: 'usb-storage', id: diskDeviceId(op.disk.id), bus: USB_BUS, drive: node, removable: true });
      } catch (e) {
        await removeImageNode(client, node).catch(() => undefined);
        throw new LiveChangeError(`QEMU could not plug in USB disk ${op.disk.id}: ${reason(e)}.`, 'disks');
      }
      return;
    }
    case 'usb-disk-remove':
      try {
        await removeDevice(client, diskDeviceId(op.disk.id));
      } catch (e) {
        throw new LiveChangeError(`QEMU could not unplug USB disk ${op.disk.id}: ${reason(e)}.`, 'disks');
      }
      // A disk given at start (-drive) goes with its device; one plugged in live (blockdev-add) stays until removed.
      await removeImageNode(client, diskDriveId(op.disk.id)).catch(() => undefined);
      return;
    case 'forward-add':
      try {
        await addHostForward(client, NETDEV_ID, op.forward);
      } catch (e) {
        const f = op.forward;
        throw new LiveChangeError(
          `QEMU could not forward ${f.protocol} port ${f.hostPort} on ${f.hostAddress} (${reason(e)}): another program probably uses that port. Choose another host port.`,
          'network.portForwards',
        );
      }
      return;
    case 'forward-remove':
      try {
        await removeHostForward(client, NETDEV_ID, op.forward);
      } catch (e) {
        throw new LiveChangeError(`QEMU could not remove the forward of ${op.forward.protocol} port ${op.forward.hostPort}: ${reason(e)}.`, 'network.portForwards');
      }
      return;
  }
}

/** The op that undoes `op` (used when a later one fails, or vm.json cannot be written after). */
export function invertOp(op: LiveOp): LiveOp {
  switch (op.kind) {
    case 'insert':
      return op.drive.path === undefined ? { kind: 'eject', drive: op.drive, previous: op.path } : { kind: 'insert', drive: op.drive, path: op.drive.path };
    case 'eject':
      return { kind: 'insert', drive: op.drive, path: op.previous };
    case 'usb-add':
      return { kind: 'usb-remove', device: op.device };
    case 'usb-remove':
      return { kind: 'usb-add', device: op.device };
    case 'usb-disk-add':
      return { kind: 'usb-disk-remove', disk: op.disk };
    case 'usb-disk-remove':
      return { kind: 'usb-disk-add', disk: op.disk };
    case 'forward-add':
      return { kind: 'forward-remove', forward: op.forward };
    case 'forward-remove':
      return { kind: 'forward-add', forward: op.forward };
  }
}

/** Applies the ops in order; when one fails, the ones done are undone (best effort) and its error is thrown. */
export async function applyLive(ops: LiveOp[], ctx: LiveContext): Promise<string[]> {
  const done: LiveOp[] = [];
  for (const op of ops) {
    try {
      await run(op, ctx);
    } catch (e) {
      for (const d of done.reverse()) await run(invertOp(d), ctx).catch(() => undefined);
      throw e;
    }
    done.push(op);
  }
  return done.map(describeOp);
}
