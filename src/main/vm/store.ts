// The guests on disk: one folder per guest under the XDG data dir, its config in vm.json.
// Writes are atomic; a corrupt file is reported and kept aside, never silently overwritten;
// disk images are deleted only when the caller says so explicitly.
import { copyFile, mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { parseVmConfig } from '../../shared/migrations';
import { ConfigError, vmName, type VmConfig } from '../../shared/vm-config';
import { writeFileAtomic } from './atomic-file';
import { readBoundedText, UnreadableFileError } from '../host/bounded-read';

/** A guest's configuration is a few KiB; anything past this is not one (and is not read). */
export const MAX_CONFIG_BYTES = 2 ** 20;
import { vmPaths, type GuestbayPaths } from './paths';

export class GuestNotFoundError extends Error {
  constructor(readonly vmName: string) {
    super(`there is no guest named "${vmName}"`);
    this.name = 'GuestNotFoundError';
  }
}

export class GuestExistsError extends Error {
  constructor(readonly vmName: string) {
    super(`a guest named "${vmName}" already exists`);
    this.name = 'GuestExistsError';
  }
}

export class CorruptConfigError extends Error {
  constructor(
    readonly vmName: string,
    readonly file: string,
    /** The copy kept aside; none for what was not read (too large, not a regular file). */
    readonly keptAs: string | null,
    readonly reason: string,
  ) {
    super(`the configuration of "${vmName}" is damaged (${reason}); ${keptAs ? `a copy was kept as ${keptAs}` : 'it was not read, so no copy was made'}. Fix or remove ${file}.`);
    this.name = 'CorruptConfigError';
  }
}

export interface ListedGuest {
  name: string;
  config?: VmConfig;
  error?: string;
}

export class Store {
  constructor(readonly paths: GuestbayPaths) {}

  dirs(name: string) {
    this.checkName(name);
    return vmPaths(this.paths, name);
  }

  async list(): Promise<ListedGuest[]> {
    let names: string[];
    try {
      names = (await readdir(this.paths.vms, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: ListedGuest[] = [];
    for (const name of names.sort()) {
      if (!vmName.safeParse(name).success) continue;
      try {
        out.push({ name, config: await this.get(name) });
      } catch (e) {
        if (e instanceof GuestNotFoundError) continue; // a folder without vm.json: disks kept after delete
        out.push({ name, error: (e as Error).message });
      }
    }
    return out;
  }

  async exists(name: string): Promise<boolean> {
    return stat(this.dirs(name).configFile).then(() => true, () => false);
  }

  async get(name: string): Promise<VmConfig> {
    const { configFile } = this.dirs(name);
    let text: string;
    try {
      // Bounded, and never blocking: a FIFO or a 200 MB file in place of vm.json is refused
      // without being read (it would hang every list, or cost its size several times over).
      text = await readBoundedText(configFile, MAX_CONFIG_BYTES);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new GuestNotFoundError(name);
      if (e instanceof UnreadableFileError) {
        throw new CorruptConfigError(name, configFile, null, e.problem === 'too-large' ? 'it is larger than the 1 MiB a configuration may be' : 'it is not a regular file');
      }
      throw e;
    }
    let config: VmConfig;
    try {
      config = parseVmConfig(JSON.parse(text));
    } catch (e) {
      const reason = e instanceof ConfigError ? e.message.split('\n')[0]! : `not valid JSON: ${(e as Error).message}`;
      throw new CorruptConfigError(name, configFile, await this.keepAside(configFile, text), reason);
    }
    if (config.name !== name) {
      throw new CorruptConfigError(name, configFile, await this.keepAside(configFile, text), `it names the guest "${config.name}"`);
    }
    return config;
  }

  /**
   * Writes a new guest's folder and config. `prepare` runs after the folder exists and before
   * the config is written (it creates disk images); if anything fails, only what this call
   * created is removed, so a failed create leaves the disk as it was.
   */
  async create(config: VmConfig, prepare?: (vmDir: string) => Promise<void>): Promise<void> {
    const { dir, configFile } = this.dirs(config.name);
    if (await this.exists(config.name)) throw new GuestExistsError(config.name);
    await mkdir(this.paths.vms, { recursive: true, mode: 0o700 });
    let madeDir = false;
    try {
      await mkdir(dir, { mode: 0o700 });
      madeDir = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // folder with kept disks: reuse
    }
    const before = new Set(await readdir(dir));
    try {
      await prepare?.(dir);
      await writeFileAtomic(configFile, serialize(config));
    } catch (e) {
      for (const f of await readdir(dir)) if (!before.has(f)) await rm(join(dir, f), { recursive: true, force: true });
      if (madeDir) await rmdir(dir).catch(() => {});
      throw e;
    }
  }

  /** Replaces an existing guest's config; refuses to write over a damaged one. */
  async update(config: VmConfig): Promise<void> {
    await this.get(config.name); // throws NotFound / Corrupt
    await writeFileAtomic(this.dirs(config.name).configFile, serialize(config));
  }

  /**
   * Removes a guest. Disk images (and media inside the folder) stay unless `deleteDisks` is
   * true; what was kept is returned so the caller can say where it is.
   */
  async delete(name: string, { deleteDisks = false } = {}): Promise<{ kept: string[] }> {
    const config = await this.get(name);
    const { dir } = this.dirs(name);
    const images = new Set(
      [...config.disks.map((d) => d.path), ...config.media.map((m) => m.path)]
        .filter((p) => !isAbsolute(p))
        .map((p) => join(dir, p)),
    );
    const kept: string[] = [];
    for (const f of await readdir(dir)) {
      const full = join(dir, f);
      if (images.has(full) && !deleteDisks) {
        kept.push(full);
        continue;
      }
      await rm(full, { recursive: true, force: true });
    }
    if (kept.length === 0) await rmdir(dir).catch(() => {});
    return { kept };
  }

  private checkName(name: string): void {
    const r = vmName.safeParse(name);
    if (!r.success) throw new ConfigError([{ field: 'name', message: r.error.issues[0]!.message }]);
  }

  /** Named by content, so reading the same damaged file again does not pile up copies. */
  private async keepAside(file: string, text: string): Promise<string> {
    const aside = `${file}.damaged-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    await copyFile(file, aside, fsConstants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    return aside;
  }
}

function serialize(config: VmConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
