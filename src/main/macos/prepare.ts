// A first macOS guest from nothing: preflight, Apple's recovery image, the recovery disk,
// OpenCore with a new SMBIOS identity, then the guest itself. The CLI (`guestbay macos prepare`)
// and the app's guided flow both run this. Everything is checked before the long steps, and
// the guest's folder appears only at the very end, whole: a failure or a cancel leaves no guest
// behind (the verified download stays in the cache, so a second try resumes it).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MacosPrepareStep } from '../../shared/contract';
import type { Finding, HostCaps } from '../../shared/host-caps';
import { parseVmConfig } from '../../shared/migrations';
import { MACOS_BOOTLOADER, MACOS_DEFAULT_RESOLUTION, MACOS_RECOVERY } from '../../shared/presets';
import { macosRelease, MACOS_RELEASES, type MacosRelease } from '../../shared/os/macos-releases';
import { parseSize } from '../../shared/size';
import { ConfigError, display, type FieldError, type VmConfig } from '../../shared/vm-config';
import { createDisks, previewGuest } from '../vm/create';
import { newGuestsGetFolder } from '../vm/app-settings';
import { isAlive } from '../vm/process-info';
import { guestbayPaths } from '../vm/paths';
import { GuestExistsError, type Store } from '../vm/store';
import { ensureIdentity } from './identity';
import { fetchOpenCore } from './opencore/fetch';
import { buildOpenCoreImage } from './opencore/image';
import type { OpenCorePin } from './opencore/release';
import { gatherFacts, macosPreflight } from './preflight';
import { downloadRecovery, type DownloadProgress } from './recovery';
import { RECOVERY_REQUESTS } from './recovery/boards';
import { buildRecoveryDisk } from './recovery-disk';

/** Where the recovery image and OpenCore come from: Apple and GitHub unless a mirror or a test says otherwise. */
export interface MacosSources {
  recoveryServer?: string;
  /** PEM of the RSA key the chunklist must be signed with (default Apple's EFI ROM key). */
  recoveryKeyPem?: string;
  /** Another OpenCorePkg release zip: its address and the SHA-256 it must have. */
  openCore?: { url: string; pin: OpenCorePin };
}

export interface PrepareMacRequest {
  release: string;
  name: string;
  title?: string;
  diskSize?: string;
  resolution?: { width: number; height: number };
  shares?: string[];
  /** Go on without KVM (software emulation: hours to install). */
  allowTcg?: boolean;
}

export type PrepareStep = MacosPrepareStep;

export interface PrepareProgress {
  step: PrepareStep;
  message: string;
  download?: DownloadProgress;
  /** Said once the preflight passed, before the long steps (no KVM above all). */
  warnings?: Finding[];
}

export interface PrepareMacResult {
  config: VmConfig;
  reasons: Record<string, string>;
  findings: Finding[];
  /** Findings that did not stop the preparation but must be said (the TCG warning above all). */
  warnings: Finding[];
}

export class MacPrepareError extends Error {
  override name = 'MacPrepareError';
  constructor(message: string, readonly findings: Finding[] = []) {
    super(message);
  }
}

export interface PrepareDeps {
  store: Store;
  caps: HostCaps;
  env: NodeJS.ProcessEnv;
  sources?: MacosSources;
  onProgress?: (p: PrepareProgress) => void;
  signal?: AbortSignal;
  qemuImg?: string;
}

/** The recovery download for a release is cached here, shared by every guest of that release. */
export function recoveryCacheDir(env: NodeJS.ProcessEnv, release: string): string {
  return join(guestbayPaths(env).cache, 'macos-recovery', release);
}

/** Preflight for one release on this host, without doing anything. */
export async function macosPreflightFor(store: Store, caps: HostCaps, release: MacosRelease, diskGiB?: number): Promise<Finding[]> {
  return macosPreflight(await gatherFacts(caps, release, store.paths.vms, diskGiB));
}

/** What would stop a preparation: the findings that are missing, and no KVM unless allowed. */
export function blockers(findings: Finding[], allowTcg: boolean): Finding[] {
  return findings.filter((f) => f.status === 'missing' || (f.id === 'macos-kvm' && f.status !== 'ok' && !allowTcg));
}

async function checkRequest(req: PrepareMacRequest, store: Store, qemuImg?: string): Promise<{ release: MacosRelease; config: VmConfig; reasons: Record<string, string>; resolution: { width: number; height: number } }> {
  const release = macosRelease(req.release);
  const errors: FieldError[] = [];
  if (!release) errors.push({ field: 'release', message: `"${req.release}" is not a macOS release Guestbay knows: ${MACOS_RELEASES.map((r) => r.key).join(', ')}` });
  const resolution = req.resolution ?? MACOS_DEFAULT_RESOLUTION;
  const res = display.shape.resolution.unwrap().safeParse(resolution);
  if (!res.success) errors.push({ field: 'resolution', message: `${resolution.width}×${resolution.height} is not a screen size from 640×480 to 7680×4320` });
  if (errors.length) throw new ConfigError(errors);
  const preview = await previewGuest({ preset: `macos-${release!.key}`, name: req.name, title: req.title, diskSize: req.diskSize, shares: req.shares }, { qemuImg, macosDisksBuilt: true });
  if (await store.exists(req.name)) throw new GuestExistsError(req.name);
  // A folder without a config holds disks kept when a guest was deleted: preparing into it
  // would boot an installed macOS with a new Mac identity, or write over its OpenCore disk.
  if (await stat(store.dirs(req.name).dir).then(() => true, () => false)) {
    throw new ConfigError([{ field: 'name', message: `${store.dirs(req.name).dir} already exists (disks kept from a deleted guest?): choose another name, or move that folder away` }]);
  }
  // Where the recovery comes from is a main-process fact (recovery/boards.ts), not the preset's.
  const reasons = { ...preview.reasons, 'macos.recovery': RECOVERY_REQUESTS[release!.key].reason };
  return { release: release!, config: preview.config, reasons, resolution };
}

/**
 * Everything that can be known before the long steps: the request itself (release, name, sizes,
 * shares; nothing on disk yet) and the host's preflight. Throws ConfigError / GuestExistsError /
 * MacPrepareError; returns what must still be said.
 */
export async function checkMacPrepare(req: PrepareMacRequest, deps: { store: Store; caps: HostCaps; qemuImg?: string }) {
  const checked = await checkRequest(req, deps.store, deps.qemuImg);
  const { release } = checked;
  // Disk space is judged against the disk asked for, not the release's recommendation.
  const size = checked.config.disks[0]?.size;
  const bytes = typeof size === 'number' ? size : typeof size === 'string' ? (parseSize(size) as { bytes?: number }).bytes : undefined;
  const findings = await macosPreflightFor(deps.store, deps.caps, release, bytes !== undefined ? bytes / 2 ** 30 : undefined);
  const stop = blockers(findings, req.allowTcg === true);
  if (stop.length) {
    const lines = stop.map((f) => `- ${f.title}: ${f.detail}${f.fix ? ` Fix: ${f.fix.text}${f.fix.command ? ` (${f.fix.command})` : ''}` : ''}`);
    const noKvm = stop.some((f) => f.id === 'macos-kvm');
    throw new MacPrepareError(
      `${release.name} cannot be prepared on this host yet:\n${lines.join('\n')}` +
        (noKvm ? '\nWithout KVM it can still be prepared, to try things out under software emulation: allow it (--allow-tcg, or the checkbox in the app).' : ''),
      findings,
    );
  }
  return { ...checked, findings, warnings: findings.filter((f) => f.status === 'warning') };
}

export async function prepareMacGuest(req: PrepareMacRequest, deps: PrepareDeps): Promise<PrepareMacResult> {
  const { store, sources = {} } = deps;
  const say = (p: PrepareProgress) => deps.onProgress?.(p);
  say({ step: 'preflight', message: `Checking the request and this host for ${macosRelease(req.release)?.name ?? req.release}` });
  // 1. Everything the user typed, and the host, before anything is fetched or written.
  const { release, config: preset, reasons, resolution, findings, warnings } = await checkMacPrepare(req, deps);
  say({ step: 'preflight', message: 'This host can prepare it', warnings });

  // Built beside the guests' folder (same filesystem: moved in by rename, never copied).
  await mkdir(store.paths.vms, { recursive: true, mode: 0o700 });
  await removeAbandonedStaging(store.paths.vms);
  const staging = join(store.paths.vms, `${STAGING_PREFIX}${req.name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    // 2. Apple's recovery image, verified chunk by chunk, resumable from the cache, and the disk
    // OpenCore boots it from. One preparation per release at a time works on that cache.
    const cache = recoveryCacheDir(deps.env, release.key);
    await withCacheLock(cache, release.name, async () => {
      say({ step: 'recovery', message: `Asking ${sources.recoveryServer ?? "Apple's recovery service"} for ${release.name} (board ${RECOVERY_REQUESTS[release.key].boardId})` });
      const recovery = await downloadRecovery({
        release: release.key,
        dir: cache,
        ...(sources.recoveryServer ? { recoveryServer: sources.recoveryServer } : {}),
        ...(sources.recoveryKeyPem ? { publicKeyPem: sources.recoveryKeyPem } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        onProgress: (download) => say({ step: 'recovery', message: `Downloading ${download.file}`, download }),
      });
      deps.signal?.throwIfAborted();
      say({ step: 'recovery-disk', message: 'Putting the recovery image on a FAT disk for OpenCore' });
      await buildRecoveryDisk({ image: recovery.image, chunklist: recovery.chunklist, out: join(staging, MACOS_RECOVERY), qemuImg: deps.qemuImg, signal: deps.signal });
    });
    deps.signal?.throwIfAborted();

    say({ step: 'opencore', message: 'Fetching OpenCore and writing its config with a new Mac identity' });
    const zip = await fetchOpenCore({
      env: deps.env,
      ...(sources.openCore ? { url: sources.openCore.url, pin: sources.openCore.pin } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const identity = ensureIdentity(undefined, release.key);
    await buildOpenCoreImage({ zip: zip.path, identity, resolution, out: join(staging, MACOS_BOOTLOADER), release: release.key, qemuImg: deps.qemuImg, signal: deps.signal });
    deps.signal?.throwIfAborted();

    say({ step: 'create', message: `Creating "${req.name}"` });
    const config = parseVmConfig({
      ...preset,
      // The Guestbay folder, as `create` gives every new guest unless the settings say no (9p here).
      guestbayFolder: await newGuestsGetFolder(store.paths),
      display: { ...preset.display, resolution },
      macos: { ...identity, resolution },
    });
    reasons.macos = `SMBIOS identity ${identity.model}, serial ${identity.serial}: made for this guest alone, kept with it`;
    reasons['display.resolution'] = `${resolution.width}×${resolution.height}: OpenCore's picker and macOS start at this size`;
    await store.create(config, async (dir) => {
      for (const f of [MACOS_RECOVERY, MACOS_BOOTLOADER]) await rename(join(staging, f), join(dir, f));
      await createDisks(dir, config, deps.qemuImg);
    });
    return { config, reasons, findings, warnings };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

const STAGING_PREFIX = '.preparing-';

/** Staging folders of preparations whose process is gone (killed, or quit mid-copy): gigabytes nobody will use. */
async function removeAbandonedStaging(vms: string): Promise<void> {
  for (const f of await readdir(vms).catch(() => [] as string[])) {
    const m = /^\.preparing-.+-(\d+)-[0-9a-f]{8}$/.exec(f);
    if (m && !isAlive(Number(m[1]))) await rm(join(vms, f), { recursive: true, force: true });
  }
}

/**
 * One preparation per release works on the cached download at a time (another one, from the
 * app or a terminal, would write the same partial file). A lock whose process is gone is taken over.
 */
const HELD = new Set<string>();

async function withCacheLock<T>(dir: string, what: string, run: () => Promise<T>): Promise<T> {
  const busy = () => new MacPrepareError(`Another preparation is downloading ${what} right now; when it is done, this one reuses its download.`);
  if (HELD.has(dir)) throw busy();
  HELD.add(dir);
  try {
    return await withLockFile(dir, busy, run);
  } finally {
    HELD.delete(dir);
  }
}

async function withLockFile<T>(dir: string, busy: () => Error, run: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
      // Our own pid here is a lock left by an earlier run that had this pid: HELD covers this process.
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw busy();
      await rm(lock, { force: true });
    }
  }
  try {
    return await run();
  } finally {
    await rm(lock, { force: true });
  }
}
