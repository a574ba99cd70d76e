// Putting a guest's QEMU in motion, shared by a start and a restore: the launch plan for this
// host, the checks before anything starts, the start lock and journal, the prepare steps, the
// session. A start owns everything it talks to: it makes a fresh folder for this run's sockets
// and pidfile (so nothing left by an earlier run can answer), writes each process into its
// journal as it spawns it, and undoes all of it on any error or interruption.
import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type VmConfig } from '../../../shared/vm-config';
import { passthroughPreflight } from '../../passthrough/prerequisites';
import { giveGpuBack, giveGpuToGuest, gpuNotGivenBack } from '../single-gpu-run';
import { buildLaunchPlan, type LaunchPlan } from '../../qemu/plan';
import { ensureGuestbayFolder } from '../app-settings';
import { planContext } from '../plan-context';
import { runPrepare } from '../prepare';
import { processesUsing } from '../process-scan';
import { clearLastExit, clearRuntime } from '../runtime-files';
import { privateRuntimeDir } from '../runtime-dir';
import { Session, type LaunchStage } from '../session';
import { StartJournal } from '../start-journal';
import { guestStatus } from './status';
import { GuestStateError, StartInterruptedError, type GuestStatus, type StartOptions, type SupervisorCore } from './types';

export type LaunchOptions = StartOptions & { incoming?: boolean };

/** The plan for this host; `runDir` is the folder of this run's sockets (the guest's runtime folder when only looking). */
export async function planFor(core: SupervisorCore, config: VmConfig, o: LaunchOptions, runDir?: string): Promise<LaunchPlan> {
  // The Guestbay folder is read from the settings at each start (plan-context.ts, as every look
  // before a start reads it); a real start makes it if missing.
  const ctx = await planContext(core.store.paths, config, { runtimeDir: runDir, headless: o.headless, accel: o.accel, paused: o.paused, incoming: o.incoming });
  if (ctx.guestbayFolder && runDir) await ensureGuestbayFolder(ctx.guestbayFolder);
  return buildLaunchPlan(config, await core.probe(), ctx);
}

/** What must hold before anything is started: not a base, shares still there, as folders. */
async function preflight(core: SupervisorCore, config: VmConfig): Promise<void> {
  // A base's disks are read by its linked clones: a run would write to them (disks/bases.ts).
  if (config.base) throw new GuestStateError(`"${config.name}" is a read-only base: its linked clones read its disks, so it does not start. Start a clone of it (guestbay clone ${config.name} NEW --linked), or make it an ordinary guest again (guestbay base ${config.name} --undo) once no clones depend on it.`);
  const errors = [];
  for (const [i, s] of config.sharedFolders.entries()) {
    const st = await stat(s.hostPath).catch(() => null);
    if (!st) errors.push({ field: `sharedFolders.${i}.hostPath`, message: `the shared folder ${s.hostPath} ("${s.tag}") no longer exists` });
    else if (!st.isDirectory()) errors.push({ field: `sharedFolders.${i}.hostPath`, message: `the shared folder ${s.hostPath} ("${s.tag}") is not a folder` });
  }
  // Passthrough: PCI devices bound to vfio-pci, /dev/vfio/<group> open, the memory lock limit;
  // USB device nodes, evdev nodes and /dev/kvmfr0 open to this user.
  // A single-GPU guest's card is handed to vfio-pci by the start itself (below), so it is not
  // asked to be bound already.
  for (const p of await passthroughPreflight(config, { ...core.passthrough.probe, singleGpu: config.singleGpu === true })) errors.push({ field: p.field, message: `${p.message} ${p.fix}` });
  if (errors.length) throw new ConfigError(errors);
}

/** A leftover process no record accounts for: refused, never signalled (it is not known to be ours). */
function refuseLeftovers(name: string, runtimeDir: string): void {
  const left = processesUsing(runtimeDir);
  if (!left.length) return;
  const list = left.map((p) => `${p.pid} (${p.exe})`).join(', ');
  throw new GuestStateError(
    `"${name}" cannot start: process ${list} still uses its runtime folder ${runtimeDir}, and no record says Guestbay started it ` +
      `(a start killed before it could write it down leaves such a process). Guestbay signals only processes it recorded: ` +
      `end it yourself (kill ${left.map((p) => p.pid).join(' ')}) and start again.`,
  );
}

export async function launch(core: SupervisorCore, config: VmConfig, o: LaunchOptions, operation: string): Promise<GuestStatus> {
  const { name } = config;
  const dirs = core.store.dirs(name);
  const runDir = join(dirs.runtimeDir, `run-${randomBytes(4).toString('hex')}`);
  const plan = await planFor(core, config, o, runDir);
  await preflight(core, config);
  await privateRuntimeDir(dirs.runtimeDir, { create: true });
  // Takes over the lock of a start that was killed half-way, after ending what it spawned.
  const journal = await StartJournal.begin(dirs.runtimeDir, name);
  const signal = o.signal;
  let tookGpu = false;
  try {
    // A guest another process started since we looked: never start it twice.
    const other = await Session.attach(name, dirs);
    if (other) {
      await other.detach(); // only looked: let go of its monitor, leave the guest running
      throw new GuestStateError(`"${name}" is already running`);
    }
    // Nothing runs: whatever an earlier run left (sockets, pidfiles, run folders, record) goes.
    await clearRuntime(dirs.runtimeDir);
    refuseLeftovers(name, dirs.runtimeDir);
    await mkdir(runDir, { mode: 0o700 });
    await journal.setRunDir(runDir);
    core.progress(name, operation, 'preparing files');
    await runPrepare(plan);
    core.emit({ type: 'state', status: guestStatus(name, { kind: 'starting', plan }) });
    await clearLastExit(dirs.logDir);
    if (config.singleGpu) {
      // A GPU an earlier run of this guest took and never gave back goes back first, so this
      // run's way back names the host's own drivers, not vfio-pci.
      if (await gpuNotGivenBack(dirs.dir)) await giveGpuBack(core.passthrough.singleGpu, dirs.dir, (what) => core.progress(name, operation, what));
      core.progress(name, operation, 'single-GPU passthrough: the host gives its GPU to the guest');
      tookGpu = true;
      await giveGpuToGuest(core.passthrough.singleGpu, dirs.dir, config, (what) => core.progress(name, operation, what));
    }
    core.progress(name, operation, plan.sidecars.length ? `starting ${plan.sidecars.map((s) => s.kind).join(', ')} and QEMU` : 'starting QEMU');
    let session: Session;
    try {
      session = await Session.launch(name, plan, { ...dirs, runDir }, {
        journal,
        signal,
        checkpoint: core.stageHook ? (stage: LaunchStage) => core.stageHook!(stage, signal) : undefined,
      });
    } catch (e) {
      await journal.undo();
      const err = signal?.aborted ? new StartInterruptedError(name, signal.reason) : e;
      core.emit({ type: 'state', status: guestStatus(name, { kind: 'not-started', reason: (err as Error).message }) });
      throw err;
    }
    core.adopt(session);
    return guestStatus(name, { kind: 'live', session });
  } catch (e) {
    await journal.undo();
    // The start failed after the GPU was taken (or while it was being taken): the host gets it back.
    if (tookGpu) {
      const back = await giveGpuBack(core.passthrough.singleGpu, dirs.dir, (what) => core.progress(name, operation, what)).catch((err: Error) => ({ ran: true, errors: [err.message] }));
      for (const err of back.errors) core.progress(name, operation, `giving the GPU back failed: ${err} (docs/single-gpu.md: the way back)`);
    }
    if (signal?.aborted && !(e instanceof StartInterruptedError)) throw new StartInterruptedError(name, signal.reason);
    throw e;
  } finally {
    await journal.release();
  }
}
