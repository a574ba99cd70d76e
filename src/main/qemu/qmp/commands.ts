// The QMP commands Guestbay sends, typed: their names, arguments, answers and the QEMU error
// texts worth telling apart live here alone. Callers (vm/) say what they want done.
import { shellQuote } from '../shell-quote';
import type { QmpClient } from './client';
import { QmpError } from './errors';

/** `query-status`: whether the vCPUs run, and QEMU's own name for the run state. */
export interface RunStatus {
  status: string;
  running: boolean;
}

export function queryStatus(client: QmpClient, timeoutMs?: number): Promise<RunStatus> {
  return client.execute<RunStatus>('query-status', undefined, { timeoutMs });
}

/** Whether this run state is QEMU waiting for an incoming migration (a restore). */
export function isWaitingForMigration(st: RunStatus): boolean {
  return st.status === 'inmigrate';
}

/** Presses the ACPI power button: the guest's OS decides to shut down. */
export function powerDown(client: QmpClient): Promise<unknown> {
  return client.execute('system_powerdown');
}

/** Stops the vCPUs (QMP `stop`): the guest is paused, QEMU runs on. */
export function pauseVcpus(client: QmpClient): Promise<unknown> {
  return client.execute('stop');
}

/** Runs the vCPUs again (QMP `cont`). */
export function resumeVcpus(client: QmpClient): Promise<unknown> {
  return client.execute('cont');
}

/** A hard reset, like the reset button. */
export function systemReset(client: QmpClient): Promise<unknown> {
  return client.execute('system_reset');
}

/** Tells QEMU to exit at once. */
export function quit(client: QmpClient): Promise<unknown> {
  return client.execute('quit');
}

/** `query-migrate`, as far as Guestbay reads it. */
export interface MigrationStatus {
  status?: string;
  'error-desc'?: string;
  ram?: { transferred: number; total: number };
}

export function queryMigrate(client: Pick<QmpClient, 'execute'>): Promise<MigrationStatus> {
  return client.execute<MigrationStatus>('query-migrate');
}

/** How this QEMU migrates to and from a file: `fileMigration` and `mappedRam` from the probe. */
export interface MigrationCaps {
  fileMigration: boolean;
  mappedRam?: boolean;
}

/**
 * How a saved state file is laid out. `stream`: the migration stream as QEMU sends it to another
 * host, written in order by one thread. `mapped-ram` (QEMU 9.0+): each RAM page at its own
 * offset of the file, written and read by `multifd` threads in parallel, at the disk's speed;
 * such a file can only be read back with the same capabilities set, so a save records it.
 */
export type SaveFormat = 'stream' | 'mapped-ram' | 'ram-file';

/**
 * `ram-file`: the guest's RAM is a file of its own ("memory in a file"), left out of the state
 * (`x-ignore-shared`): the state is a stream of the devices only, and the restoring QEMU maps
 * the same RAM file. Never with mapped-ram: QEMU 10.0 accepts both capabilities together, then
 * fails the save ("Failed to write bitmap to file: Bad address") after writing all the RAM
 * anyway; a stream of a megabyte needs no parallel writers.
 */
export function saveFormatFor(caps: MigrationCaps, ramFile = false): SaveFormat {
  if (ramFile) return 'ram-file';
  return caps.fileMigration && caps.mappedRam ? 'mapped-ram' : 'stream';
}

/**
 * Threads that write (or read) RAM in a mapped-ram save: more than the cores only queue, and
 * past four a disk is the limit. With direct-io each thread waits on the disk for every read
 * and write it makes (no page cache between): four at least, even on two cores, keep the disk
 * busy — a restore from an ext4 disk with two cores: 2 threads 1367 ms, 4: 1242 ms, 8: 1172 ms
 * (docs/save-restore-speed.md has the numbers). The count need not match between the save and
 * the restore: each side opens the file with its own threads, pages at fixed offsets.
 */
export function mappedRamChannels(cores: number, directIo = false): number {
  return directIo ? Math.max(4, Math.min(8, cores)) : Math.max(2, Math.min(4, cores));
}

/**
 * Sets what a file of this format needs, on the saving QEMU (`out`) before `migrate` and on the
 * restoring one (`in`) before `migrate-incoming`: mapped-ram's capabilities and channels (nothing
 * for a stream), and for a save, no speed limit. QEMU throttles every outgoing migration to
 * `max-bandwidth`, 128 MiB/s unless told otherwise (a default made for live migration over a
 * shared network): a 2 GiB guest then took ~12 s to save on any disk, in either format.
 * 2^53 - 1 bytes/s is unlimited in practice and exact in JSON (libvirt sets INT64_MAX when it
 * saves to a file, for the same reason). Incoming migration is never throttled.
 *
 * `directIo` (mapped-ram only; QEMU 9.1+, the probe's `directIo`, and only where the file's file
 * system takes O_DIRECT: vm/direct-io.ts): the multifd threads write or read the RAM pages with
 * O_DIRECT, past the page cache. The file is the same either way: a save made with it restores
 * without it and the other way round, so nothing records it.
 */
export async function setSaveFormat(client: QmpClient, format: SaveFormat, channels: number, direction: 'out' | 'in', o: { directIo?: boolean } = {}): Promise<void> {
  if (direction === 'out') await client.execute('migrate-set-parameters', { 'max-bandwidth': UNLIMITED_BANDWIDTH });
  if (format === 'stream') return;
  if (format === 'ram-file') {
    await client.execute('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
    return;
  }
  await client.execute('migrate-set-capabilities', {
    capabilities: [
      { capability: 'mapped-ram', state: true },
      { capability: 'multifd', state: true },
    ],
  });
  await client.execute('migrate-set-parameters', { 'multifd-channels': channels, ...(o.directIo ? { 'direct-io': true } : {}) });
}

/** Bytes per second QEMU reads as "no limit" (see setSaveFormat). */
export const UNLIMITED_BANDWIDTH = Number.MAX_SAFE_INTEGER;

/**
 * The URI that writes (`out`) or reads (`in`) a whole-guest state file. QEMU 8.2+ does it
 * straight (`file:`); older ones through a helper process QEMU spawns (`exec:cat`).
 */
export function migrationFileUri(path: string, direction: 'out' | 'in', caps: MigrationCaps): string {
  if (caps.fileMigration) return `file:${path}`;
  return direction === 'out' ? `exec:cat > ${shellQuote(path)}` : `exec:cat ${shellQuote(path)}`;
}

/** Starts migrating the guest into `path` (poll `queryMigrate` for the end). */
export function migrateToFile(client: QmpClient, path: string, caps: MigrationCaps): Promise<unknown> {
  return client.execute('migrate', { uri: migrationFileUri(path, 'out', caps) });
}

/** Starts loading a guest saved in `path` into a QEMU started with `-incoming defer`. */
export function migrateIncomingFromFile(client: QmpClient, path: string, caps: MigrationCaps): Promise<unknown> {
  return client.execute('migrate-incoming', { uri: migrationFileUri(path, 'in', caps) });
}

/** The schema of every command and type this QEMU has (readers in ../probe/qmp-schema.ts). */
export function queryQmpSchema(client: QmpClient): Promise<unknown> {
  return client.execute<unknown>('query-qmp-schema');
}

/** The guest has no display device (or was started with -nodefaults and none added). */
export class NoScreenError extends Error {
  override name = 'NoScreenError';
  constructor(options?: ErrorOptions) {
    super('this guest has no screen to capture', options);
  }
}

/**
 * QEMU writes the guest's screen to `filename` (which QEMU must be able to open): PPM by
 * default, PNG when asked (QEMU 7.1+; see schemaHasPngScreendump). NoScreenError when the
 * guest has no screen.
 */
export async function screendump(client: QmpClient, filename: string, format?: 'png'): Promise<void> {
  try {
    // No format argument for PPM: it is the default in every QEMU, and pre-7.1 ones refuse the argument.
    await client.execute('screendump', format ? { filename, format } : { filename });
  } catch (err) {
    // QEMU 7.2 and 10 say exactly this when no device provides a graphic console.
    if (err instanceof QmpError && /no console to take a screendump from/i.test(err.desc)) {
      throw new NoScreenError({ cause: err });
    }
    throw err;
  }
}

/** A QEMU built without libpng lists the PNG format but refuses it (ui/console.c without CONFIG_PNG). */
export function isPngUnsupported(err: unknown): boolean {
  return err instanceof QmpError && /libpng/i.test(err.desc);
}

// ---- Live changes on a running guest (issue 14): media, USB devices, port forwards, link ----

/** Puts an image in a removable drive (CD/DVD), opening and closing its tray as a user would. `device` is the guest device's id. */
export function changeMedium(client: QmpClient, device: string, file: string, format: 'raw' | 'qcow2'): Promise<unknown> {
  // read-only: a disc is never written, and QEMU would refuse a read-only file otherwise.
  return client.execute('blockdev-change-medium', { id: device, filename: file, format, 'read-only-mode': 'read-only' });
}

/** Takes the disc out of a drive. `force` opens a tray the guest has locked (a mounted disc). */
export function ejectMedium(client: QmpClient, device: string, force = false): Promise<unknown> {
  return client.execute('eject', { id: device, force });
}

/** QEMU's words when a guest holds its tray shut (a mounted disc) and the eject was not forced. */
export function isTrayLocked(err: unknown): boolean {
  return err instanceof QmpError && /locked|tray is (locked|closed)/i.test(err.desc);
}

/** Adds a device to the running guest (`device_add`); `props` are its properties, `driver` included. */
export function addDevice(client: QmpClient, props: { driver: string; id: string } & Record<string, string | number | boolean>): Promise<unknown> {
  return client.execute('device_add', props);
}

/**
 * Unplugs a device and waits until the guest has let go of it (DEVICE_DELETED): USB devices go
 * at once; a device the guest must release could take a moment.
 */
export async function removeDevice(client: QmpClient, id: string, timeoutMs = 10_000): Promise<void> {
  const gone = client.waitForEvent('DEVICE_DELETED', { timeoutMs, filter: (ev) => (ev.data as { device?: string } | undefined)?.device === id });
  gone.catch(() => undefined);
  await client.execute('device_del', { id });
  await gone;
}

/** A disk image as a block node the running guest can be given (`blockdev-add`: file node, then format node). */
export async function addImageNode(client: QmpClient, node: string, file: string, format: 'raw' | 'qcow2', o: { readOnly?: boolean } = {}): Promise<void> {
  await client.execute('blockdev-add', { driver: 'file', 'node-name': `${node}-file`, filename: file, 'read-only': o.readOnly ?? false });
  try {
    await client.execute('blockdev-add', { driver: format, 'node-name': node, file: `${node}-file`, 'read-only': o.readOnly ?? false });
  } catch (e) {
    await client.execute('blockdev-del', { 'node-name': `${node}-file` }).catch(() => undefined);
    throw e;
  }
}

/** Removes what addImageNode added (after the device using it is gone). */
export async function removeImageNode(client: QmpClient, node: string): Promise<void> {
  await client.execute('blockdev-del', { 'node-name': node });
  await client.execute('blockdev-del', { 'node-name': `${node}-file` });
}

/** A passed-through USB host device: the exact one on `bus`/`address` when known, else the first that matches vendor:product (now or when plugged in). */
export function usbHostProps(o: { id: string; bus: string; vendorId: string; productId: string; hostBus?: number; hostAddress?: number }) {
  return {
    driver: 'usb-host',
    id: o.id,
    bus: o.bus,
    // Numbers: QEMU 10 refuses "0x046d" as a QMP string for these.
    vendorid: parseInt(o.vendorId, 16),
    productid: parseInt(o.productId, 16),
    ...(o.hostBus !== undefined && o.hostAddress !== undefined ? { hostbus: o.hostBus, hostaddr: o.hostAddress } : {}),
  };
}

/** usb-host by port (hostbus + hostport, e.g. 1 and "2.3"): whatever is plugged in there, now or later. */
export function usbHostPortProps(o: { id: string; bus: string; hostBus: number; hostPort: string }) {
  return { driver: 'usb-host', id: o.id, bus: o.bus, hostbus: o.hostBus, hostport: o.hostPort };
}

/** QEMU's human monitor, for the few commands QMP has no equivalent of (hostfwd_*); answers its text. */
async function hmp(client: QmpClient, commandLine: string): Promise<string> {
  return String(await client.execute<string>('human-monitor-command', { 'command-line': commandLine }));
}

/** A failed human-monitor command: QEMU's own words. */
export class MonitorCommandError extends Error {
  override name = 'MonitorCommandError';
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(output.trim() || `${command} failed`);
  }
}

/** `hostfwd_add`: a user-mode port forward on the running guest's `netdev`. `rule` is QEMU's `proto:addr:port-:guestport`. */
export async function addHostForward(client: QmpClient, netdev: string, f: { protocol: 'tcp' | 'udp'; hostAddress: string; hostPort: number; guestPort: number }): Promise<void> {
  const out = await hmp(client, `hostfwd_add ${netdev} ${f.protocol}:${f.hostAddress}:${f.hostPort}-:${f.guestPort}`);
  // Success is silent; QEMU 7.2 and 10 say "Could not set up host forwarding rule …" otherwise.
  if (out.trim()) throw new MonitorCommandError('hostfwd_add', out);
}

export async function removeHostForward(client: QmpClient, netdev: string, f: { protocol: 'tcp' | 'udp'; hostAddress: string; hostPort: number }): Promise<void> {
  const out = await hmp(client, `hostfwd_remove ${netdev} ${f.protocol}:${f.hostAddress}:${f.hostPort}`);
  // "host forwarding rule for tcp:127.0.0.1:2222 removed" (and "… not found" when it was not there).
  if (!/removed/.test(out)) throw new MonitorCommandError('hostfwd_remove', out);
}

/** Plugs (`up`) or unplugs the network cable of the NIC on `netdev`. */
export function setLink(client: QmpClient, netdev: string, up: boolean): Promise<unknown> {
  return client.execute('set_link', { name: netdev, up });
}

/** The ids of the devices the guest was given by id (`-device …,id=` and device_add): /machine/peripheral. */
export async function peripheralIds(client: QmpClient): Promise<string[]> {
  const list = await client.execute<{ name: string; type: string }[]>('qom-list', { path: '/machine/peripheral' });
  return list.filter((p) => p.type.startsWith('child<')).map((p) => p.name);
}

/**
 * Whether a USB device is attached to the guest's bus: a usb-host device is in the machine as
 * soon as device_add returns, but attached only once QEMU has opened the host's device (until
 * then `info usb` shows a placeholder "USB Host Device").
 */
export async function usbDeviceAttached(client: QmpClient, id: string): Promise<boolean> {
  return (await client.execute<boolean>('qom-get', { path: `/machine/peripheral/${id}`, property: 'attached' })) === true;
}

/** The USB devices on the guest's buses, as QEMU lists them (`info usb`): id and product name. */
export async function guestUsbDevices(client: QmpClient): Promise<{ id: string; product: string }[]> {
  const out = await hmp(client, 'info usb');
  const devices = [];
  for (const line of out.split(/\r?\n/)) {
    const m = /Product (.*?), ID: (\S+)/.exec(line);
    if (m) devices.push({ product: m[1]!, id: m[2]! });
  }
  return devices;
}

/** What a removable drive holds now (`query-block`): the image's file, or null when empty. */
export async function driveMedium(client: QmpClient, device: string): Promise<{ file: string | null; trayOpen: boolean | null; locked: boolean }> {
  const blocks = await client.execute<{ qdev?: string; locked?: boolean; tray_open?: boolean; inserted?: { image?: { filename?: string }; file?: string } }[]>('query-block');
  const b = blocks.find((x) => x.qdev === device || x.qdev?.endsWith(`/${device}`));
  if (!b) throw new QmpError('query-block', 'DeviceNotFound', `no drive ${device}`);
  return { file: b.inserted?.image?.filename ?? b.inserted?.file ?? null, trayOpen: b.tray_open ?? null, locked: b.locked ?? false };
}

/** One drive as `query-block` describes it, as far as Guestbay reads it. */
export interface BlockDevice {
  /** The drive's id (`-drive id=…`; `pflash1` for the UEFI variables). */
  device: string;
  /** The node snapshot jobs name (QEMU generates one when none was given). */
  nodeName: string;
  /** The file QEMU opened, as it was given. */
  file: string;
  format: string;
  readOnly: boolean;
}

export async function queryBlock(client: QmpClient): Promise<BlockDevice[]> {
  const list = await client.execute<{ device: string; inserted?: { 'node-name': string; file: string; drv: string; ro: boolean } }[]>('query-block');
  return list.flatMap((d) => (d.inserted ? [{ device: d.device, nodeName: d.inserted['node-name'], file: d.inserted.file, format: d.inserted.drv, readOnly: d.inserted.ro }] : []));
}

/** A background job as `query-jobs` reports it. */
export interface JobInfo {
  id: string;
  type: string;
  status: string;
  error?: string;
}

export function queryJobs(client: QmpClient): Promise<JobInfo[]> {
  return client.execute<JobInfo[]>('query-jobs');
}

/**
 * Waits for job `id` to conclude, dismisses it, and throws its error if it failed. Snapshot
 * jobs (QEMU 6.0+) stay concluded until dismissed.
 */
export async function awaitJob(client: QmpClient, id: string, o: { timeoutMs: number; onPoll?: () => void }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const job = (await queryJobs(client)).find((j) => j.id === id);
    if (!job) throw new Error(`QEMU lost track of job ${id}`);
    if (job.status === 'concluded' || job.status === 'null') {
      await client.execute('job-dismiss', { id }).catch(() => {});
      if (job.error) throw new Error(job.error);
      return;
    }
    if (Date.now() > deadline) throw new Error(`job ${id} (${job.type}) did not finish in ${Math.round(o.timeoutMs / 1000)} s`);
    o.onPoll?.();
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An internal snapshot of the running guest: its memory and device state into `vmstate`'s
 * image, and every node in `devices` (the guest's writable qcow2 images, its UEFI variables
 * included). The vCPUs stop for the time it takes, then run again if they were running.
 */
export function snapshotSave(client: QmpClient, o: { jobId: string; tag: string; vmstate: string; devices: string[] }): Promise<unknown> {
  return client.execute('snapshot-save', { 'job-id': o.jobId, tag: o.tag, vmstate: o.vmstate, devices: o.devices });
}

/** Loads a snapshot into the running guest: memory, devices and disks as they were then. */
export function snapshotLoad(client: QmpClient, o: { jobId: string; tag: string; vmstate: string; devices: string[] }): Promise<unknown> {
  return client.execute('snapshot-load', { 'job-id': o.jobId, tag: o.tag, vmstate: o.vmstate, devices: o.devices });
}

export function snapshotDelete(client: QmpClient, o: { jobId: string; tag: string; devices: string[] }): Promise<unknown> {
  return client.execute('snapshot-delete', { 'job-id': o.jobId, tag: o.tag, devices: o.devices });
}
