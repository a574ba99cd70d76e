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

export function queryMigrate(client: QmpClient): Promise<MigrationStatus> {
  return client.execute<MigrationStatus>('query-migrate');
}

/** How this QEMU migrates to and from a file: `fileMigration` from the probe (QEMU 8.2+). */
export interface MigrationCaps {
  fileMigration: boolean;
}

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
