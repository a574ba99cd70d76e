// Save (the whole guest migrated to a file in its folder, then QEMU ended) and restore (QEMU
// started waiting for that file, the guest continuing where it was).
import { availableParallelism } from 'node:os';
import { mappedRamChannels, migrateIncomingFromFile, migrateToFile, pauseVcpus, resumeVcpus, saveFormatFor, setSaveFormat } from '../../qemu/qmp/commands';
import { directIoWorks } from '../direct-io';
import { commitSave, discardSaved, fingerprint, fingerprintRamFile, prepareSaveDir, readSavedMeta, restoreBlocker, savedPaths, syncRamFile } from '../saved-state';
import { qemuFor } from '../../../shared/os/arch-table';
import { waitMigration as waitFor } from './wait-migration';
import type { Session } from '../session';
import { syncGuestClock } from '../guest-agent';
import { launch, planFor } from './launch';
import { guestStatus } from './status';
import { GuestStateError, type GuestStatus, type StartOptions, type SupervisorCore } from './types';

/**
 * Writes the guest's whole state to a file in its folder and ends QEMU. Refused, with the
 * reason and the guest left running, when this guest cannot be migrated.
 */
export async function save(core: SupervisorCore, name: string): Promise<GuestStatus> {
  return core.exclusive(name, 'save', async () => {
    const s = await core.session(name);
    if (!s) throw new GuestStateError(`"${name}" is not running, so there is nothing to save`);
    if (!s.plan.savable.ok) throw new GuestStateError(`"${name}" cannot be saved: ${s.plan.savable.reason}`);
    // A guest found again from a record an older Guestbay wrote has no machine digest to save with.
    if (!s.plan.argsDigest || !s.plan.writableFiles) throw new GuestStateError(`"${name}" was started by an older Guestbay and cannot be saved; stop it and start it again`);
    const caps = await core.probe();
    const { dir } = core.store.dirs(name);
    const paths = await prepareSaveDir(dir);
    const wasPaused = s.state === 'paused';
    const before = s.state;
    s.setState('saving');
    core.progress(name, 'save', 'pausing the guest');
    await pauseVcpus(s.client);
    // The emulator this guest runs in (an ARM guest's qemu-system-aarch64 may be another version).
    const qemu = s.plan.config ? qemuFor(caps, s.plan.config.arch) : caps.qemu;
    const migration = { fileMigration: qemu?.fileMigration ?? false, mappedRam: qemu?.mappedRam ?? false };
    // On QEMU 9.0+ RAM goes to fixed offsets of the file from several threads (mapped-ram):
    // a save then runs at the disk's speed (docs/save-restore-speed.md).
    // With the RAM in a file ("memory in a file") only the devices are written; the file stays.
    const format = saveFormatFor(migration, Boolean(s.plan.ramFile));
    try {
      // RAM pages past the page cache (O_DIRECT) where QEMU and the folder's file system can.
      const directIo = format === 'mapped-ram' && Boolean(qemu?.directIo) && (await directIoWorks(paths.partial, 'out'));
      await setSaveFormat(s.client, format, mappedRamChannels(availableParallelism(), directIo), 'out', { directIo });
      await migrateToFile(s.client, paths.partial, migration);
      await waitFor(s.client, s.ended, (message, fraction) => core.progress(name, 'save', message, fraction));
    } catch (e) {
      // Leave the guest as it was: running if it was running.
      if (before === 'running') await resumeVcpus(s.client).catch(() => {});
      s.setState(before);
      await discardSaved(dir);
      throw new GuestStateError(`saving "${name}" failed, the guest keeps running: ${(e as Error).message}`);
    }
    s.intent = 'save';
    core.progress(name, 'save', 'state written; ending QEMU');
    await s.quit();
    const end = await s.ended;
    if (end.state !== 'saved') throw new GuestStateError(`QEMU did not end cleanly after saving "${name}": ${end.reason}`);
    let ramFile;
    if (s.plan.ramFile) {
      // The state holds no RAM: the save is durable only once the RAM file is on the disk, and
      // the restore must find that very file (fingerprinted after the sync, QEMU gone).
      core.progress(name, 'save', 'writing the guest\'s memory file to the disk');
      await syncRamFile(s.plan.ramFile);
      ramFile = await fingerprintRamFile(s.plan.ramFile);
    }
    const meta = await commitSave(dir, {
      savedAt: new Date().toISOString(),
      qemuVersion: qemu?.version ?? '',
      argsDigest: s.plan.argsDigest,
      wasPaused,
      disks: await fingerprint(s.plan.writableFiles),
      format,
      ...(ramFile ? { ramFile } : {}),
    });
    return guestStatus(name, { kind: 'at-rest', saved: meta, lastExit: null });
  });
}

/** Starts QEMU waiting for the saved state, loads it, and the guest continues where it was. */
export async function restore(core: SupervisorCore, name: string, o: Omit<StartOptions, 'fresh' | 'paused'> = {}): Promise<GuestStatus> {
  return core.exclusive(name, 'restore', async () => {
    const config = await core.store.get(name);
    if (await core.session(name)) throw new GuestStateError(`"${name}" is already running`);
    const { dir } = core.store.dirs(name);
    const meta = await readSavedMeta(dir);
    if (!meta) throw new GuestStateError(`"${name}" has no saved state to restore`);
    const plan = await planFor(core, config, { ...o, incoming: true, paused: meta.wasPaused });
    const caps = await core.probe();
    const blocker = await restoreBlocker(meta, plan, caps.qemu);
    if (blocker) throw new GuestStateError(`cannot restore "${name}": ${blocker}. Start it fresh (start --fresh) to discard the saved state.`);
    await launch(core, config, { ...o, incoming: true, paused: meta.wasPaused }, 'restore');
    const s = core.held(name)!;
    const file = savedPaths(dir).state;
    try {
      core.progress(name, 'restore', 'loading the saved state');
      // The file is read as it was written: a mapped-ram file needs the same capabilities.
      const format = meta.format ?? 'stream';
      const qemu = qemuFor(caps, config.arch);
      // Whether it was written with O_DIRECT or not, a mapped-ram file reads either way.
      const directIo = format === 'mapped-ram' && Boolean(qemu?.directIo) && (await directIoWorks(file, 'in'));
      await setSaveFormat(s.client, format, mappedRamChannels(availableParallelism(), directIo), 'in', { directIo });
      await migrateIncomingFromFile(s.client, file, { fileMigration: qemu?.fileMigration ?? false, mappedRam: format === 'mapped-ram' });
      await waitFor(s.client, s.ended, (message, fraction) => core.progress(name, 'restore', message, fraction));
      // The stream carries the run state it was saved in, and a save pauses the guest first
      // (so the disks stop changing): resume it, unless the user had paused it.
      if (!meta.wasPaused) await resumeVcpus(s.client);
      await s.refreshStatus();
      // The restored guest's clock stands where it was saved: its agent, when one answers, sets
      // it to now (a paused guest's agent cannot answer; it is left alone).
      if (!meta.wasPaused && (await syncGuestClock(s))) core.progress(name, 'restore', 'guest clock set to the host\'s');
    } catch (e) {
      s.intent = 'stop';
      await s.quit();
      throw new GuestStateError(`restoring "${name}" failed; the saved state is kept: ${(e as Error).message}`);
    }
    // The disks move on from here: the saved state no longer matches them.
    await discardSaved(dir);
    return guestStatus(name, { kind: 'live', session: s });
  });
}
