// Putting a guest's QEMU in motion, shared by a start and a restore: the launch plan for this
// host, the checks before anything starts, the start lock, the prepare steps, the session.
import { mkdir, stat } from 'node:fs/promises';
import { ConfigError, type VmConfig } from '../../../shared/vm-config';
import { buildLaunchPlan, type LaunchPlan } from '../../qemu/plan';
import { runPrepare } from '../prepare';
import { acquireStartLock, clearLastExit } from '../runtime-files';
import { Session } from '../session';
import { guestStatus } from './status';
import { GuestStateError, type GuestStatus, type StartOptions, type SupervisorCore } from './types';

export type LaunchOptions = StartOptions & { incoming?: boolean };

export async function planFor(core: SupervisorCore, config: VmConfig, o: LaunchOptions): Promise<LaunchPlan> {
  const d = core.store.dirs(config.name);
  return buildLaunchPlan(config, await core.probe(), {
    vmDir: d.dir,
    runtimeDir: d.runtimeDir,
    logDir: d.logDir,
    headless: o.headless,
    accel: o.accel,
    paused: o.paused,
    incoming: o.incoming,
  });
}

/** What must hold before anything is started: not a base, shares still there, as folders. */
async function preflight(config: VmConfig): Promise<void> {
  // A base's disks are read by its linked clones: a run would write to them (disks/bases.ts).
  if (config.base) throw new GuestStateError(`"${config.name}" is a read-only base: its linked clones read its disks, so it does not start. Start a clone of it (guestbay clone ${config.name} NEW --linked), or make it an ordinary guest again (guestbay base ${config.name} --undo) once no clones depend on it.`);
  const errors = [];
  for (const [i, s] of config.sharedFolders.entries()) {
    const st = await stat(s.hostPath).catch(() => null);
    if (!st) errors.push({ field: `sharedFolders.${i}.hostPath`, message: `the shared folder ${s.hostPath} ("${s.tag}") no longer exists` });
    else if (!st.isDirectory()) errors.push({ field: `sharedFolders.${i}.hostPath`, message: `the shared folder ${s.hostPath} ("${s.tag}") is not a folder` });
  }
  if (errors.length) throw new ConfigError(errors);
}

export async function launch(core: SupervisorCore, config: VmConfig, o: LaunchOptions, operation: string): Promise<GuestStatus> {
  const { name } = config;
  const dirs = core.store.dirs(name);
  const plan = await planFor(core, config, o);
  await preflight(config);
  await mkdir(dirs.runtimeDir, { recursive: true, mode: 0o700 });
  const release = await acquireStartLock(dirs.runtimeDir, name);
  try {
    // A guest another process started since we looked: never start it twice.
    const other = await Session.attach(name, dirs);
    if (other) {
      await other.detach(); // only looked: let go of its monitor, leave the guest running
      throw new GuestStateError(`"${name}" is already running`);
    }
    core.progress(name, operation, 'preparing files');
    await runPrepare(plan);
    core.emit({ type: 'state', status: guestStatus(name, { kind: 'starting', plan }) });
    await clearLastExit(dirs.logDir);
    core.progress(name, operation, plan.sidecars.length ? `starting ${plan.sidecars.map((s) => s.kind).join(', ')} and QEMU` : 'starting QEMU');
    let session: Session;
    try {
      session = await Session.launch(name, plan, dirs);
    } catch (e) {
      core.emit({ type: 'state', status: guestStatus(name, { kind: 'not-started', reason: (e as Error).message }) });
      throw e;
    }
    core.adopt(session);
    return guestStatus(name, { kind: 'live', session });
  } finally {
    await release();
  }
}
