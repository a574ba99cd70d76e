// Guestbay-wide settings that are not a guest's: the Guestbay folder, the one host folder every
// guest gets unless it opts out, and whether new guests get it. Read and written by `guestbay
// settings` and by the app (settings.get/settings.set), kept in
// $XDG_CONFIG_HOME/guestbay/settings.json, written atomically; a missing or unreadable file
// means the defaults.
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { ConfigError } from '../../shared/vm-config';
import { readJsonOrNull, writeJsonAtomic } from './atomic-file';
import type { GuestbayPaths } from './paths';

export const DEFAULT_FOLDER_NAME = 'Guestbay Shared';

export interface GuestbayFolderSetting {
  /** The folder, absolute. */
  path: string;
  /** Whether it is the default (no setting written). */
  isDefault: boolean;
  /** Whether it exists now (it is made at the first start of a guest that has it). */
  exists: boolean;
}

const file = (paths: GuestbayPaths) => join(paths.config, 'settings.json');
const defaultFolder = (paths: GuestbayPaths) => join(paths.home ?? homedir(), DEFAULT_FOLDER_NAME);

export async function guestbayFolder(paths: GuestbayPaths): Promise<GuestbayFolderSetting> {
  const saved = await readJsonOrNull<{ sharedFolder?: unknown }>(file(paths)).catch(() => null);
  const setPath = typeof saved?.sharedFolder === 'string' && isAbsolute(saved.sharedFolder) ? saved.sharedFolder : undefined;
  const path = setPath ?? defaultFolder(paths);
  const st = await stat(path).catch(() => null);
  return { path, isDefault: !setPath, exists: Boolean(st?.isDirectory()) };
}

/** The folder as it will be saved, or the field's reason it cannot be (nothing is written). */
async function checkedFolder(path: string): Promise<string> {
  const field = 'sharedFolder';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new ConfigError([{ field, message: 'the folder\'s path has a control character (a line break or tab): choose another folder' }]);
  if (!isAbsolute(path)) throw new ConfigError([{ field, message: `the Guestbay folder must be an absolute path (starting with /), not ${path}` }]);
  const p = normalize(path).replace(/\/+$/, '') || '/';
  if (p === '/') throw new ConfigError([{ field, message: 'the Guestbay folder cannot be the whole file system (/): every guest would see all of it' }]);
  const st = await stat(p).catch(() => null);
  if (st && !st.isDirectory()) throw new ConfigError([{ field, message: `${p} is a file, not a folder` }]);
  if (!st) {
    // Made at the first start that needs it: the nearest folder that exists must let this user make it.
    let up = dirname(p);
    let upSt = await stat(up).catch(() => null);
    while (!upSt && up !== '/') {
      up = dirname(up);
      upSt = await stat(up).catch(() => null);
    }
    const writable = upSt?.isDirectory() && (await access(up, constants.W_OK | constants.X_OK).then(() => true, () => false));
    if (!writable) throw new ConfigError([{ field, message: `${p} does not exist, and Guestbay cannot make it: ${up} is ${upSt?.isDirectory() ? 'a folder you cannot write to' : 'not a folder'}. Choose a folder in your home.` }]);
  }
  return p;
}

export interface AppSettings {
  sharedFolder: GuestbayFolderSetting;
  newGuestsGetFolder: boolean;
}

/** Every Guestbay-wide setting, as `guestbay settings` and the app's Host page show them. */
export async function appSettings(paths: GuestbayPaths): Promise<AppSettings> {
  return { sharedFolder: await guestbayFolder(paths), newGuestsGetFolder: await newGuestsGetFolder(paths) };
}

/**
 * Changes some settings at once (sharedFolder null: back to the default): each checked first,
 * then one atomic write of the file, keeping what else it holds; a refusal writes nothing.
 */
export async function setAppSettings(paths: GuestbayPaths, patch: { sharedFolder?: string | null; newGuestsGetFolder?: boolean }): Promise<AppSettings> {
  const folder = typeof patch.sharedFolder === 'string' ? await checkedFolder(patch.sharedFolder) : patch.sharedFolder;
  const saved = (await readJsonOrNull<Record<string, unknown>>(file(paths)).catch(() => null)) ?? {};
  if (folder === null) delete saved.sharedFolder;
  else if (folder !== undefined) saved.sharedFolder = folder;
  if (patch.newGuestsGetFolder !== undefined) saved.newGuestsGetFolder = patch.newGuestsGetFolder;
  await mkdir(paths.config, { recursive: true, mode: 0o700 });
  await writeJsonAtomic(file(paths), saved);
  return appSettings(paths);
}

/**
 * Makes the folder when it is missing, mode 0700: what guests drop there is the user's, and no
 * other account on the host needs to read it (QEMU and virtiofsd run as the user). A folder the
 * user made keeps its own mode.
 */
export async function ensureGuestbayFolder(path: string): Promise<void> {
  const st = await stat(path).catch(() => null);
  if (st?.isDirectory()) return;
  if (st) throw new ConfigError([{ field: 'sharedFolder', message: `the Guestbay folder ${path} is a file, not a folder: choose another in the settings (guestbay settings set shared-folder PATH)` }]);
  await mkdir(path, { recursive: true, mode: 0o700 });
}

/**
 * Whether a new guest gets the Guestbay folder when its create does not say (default: yes).
 * The test suites turn it off in their private homes, so their guests opt out explicitly and
 * their save/restore tests keep their meaning.
 */
export async function newGuestsGetFolder(paths: GuestbayPaths): Promise<boolean> {
  const saved = await readJsonOrNull<{ newGuestsGetFolder?: unknown }>(file(paths)).catch(() => null);
  return saved?.newGuestsGetFolder !== false;
}
