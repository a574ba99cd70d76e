// Changing a guest after creation: every edit (the guest page's form, `guestbay set` and
// `edit`, the media/USB/forward/disk calls) goes through `edit`, which, holding the guest's
// config lock: checks the revision the caller edited (a conflict names what changed), asks the
// guest-state model whether the guest can be edited now, checks the result as the wizard
// does, creates new disk images, applies what QEMU can change on a running guest at once,
// writes vm.json atomically, and says what waits for the next start. Refused input changes
// nothing: not vm.json, not the running guest, no disk image left behind.
import { rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { EditResult, HostUsbDevice } from '../../../shared/contract';
import { isLive, verdict } from '../../../shared/guest-state';
import type { HostCaps } from '../../../shared/host-caps';
import { applySettings, firstCdDrive, newCdId, resolvePath, SettingError, type SetContext } from '../../../shared/settings-keys';
import { usbEntryKey, usbPortName, portEntry } from '../../../shared/usb-port';
import { ConfigError, type PortForward, type UsbHostDevice, type UsbPort, type VmConfig } from '../../../shared/vm-config';
import { listUsbDevices } from '../../host/usb';
import { createImage } from '../../images';
import { NETDEV_ID } from '../../qemu/plan/ids';
import { setLink } from '../../qemu/qmp/commands';
import type { Store } from '../store';
import { GuestStateError, type Supervisor } from '../supervisor';
import { checkEdit } from './check';
import { afterOps, applyLive, invertOp, liveOps, type LiveOp } from './live';
import { planContext } from '../plan-context';
import { pendingChanges, readLiveConfig, writeLiveConfig } from './pending';

export interface EditorDeps {
  store: Store;
  supervisor: Supervisor;
  probe(): Promise<HostCaps>;
  qemuImg?: string;
  /** The host's USB devices (sysfs); tests point it at a fixture tree. */
  hostUsb?: () => Promise<HostUsbDevice[]>;
}

export interface EditOptions {
  /** The revision the change was made on (ConflictError when vm.json moved on since). */
  revision?: string;
  /** Removed disks whose files are deleted too: an explicit confirmation, by disk id. */
  deleteDiskFiles?: string[];
  /** A disc ejected from a running guest is taken even when the guest holds the tray shut. */
  forceEject?: boolean;
}

export type EditOutcome = EditResult & { deletedFiles: string[]; keptFiles: string[] };

const fwd = (f: Pick<PortForward, 'protocol' | 'hostAddress' | 'hostPort'>) => `${f.protocol}:${f.hostAddress}:${f.hostPort}`;

export class GuestEditor {
  private readonly hostUsb: () => Promise<HostUsbDevice[]>;

  constructor(private readonly deps: EditorDeps) {
    this.hostUsb = deps.hostUsb ?? (() => listUsbDevices());
  }

  /**
   * The one way a config changes: `produce` gets the current config and returns the new
   * document (anything; it is checked as a whole).
   */
  async edit(name: string, o: EditOptions, produce: (current: VmConfig) => unknown): Promise<EditOutcome> {
    const { store, supervisor } = this.deps;
    return store.locked(name, async () => {
      const current = await store.read(name);
      store.expect(name, current, o.revision);
      const st = await supervisor.status(name);
      const v = verdict({ name, title: current.config.title, state: st.state, savable: st.savable }, 'editSettings');
      if (!v.ok) throw new GuestStateError(v.reason);
      const doc = produce(current.config);
      const caps = await this.deps.probe();
      const dirs = store.dirs(name);
      const checked = await checkEdit(current.config, doc, { vmDir: dirs.dir, caps, qemuImg: this.deps.qemuImg });
      const at = (p: string) => (isAbsolute(p) ? p : join(dirs.dir, p));
      const running = isLive(st.state);

      // The running configuration, as QEMU has it now (after earlier live changes).
      const record = running ? await supervisor.record(name) : null;
      // This run's own folder (each start has one): what it changed live is kept there, and goes with it.
      const runDir = record?.runDir ?? dirs.runtimeDir;
      const base = running ? ((await readLiveConfig(runDir)) ?? record?.plan.config ?? current.config) : null;

      const toDelete = o.deleteDiskFiles ?? [];
      for (const id of toDelete) {
        const d = checked.removed.find((x) => x.id === id);
        if (!d) throw new ConfigError([{ field: 'deleteDiskFiles', message: `Disk "${id}" is not one this change removes: only the file of a disk being removed can be deleted.` }]);
        if (base?.disks.some((x) => x.id === id) && !(d.bus === 'usb' && base.disks.find((x) => x.id === id)?.bus === 'usb')) {
          throw new ConfigError([
            { field: 'deleteDiskFiles', message: `Disk "${id}" is still in use by the running guest until it shuts down: remove it now and delete ${at(d.path)} once it is off.` },
          ]);
        }
      }

      const created: string[] = [];
      let ops: LiveOp[] = [];
      let appliedLive: string[] = [];
      const client = running ? await supervisor.monitor(name) : null;
      const liveCtx = client ? { client, vmDir: dirs.dir, hostUsb: this.hostUsb, forceEject: o.forceEject, qemuLog: record?.plan.runtime.qemuLog } : null;
      let revision: string;
      try {
        for (const d of checked.create) {
          await createImage(at(d.path), { format: d.format, size: d.size!, qemuImg: this.deps.qemuImg });
          created.push(at(d.path));
        }
        if (base && liveCtx) {
          ops = liveOps(base, checked.config);
          appliedLive = await applyLive(ops, liveCtx);
        }
        try {
          ({ revision } = await store.replace(checked.config));
        } catch (e) {
          // vm.json could not be written: the running guest goes back to what vm.json says.
          if (liveCtx && ops.length) await applyLive(ops.map(invertOp).reverse(), liveCtx).catch(() => undefined);
          throw e;
        }
      } catch (e) {
        for (const f of created) await rm(f, { force: true });
        throw e;
      }
      if (base && ops.length) await writeLiveConfig(runDir, afterOps(base, ops)).catch(() => undefined);

      const deletedFiles: string[] = [];
      for (const id of toDelete) {
        const path = at(checked.removed.find((x) => x.id === id)!.path);
        await rm(path, { force: true });
        deletedFiles.push(path);
      }
      const keptFiles = checked.removed.filter((d) => !toDelete.includes(d.id)).map((d) => at(d.path));
      const warnings = checked.warnings.filter((w) => !deletedFiles.some((f) => w.message.includes(f)));
      let pending = null;
      if (running && record) {
        const live = await readLiveConfig(runDir);
        pending = pendingChanges({ running: record.plan, live, saved: checked.config, caps, dirs: await planContext(store.paths, checked.config, { runtimeDir: runDir }, [live, record.plan.config]) });
      }
      return { config: checked.config, revision, appliedLive, pending, warnings, deletedFiles, keptFiles };
    });
  }

  /** The guest page's form and `guestbay edit`: a whole new config. */
  update(name: string, doc: unknown, o: EditOptions): Promise<EditOutcome> {
    return this.edit(name, o, () => doc);
  }

  /** `guestbay set` and `guests.set`: key=value assignments (src/shared/settings-keys.ts). */
  async set(name: string, assignments: string[], o: EditOptions & SetContext): Promise<EditOutcome> {
    let keys: { key: string; field: string }[] = [];
    try {
      return await this.edit(name, o, (c) => {
        const r = applySettings(c, assignments, o);
        keys = r.keys;
        return r.draft;
      });
    } catch (e) {
      if (e instanceof SettingError) throw new ConfigError([{ field: e.key, message: e.message }]);
      // A field the check refused is named by the key that set it, as the user typed it.
      if (e instanceof ConfigError && keys.length) {
        throw new ConfigError(e.errors.map((f) => ({ field: keys.find((k) => f.field === k.field || f.field.startsWith(`${k.field}.`))?.key ?? f.field, message: f.message })));
      }
      throw e;
    }
  }

  /** A disc in a drive (the first CD/DVD drive by default; a stopped guest without one gets one). */
  mediaInsert(name: string, o: { drive?: string; path: string } & SetContext): Promise<EditOutcome> {
    return this.edit(name, {}, (c) => {
      const abs = pathOf('path', o.path, o);
      if (o.drive) {
        const m = c.media.find((x) => x.id === o.drive);
        if (!m) throw new ConfigError([{ field: 'drive', message: `This guest has no drive "${o.drive}": ${driveList(c)}.` }]);
        if (m.as !== 'cdrom') throw new ConfigError([{ field: 'drive', message: `Drive "${o.drive}" is a disk, not a CD/DVD drive: only a CD/DVD drive takes a disc.` }]);
        return { ...c, media: c.media.map((x) => (x.id === o.drive ? { ...x, path: abs, format: 'raw' } : x)) };
      }
      const first = firstCdDrive(c);
      if (first) return { ...c, media: c.media.map((x) => (x === first ? { ...x, path: abs, format: 'raw' } : x)) };
      return { ...c, media: [...c.media, { id: newCdId(c), role: 'install', path: abs, format: 'raw', as: 'cdrom', bus: 'sata' }] };
    });
  }

  /** Empties a drive; `force` takes the disc even when the guest holds the tray shut (a mounted disc). */
  mediaEject(name: string, o: { drive?: string; force?: boolean }): Promise<EditOutcome> {
    return this.edit(name, { forceEject: o.force }, (c) => {
      const m = o.drive ? c.media.find((x) => x.id === o.drive) : c.media.find((x) => x.as === 'cdrom' && x.path !== undefined);
      if (!m) throw new ConfigError([{ field: 'drive', message: o.drive ? `This guest has no drive "${o.drive}": ${driveList(c)}.` : 'No CD/DVD drive of this guest holds a disc.' }]);
      if (m.as !== 'cdrom') throw new ConfigError([{ field: 'drive', message: `Drive "${m.id}" is a disk, not a CD/DVD drive: it cannot be ejected (remove it in the settings).` }]);
      if (m.path === undefined) throw new ConfigError([{ field: 'drive', message: `Drive "${m.id}" is already empty.` }]);
      return { ...c, media: c.media.map((x) => (x === m ? { ...x, path: undefined } : x)) };
    });
  }

  usbAttach(name: string, d: { vendorId: string; productId: string; label?: string }): Promise<EditOutcome> {
    const vendorId = d.vendorId.toLowerCase();
    const productId = d.productId.toLowerCase();
    const same = (x: UsbHostDevice) => !x.port && x.vendorId === vendorId && x.productId === productId;
    return this.edit(name, {}, (c) => {
      if (c.usb.hostDevices.some(same)) {
        throw new ConfigError([{ field: 'vendorId', message: `USB device ${vendorId}:${productId} is already passed to this guest.` }]);
      }
      if (c.usb.controller === 'none') throw new ConfigError([{ field: 'usb.controller', message: 'This guest has no USB controller: set one (xhci) first, then pass the device.' }]);
      return { ...c, usb: { ...c.usb, hostDevices: [...c.usb.hostDevices, { vendorId, productId, ...(d.label ? { label: d.label } : {}) }] } };
    });
  }

  usbDetach(name: string, d: { vendorId: string; productId: string }): Promise<EditOutcome> {
    const vendorId = d.vendorId.toLowerCase();
    const productId = d.productId.toLowerCase();
    const same = (x: UsbHostDevice) => !x.port && x.vendorId === vendorId && x.productId === productId;
    return this.edit(name, {}, (c) => {
      if (!c.usb.hostDevices.some(same)) {
        throw new ConfigError([{ field: 'vendorId', message: `USB device ${vendorId}:${productId} is not passed to this guest.` }]);
      }
      return { ...c, usb: { ...c.usb, hostDevices: c.usb.hostDevices.filter((x) => !same(x)) } };
    });
  }

  /**
   * Passes a USB port: whatever is plugged in there, now or later (QEMU waits for a device on an
   * empty port). Named after what is plugged in now, if anything.
   */
  async usbAttachPort(name: string, d: { port: UsbPort; label?: string }): Promise<EditOutcome> {
    const key = usbPortName(d.port);
    const plugged = d.label ? undefined : (await this.hostUsb()).find((h) => h.port === key && !h.hub);
    const entry = portEntry(d.port, d.label ?? (plugged ? `USB port ${key} (${plugged.label})`.slice(0, 200) : undefined));
    return this.edit(name, {}, (c) => {
      if (c.usb.hostDevices.some((x) => usbEntryKey(x) === usbEntryKey(entry))) throw new ConfigError([{ field: 'port', message: `USB port ${key} is already passed to this guest.` }]);
      if (c.usb.controller === 'none') throw new ConfigError([{ field: 'usb.controller', message: 'This guest has no USB controller: set one (xhci) first, then pass the port.' }]);
      return { ...c, usb: { ...c.usb, hostDevices: [...c.usb.hostDevices, entry] } };
    });
  }

  usbDetachPort(name: string, d: { port: UsbPort }): Promise<EditOutcome> {
    const key = `port ${usbPortName(d.port)}`;
    return this.edit(name, {}, (c) => {
      if (!c.usb.hostDevices.some((x) => usbEntryKey(x) === key)) throw new ConfigError([{ field: 'port', message: `USB port ${usbPortName(d.port)} is not passed to this guest.` }]);
      return { ...c, usb: { ...c.usb, hostDevices: c.usb.hostDevices.filter((x) => usbEntryKey(x) !== key) } };
    });
  }

  forwardAdd(name: string, f: PortForward): Promise<EditOutcome> {
    return this.edit(name, {}, (c) => {
      if (c.network.mode !== 'user') throw new ConfigError([{ field: 'forward', message: 'Port forwards work with user networking (net=user); this guest is on a bridge or has no network.' }]);
      if (c.network.portForwards.some((x) => fwd(x) === fwd(f))) {
        throw new ConfigError([{ field: 'forward.hostPort', message: `Host port ${f.hostPort}/${f.protocol} on ${f.hostAddress} is already forwarded: choose another host port.` }]);
      }
      return { ...c, network: { ...c.network, portForwards: [...c.network.portForwards, f] } };
    });
  }

  forwardRemove(name: string, f: { protocol: 'tcp' | 'udp'; hostPort: number; hostAddress?: string }): Promise<EditOutcome> {
    return this.edit(name, {}, (c) => {
      const match = (x: PortForward) => x.protocol === f.protocol && x.hostPort === f.hostPort && (f.hostAddress === undefined || x.hostAddress === f.hostAddress);
      if (!c.network.portForwards.some(match)) throw new ConfigError([{ field: 'hostPort', message: `There is no ${f.protocol} forward from host port ${f.hostPort} to remove.` }]);
      return { ...c, network: { ...c.network, portForwards: c.network.portForwards.filter((x) => !match(x)) } };
    });
  }

  /** A new disk: a new image of `size` in the guest's folder, or the existing file at `path`. */
  async diskAdd(
    name: string,
    d: { size?: string | number; path?: string; format?: 'qcow2' | 'raw'; bus?: VmConfig['disks'][number]['bus']; cache?: VmConfig['disks'][number]['cache'] },
    o: EditOptions & SetContext,
  ): Promise<EditOutcome & { id: string }> {
    if ((d.size === undefined) === (d.path === undefined)) {
      throw new ConfigError([{ field: 'disk', message: 'Give either a size (a new disk image) or the path of an existing image, not both.' }]);
    }
    let id = '';
    const r = await this.edit(name, o, (c) => {
      const used = c.disks.map((x) => x.id);
      for (let n = 1; !id; n++) if (!used.includes(n === 1 ? 'data' : `data${n}`)) id = n === 1 ? 'data' : `data${n}`;
      const base = { id, bus: d.bus ?? c.disks[0]?.bus ?? 'virtio', cache: d.cache ?? 'writeback', aio: 'threads', discard: true, readOnly: false };
      if (d.size !== undefined) return { ...c, disks: [...c.disks, { ...base, path: `${id}.${d.format ?? 'qcow2'}`, format: d.format ?? 'qcow2', size: d.size }] };
      const p = pathOf('path', d.path!, o);
      return { ...c, disks: [...c.disks, { ...base, path: p, format: d.format ?? (/\.(img|raw)$/i.test(p) ? 'raw' : 'qcow2') }] };
    });
    return { ...r, id };
  }

  diskRemove(name: string, id: string, o: EditOptions & { deleteFile?: boolean }): Promise<EditOutcome> {
    return this.edit(name, { ...o, deleteDiskFiles: o.deleteFile ? [id] : [] }, (c) => {
      if (!c.disks.some((x) => x.id === id)) throw new ConfigError([{ field: 'id', message: `This guest has no disk "${id}": its disks are ${c.disks.map((x) => x.id).join(', ') || 'none'}.` }]);
      return { ...c, disks: c.disks.filter((x) => x.id !== id), bootOrder: c.bootOrder?.filter((b) => b !== `disk:${id}`) };
    });
  }

  /** The running guest's network cable, plugged or not (not kept: a start begins plugged in). */
  async link(name: string, up: boolean): Promise<{ up: boolean }> {
    const config = await this.deps.store.get(name);
    await this.deps.supervisor.guard(name, 'editLive');
    if (config.network.mode === 'none') throw new GuestStateError(`${config.title ?? `"${name}"`} has no network card to plug or unplug.`);
    await setLink(await this.deps.supervisor.monitor(name), NETDEV_ID, up);
    return { up };
  }

  /** What the running guest gets at its next start; null when not running or nothing differs. */
  async pending(name: string) {
    const { store, supervisor } = this.deps;
    const { config } = await store.read(name);
    const st = await supervisor.status(name);
    if (!isLive(st.state)) return null;
    const record = await supervisor.record(name);
    if (!record) return null;
    const dirs = store.dirs(name);
    const runDir = record.runDir ?? dirs.runtimeDir;
    const live = await readLiveConfig(runDir);
    return pendingChanges({ running: record.plan, live, saved: config, caps: await this.deps.probe(), dirs: await planContext(store.paths, config, { runtimeDir: runDir }, [live, record.plan.config]) });
  }
}

/** A path as the caller typed it, made absolute; a control character is a field error. */
function pathOf(field: string, p: string, ctx: SetContext): string {
  try {
    return resolvePath(field, p, ctx);
  } catch (e) {
    if (e instanceof SettingError) throw new ConfigError([{ field, message: e.message }]);
    throw e;
  }
}

function driveList(c: VmConfig): string {
  return c.media.length ? `its drives are ${c.media.map((m) => m.id).join(', ')}` : 'it has no drives';
}
