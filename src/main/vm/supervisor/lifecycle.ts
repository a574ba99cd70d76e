// A guest's lifecycle: its status, start, stop (ACPI first), pause, resume, reset, and finding
// running guests again after a restart.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { vmName } from '../../../shared/vm-config';
import type { QmpClient } from '../../qemu/qmp';
import { checkPrivateDir } from '../runtime-dir';
import { pauseVcpus, powerDown, queryStatus, resumeVcpus, systemReset } from '../../qemu/qmp/commands';
import { readLastExit } from '../runtime-files';
import { readSavedMeta, discardSaved } from '../saved-state';
import { NotAnsweringError, Session, type RunState } from '../session';
import { startInProgress } from '../start-journal';
import { launch } from './launch';
import { guestStatus } from './status';
import { restore } from './save-restore';
import type { ListedGuest } from '../store';
import { GuestStateError, type GuestStatus, type StartOptions, type SupervisorCore } from './types';

/** Whether `p` settles within `ms`; the timer is always cleared, so it never holds the process. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function status(core: SupervisorCore, name: string, o: { listed?: boolean } = {}): Promise<GuestStatus> {
  // A running guest is found from its runtime record, so it stays visible and manageable even
  // when its vm.json is damaged or its folder was removed meanwhile.
  let s;
  try {
    s = await core.session(name);
  } catch (e) {
    if (e instanceof NotAnsweringError) return guestStatus(name, { kind: 'not-answering', error: e });
    throw e;
  }
  if (s) return guestStatus(name, { kind: 'live', session: s });
  // Read just now by the caller's listing: not read and parsed a second time.
  if (!o.listed) await core.store.get(name);
  const { dir, logDir } = core.store.dirs(name);
  const saved = await readSavedMeta(dir);
  return guestStatus(name, { kind: 'at-rest', saved, lastExit: saved ? null : await readLastExit(logDir) });
}

/**
 * Every guest Guestbay knows of: those in the store (damaged ones too) and those with a runtime
 * record (a guest whose folder was removed while it ran). Refuses a runtime folder that is not
 * the user's alone.
 */
async function guestNames(core: SupervisorCore, listed?: ListedGuest[]): Promise<string[]> {
  const names = new Set((listed ?? (await core.store.list())).map((g) => g.name));
  const root = core.store.paths.runtime;
  if (await checkPrivateDir(root)) {
    for (const e of await readdir(root)) {
      if (names.has(e) || !vmName.safeParse(e).success) continue;
      if (await stat(join(root, e, 'guest.json')).catch(() => null)) names.add(e);
    }
  }
  return [...names].sort();
}

/**
 * Every guest's status, re-attaching to those still running (after the app or the machine's
 * session restarted). One guest whose status cannot be read does not hide the others: it is
 * listed with the reason.
 */
export async function attachAll(core: SupervisorCore, listed?: ListedGuest[]): Promise<GuestStatus[]> {
  const names = await guestNames(core, listed);
  // A guest the listing read well needs no second read; a damaged one goes the usual way (its error).
  const readable = new Set((listed ?? []).filter((g) => g.config).map((g) => g.name));
  return Promise.all(names.map((name) => status(core, name, { listed: readable.has(name) }).catch((e: Error) => guestStatus(name, { kind: 'unreadable', reason: e.message }))));
}

/** Starts a guest; a saved guest is restored unless `fresh`. */
export async function start(core: SupervisorCore, name: string, o: StartOptions = {}): Promise<GuestStatus> {
  const config = await core.store.get(name);
  if (!o.fresh && (await readSavedMeta(core.store.dirs(name).dir))) return restore(core, name, o);
  return core.exclusive(name, 'start', async () => {
    const running = await core.session(name);
    if (running) throw new GuestStateError(`"${name}" is already ${running.state}`);
    if (o.fresh) await discardSaved(core.store.dirs(name).dir);
    return launch(core, config, o, 'start');
  });
}

/**
 * ACPI power-down first, so the guest shuts down cleanly; after `timeoutMs` QEMU is told to
 * quit. `force` skips the power-down.
 */
export async function stop(core: SupervisorCore, name: string, o: { force?: boolean; timeoutMs?: number } = {}): Promise<GuestStatus> {
  return core.exclusive(name, 'stop', async () => {
    let s;
    try {
      s = await core.session(name);
    } catch (e) {
      if (!(e instanceof NotAnsweringError)) throw e;
      // It cannot be asked to shut down; ending it loses what the guest has not written, so
      // only a forced stop does it.
      if (!o.force) throw new GuestStateError(`"${name}" does not answer, so it cannot be asked to shut down: ${e.problem.message}. What to do: ${e.problem.fix}`);
      core.progress(name, 'stop', 'QEMU does not answer: ending it');
      const end = await Session.forceEnd(e, core.store.dirs(name));
      core.emit({ type: 'state', status: guestStatus(name, { kind: 'ended', end }) });
      return guestStatus(name, { kind: 'ended', end });
    }
    if (!s) {
      const st = await status(core, name);
      if (st.state === 'saved') throw new GuestStateError(`"${name}" is saved, not running; restore it or start it fresh`);
      return st;
    }
    s.intent = 'stop';
    s.setState('stopping');
    if (!o.force) {
      const timeoutMs = o.timeoutMs ?? core.stopTimeoutMs;
      const forced = `forced after ${Math.round(timeoutMs / 1000)} s`;
      // The power button needs running vCPUs: a paused guest would never see it, and the stop
      // would wait the whole timeout. A guest paused by its user is resumed to shut down
      // cleanly; one that never ran, or waits for a saved state, has nothing to shut down.
      const run = await queryStatus(s.client, 3000).catch(() => null);
      let ask = true;
      if (run && !run.running) {
        if (run.status === 'paused') {
          core.progress(name, 'stop', `the guest is paused: resuming it so it can shut down (${forced})`);
          await resumeVcpus(s.client).catch(() => {});
        } else {
          core.progress(name, 'stop', `the guest is not running (QEMU says ${run.status}), so it cannot shut down: quitting QEMU`);
          ask = false;
        }
      } else {
        core.progress(name, 'stop', `asking the guest to shut down (${forced})`);
      }
      if (ask) {
        await powerDown(s.client).catch(() => {});
        const done = await settlesWithin(s.ended, timeoutMs);
        if (!done) core.progress(name, 'stop', 'the guest did not shut down in time: quitting QEMU');
      }
    }
    if (!(await settlesWithin(s.ended, 0))) await s.quit();
    return guestStatus(name, { kind: 'ended', end: await s.ended });
  });
}

/**
 * Deletes a guest that is not running (the one check for the CLI, the API and the app): a QEMU
 * whose folder is removed under it keeps writing disks that are gone. Disk images stay unless
 * `deleteDisks`.
 */
export async function remove(core: SupervisorCore, name: string, o: { deleteDisks?: boolean } = {}): Promise<{ kept: string[] }> {
  return core.exclusive(name, 'delete', async () => {
    const st = await status(core, name);
    if (st.state !== 'stopped' && st.state !== 'crashed' && st.state !== 'saved') throw new GuestStateError(`"${name}" is ${st.state}: stop it before deleting it`);
    const starter = await startInProgress(core.store.dirs(name).runtimeDir);
    if (starter) throw new GuestStateError(`"${name}" is being started (by process ${starter}): stop it before deleting it`);
    return core.store.delete(name, o);
  });
}

export function pause(core: SupervisorCore, name: string): Promise<GuestStatus> {
  return simple(core, name, 'pause', pauseVcpus, 'paused');
}

export function resume(core: SupervisorCore, name: string): Promise<GuestStatus> {
  return simple(core, name, 'resume', resumeVcpus, 'running');
}

export function reset(core: SupervisorCore, name: string): Promise<GuestStatus> {
  return simple(core, name, 'reset', systemReset, undefined);
}

async function simple(core: SupervisorCore, name: string, op: string, command: (c: QmpClient) => Promise<unknown>, expect: RunState | undefined): Promise<GuestStatus> {
  return core.exclusive(name, op, async () => {
    const s = await core.session(name);
    if (!s) throw new GuestStateError(`"${name}" is not running`);
    await command(s.client);
    if (expect) s.setState(expect);
    return guestStatus(name, { kind: 'live', session: s });
  });
}
