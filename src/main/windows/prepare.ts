// A first Windows guest without the busywork: preflight, the ISO (the user's own, its edition
// read from it), the virtio-win drivers disc, the per-guest answer file on its own small disk,
// then the guest. The CLI (`guestbay windows prepare`) runs this. The guest's folder appears
// only at the end, whole: a failure leaves no guest behind (downloads stay in the cache).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { WindowsPrepareStep } from '../../shared/contract';
import type { Finding, HostCaps } from '../../shared/host-caps';
import { parseVmConfig } from '../../shared/migrations';
import { parseSize } from '../../shared/size';
import { ConfigError, type FieldError, type VmConfig } from '../../shared/vm-config';
import type { DownloadProgress } from '../download/progress';
import type { DownloadPin } from '../download/pins';
import { systemBinary } from '../host/system-binary';
import { createDisks, guestbayFolderSmbProblem, previewGuest } from '../vm/create';
import { newGuestsGetFolder } from '../vm/app-settings';
import { guestbayFolderChoice } from '../qemu/plan/guestbay-folder';
import { GuestExistsError, type Store } from '../vm/store';
import { ANSWER_DISK, buildAnswerDisk } from './answer-disk';
import { pickEdition, recognizeWindowsIso, type WindowsIsoInfo } from './iso/recognize';
import { windowsPreflight } from './preflight';
import { buildAnswerFile } from './unattend/answer-file';
import { hostWindowsLocale, type WindowsLocale } from './unattend/host-locale';
import { computerNameFrom, passwordProblem, userNameProblem } from './unattend/names';
import { downloadsCacheDir, fetchVirtioWin, ownVirtioWin } from './virtio-win';
import { downloadWindowsIso, type MicrosoftHosts } from './microsoft/download';

// The steps, as the CLI counts them and the app lists them, live in the contract.
export { WINDOWS_PREPARE_STEPS, type WindowsPrepareStep } from '../../shared/contract';

export interface PrepareWindowsRequest {
  name: string;
  title?: string;
  /** The user's Windows ISO; or */
  iso?: string;
  /** a download from Microsoft's public download service. */
  download?: '10' | '11';
  /** An image name or edition id on the ISO; default Pro. */
  edition?: string;
  /** The user's virtio-win ISO; default the pinned release, downloaded once. */
  virtioWin?: string;
  user: string;
  password: string;
  diskSize?: string;
  shares?: string[];
  allowTcg?: boolean;
  /** Only when asked: Windows 11 Setup's TPM / Secure Boot checks skipped (a host without swtpm). */
  bypassRequirements?: boolean;
}

export interface WindowsSources {
  /** Stand-ins for www.microsoft.com and vlscppe.microsoft.com. */
  microsoft?: MicrosoftHosts;
  virtioWinUrl?: string;
  virtioWinPin?: DownloadPin;
  retryDelayMs?: number;
}

export interface WindowsPrepareProgress {
  step: WindowsPrepareStep;
  message: string;
  download?: DownloadProgress;
  warnings?: Finding[];
  /** Said plainly once: where a download came from and how it was checked (trust on first use). */
  note?: string;
}

export interface PrepareWindowsResult {
  config: VmConfig;
  reasons: Record<string, string>;
  findings: Finding[];
  warnings: Finding[];
  iso: WindowsIsoInfo;
  edition: string;
  locale: WindowsLocale;
  computerName: string;
  notes: string[];
}

export class WindowsPrepareError extends Error {
  override name = 'WindowsPrepareError';
  constructor(message: string, readonly findings: Finding[] = []) {
    super(message);
  }
}

export interface PrepareWindowsDeps {
  store: Store;
  caps: HostCaps;
  env: NodeJS.ProcessEnv;
  sources?: WindowsSources;
  onProgress?: (p: WindowsPrepareProgress) => void;
  signal?: AbortSignal;
  qemuImg?: string;
}

const has = (name: string) => systemBinary(name).then(() => true, () => false);

/** What the host offers a Windows guest of this version with this system disk, without doing anything. */
export async function windowsPreflightFor(store: Store, caps: HostCaps, o: { version: '10' | '11'; diskGiB: number; bypassRequirements: boolean }): Promise<Finding[]> {
  await mkdir(store.paths.vms, { recursive: true, mode: 0o700 });
  const fs = await statfs(store.paths.vms);
  return windowsPreflight({
    caps,
    version: o.version,
    diskGiB: o.diskGiB,
    freeDiskBytes: fs.bavail * fs.bsize,
    hasMtools: await has('mformat'),
    hasXorriso: await has('xorriso'),
    bypassRequirements: o.bypassRequirements,
  });
}

export interface CheckedWindowsPrepare {
  version: '10' | '11';
  /** The user's ISO, read (a download is read once it is there). */
  iso?: WindowsIsoInfo;
  picked?: { name: string; reason: string };
  findings: Finding[];
  warnings: Finding[];
}

/**
 * Everything that can be known before anything is fetched or written: what was typed, the
 * user's ISO (its version decides the preflight) and the host. Throws ConfigError /
 * GuestExistsError / WindowsPrepareError; the app's job runs it before it starts.
 */
export async function checkWindowsPrepare(req: PrepareWindowsRequest, deps: { store: Store; caps: HostCaps; qemuImg?: string; say?: (p: WindowsPrepareProgress) => void }): Promise<CheckedWindowsPrepare> {
  const { store } = deps;
  const say = (p: WindowsPrepareProgress) => deps.say?.(p);
  const errors: FieldError[] = [];
  const userErr = userNameProblem(req.user);
  if (userErr) errors.push({ field: 'user', message: userErr });
  const pwErr = passwordProblem(req.password);
  if (pwErr) errors.push({ field: 'password', message: pwErr });
  if (errors.length) throw new ConfigError(errors);
  if (await store.exists(req.name)) throw new GuestExistsError(req.name);

  if (Boolean(req.iso) === Boolean(req.download)) throw new ConfigError([{ field: 'iso', message: 'name your Windows ISO, or ask for a download from Microsoft (10 or 11): one of the two' }]);
  let iso: WindowsIsoInfo | undefined;
  let picked: { name: string; reason: string } | undefined;
  if (req.iso) {
    const r = await readWindowsIso(req.iso, req.edition, say);
    iso = r.info;
    picked = r.picked;
  }
  const version = req.download ?? iso!.version!;

  const preview = await previewGuest(
    { preset: `windows-${version}`, name: req.name, title: req.title, ...(req.iso ? { iso: req.iso } : {}), ...(req.virtioWin ? { driversIso: req.virtioWin } : {}), diskSize: req.diskSize, shares: req.shares },
    { qemuImg: deps.qemuImg },
  );
  const size = preview.config.disks[0]?.size;
  const bytes = typeof size === 'number' ? size : typeof size === 'string' ? ((parseSize(size) as { bytes?: number }).bytes ?? 0) : 0;
  const findings = await windowsPreflightFor(store, deps.caps, { version, diskGiB: Math.floor(bytes / 2 ** 30), bypassRequirements: req.bypassRequirements === true });
  const stop = findings.filter((f) => f.status === 'missing' || (f.id === 'windows-kvm' && f.status !== 'ok' && !req.allowTcg));
  if (stop.length) {
    const lines = stop.map((f) => `- ${f.title}: ${f.detail}${f.fix ? ` Fix: ${f.fix.text}${f.fix.command ? ` (${f.fix.command})` : ''}` : ''}`);
    throw new WindowsPrepareError(
      `Windows ${version} cannot be prepared on this host yet:\n${lines.join('\n')}` +
        (stop.some((f) => f.id === 'windows-kvm') ? '\nWithout KVM it can still be prepared, to try things out under software emulation: allow it (--allow-tcg, or the checkbox in the app).' : ''),
      findings,
    );
  }
  return { version, ...(iso ? { iso } : {}), ...(picked ? { picked } : {}), findings, warnings: findings.filter((f) => f.status === 'warning') };
}

/** The ISO read for its version and editions; the edition to install picked. Errors are the field's. */
async function readWindowsIso(path: string, edition: string | undefined, say: (p: WindowsPrepareProgress) => void): Promise<{ info: WindowsIsoInfo; picked: { name: string; reason: string } }> {
  say({ step: 'iso', message: `Reading ${path}` });
  const info = await recognizeWindowsIso(path).catch((e: Error) => {
    throw new ConfigError([{ field: 'iso', message: e.message }]);
  });
  if (!info.version) throw new ConfigError([{ field: 'iso', message: `${path} (label "${info.label}") is not a Windows 10 or 11 installer Guestbay can tell` }]);
  const p = pickEdition(info, edition);
  if ('error' in p) throw new ConfigError([{ field: 'edition', message: p.error }]);
  return { info, picked: p };
}

export async function prepareWindowsGuest(req: PrepareWindowsRequest, deps: PrepareWindowsDeps): Promise<PrepareWindowsResult> {
  const { store } = deps;
  const say = (p: WindowsPrepareProgress) => deps.onProgress?.(p);
  const notes: string[] = [];

  // 1. Everything typed, then the ISO's version, then the host: before anything is fetched or written.
  say({ step: 'preflight', message: 'Checking the request and this host' });
  const checked = await checkWindowsPrepare(req, { ...deps, say });
  const { version, findings, warnings } = checked;
  let iso = checked.iso;
  let picked = checked.picked;
  // Said before the long steps (the TCG warning above all).
  say({ step: 'preflight', message: 'This host can prepare it', warnings });
  let isoPath = req.iso;
  if (req.download) {
    say({ step: 'iso', message: `Asking Microsoft's download service for Windows ${req.download}` });
    const ms = await downloadWindowsIso({
      version: req.download,
      cacheDir: downloadsCacheDir(deps.env),
      ...(deps.sources?.microsoft ? { hosts: deps.sources.microsoft } : {}),
      ...(deps.sources?.retryDelayMs !== undefined ? { retryDelayMs: deps.sources.retryDelayMs } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onProgress: (download) => say({ step: 'iso', message: `Downloading ${download.file}`, download }),
    });
    notes.push(ms.trust.note);
    say({ step: 'iso', message: 'Downloaded and checked', note: ms.trust.note });
    isoPath = ms.download.path;
    ({ info: iso, picked } = await readWindowsIso(isoPath, req.edition, say));
    if (iso.version !== req.download) throw new WindowsPrepareError(`Microsoft's download for Windows ${req.download} holds Windows ${iso!.version}; nothing was created.`);
  }
  const info = iso!;
  const edition = picked!;
  say({ step: 'iso', message: `Windows ${version} (${info.label}): installing ${edition.name}`, note: `Windows ${version} (${info.label}, editions read from ${info.source}): installing ${edition.reason}` });

  // 2. The drivers disc.
  deps.signal?.throwIfAborted();
  say({ step: 'drivers', message: req.virtioWin ? `Checking your virtio-win disc ${req.virtioWin}` : 'Fetching the virtio-win drivers disc (once for all guests)' });
  const virtio = req.virtioWin
    ? await ownVirtioWin(req.virtioWin).catch((e: Error) => {
        throw new ConfigError([{ field: 'virtioWin', message: e.message }]);
      })
    : await fetchVirtioWin({
        env: deps.env,
        ...(deps.sources?.virtioWinPin ? { pin: deps.sources.virtioWinPin } : {}),
        ...(deps.sources?.virtioWinUrl ? { url: deps.sources.virtioWinUrl } : {}),
        ...(deps.sources?.retryDelayMs !== undefined ? { retryDelayMs: deps.sources.retryDelayMs } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        onProgress: (download) => say({ step: 'drivers', message: `Downloading ${download.file}`, download }),
      });
  notes.push(virtio.note);
  say({ step: 'drivers', message: 'virtio-win ready', note: virtio.note });

  // 3. The answer file, on its own disk, built beside the guests' folder and moved in at the end.
  deps.signal?.throwIfAborted();
  const locale = await hostWindowsLocale(deps.env);
  const computerName = computerNameFrom(req.name);
  // Again with the drivers disc: the preset then picks the virtio devices its drivers serve.
  const withDrivers = await previewGuest(
    { preset: `windows-${version}`, name: req.name, title: req.title, iso: isoPath, driversIso: virtio.path, diskSize: req.diskSize, shares: req.shares },
    { qemuImg: deps.qemuImg },
  );
  const preset = withDrivers.config;
  // The Guestbay folder, as `create` gives every new guest unless the settings say no — left out
  // where it would take a second SMB share (vm/create.ts's rule). Setup maps one folder to Z:
  // the guest's own share, else the Guestbay folder by the method the plan will choose for it.
  const withFolder = { ...preset, guestbayFolder: true };
  const folder = (await newGuestsGetFolder(store.paths)) && !guestbayFolderSmbProblem(withFolder, deps.caps) ? guestbayFolderChoice(withFolder, deps.caps, '/').share : null;
  const mapped = preset.sharedFolders[0] ?? folder;
  const share = mapped ? { method: mapped.method === 'virtiofs' ? ('virtiofs' as const) : ('smb' as const), letter: 'Z' } : undefined;
  const xml = buildAnswerFile({ version, edition: edition.name, computerName, user: req.user, password: req.password, locale, bypassRequirements: req.bypassRequirements === true, ...(share ? { share } : {}) });
  say({ step: 'answer', message: `Writing the answer file (${locale.language}, ${locale.timeZone}, computer ${computerName}, account ${req.user})` });
  const staging = join(store.paths.vms, `.preparing-${req.name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    await buildAnswerDisk({ xml, out: join(staging, ANSWER_DISK), ...(deps.signal ? { signal: deps.signal } : {}) });

    say({ step: 'create', message: `Creating "${req.name}"` });
    const config = parseVmConfig({
      ...preset,
      guestbayFolder: folder !== null,
      tpm: { ...preset.tpm, enabled: preset.tpm.enabled && !(req.bypassRequirements && !deps.caps.swtpm) },
      media: [
        ...preset.media,
        // Read-only, on USB: Setup scans removable drives' roots for autounattend.xml.
        { id: 'answer0', role: 'drivers', path: ANSWER_DISK, format: 'raw', as: 'disk', bus: 'usb' },
      ],
    });
    const reasons = {
      ...withDrivers.reasons,
      'media.answer0': `the answer disk: autounattend.xml for ${edition.name}, account ${req.user}; remove it after the install (it holds the password, encoded, not encrypted)`,
      edition: edition.reason,
      locale: `${locale.language} (${locale.from.language}); time zone ${locale.timeZone} (${locale.from.timeZone})`,
    };
    await store.create(config, async (dir) => {
      await rename(join(staging, ANSWER_DISK), join(dir, ANSWER_DISK));
      await createDisks(dir, config, deps.qemuImg);
    });
    return { config, reasons, findings, warnings, iso: info, edition: edition.name, locale, computerName, notes };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
