// After macOS is installed: the recovery disk is detached (and deleted: Guestbay built it from
// the cached download, it holds nothing of the user's), and OpenCore gets a config that hides
// the installer entries and boots the installed disk after a short timeout. Needs the guest
// stopped: QEMU holds the OpenCore disk open while it runs, and a saved state still expects the
// recovery drive to be there.
import { rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { MACOS_BOOTLOADER, MACOS_DEFAULT_RESOLUTION, MACOS_RECOVERY } from '../../shared/presets';
import { macosRelease } from '../../shared/os/macos-releases';
import type { VmConfig } from '../../shared/vm-config';
import type { Store } from '../vm/store';
import type { GuestStatus } from '../vm/supervisor';
import { rewriteOpenCoreConfig } from './opencore/image';

export class MacFinishError extends Error {
  override name = 'MacFinishError';
}

export interface FinishResult {
  config: VmConfig;
  /** What was done, in plain words, for the CLI and the companion panel. */
  done: string[];
}

export async function finishMacInstall(store: Store, name: string, status: (name: string) => Promise<GuestStatus>, o: { qemuImg?: string } = {}): Promise<FinishResult> {
  const config = await store.get(name);
  if (config.os.family !== 'macos') throw new MacFinishError(`"${name}" is not a macOS guest`);
  const recovery = config.media.filter((m) => m.role === 'recovery');
  const bootloader = config.media.find((m) => m.role === 'bootloader');
  const st = await status(name);
  if (st.state === 'saved') throw new MacFinishError(`"${name}" is saved: start it, shut macOS down (Apple menu → Shut Down), then finish.`);
  if (st.state !== 'stopped' && st.state !== 'crashed') throw new MacFinishError(`"${name}" is ${st.state}: shut macOS down first (Apple menu → Shut Down), then finish the installation.`);
  if (!config.macos) throw new MacFinishError(`"${name}" has no Mac identity in its settings, so its OpenCore disk cannot be rewritten; run \`guestbay macos prepare\` for a new guest`);

  const done: string[] = [];
  const dir = store.dirs(name).dir;
  if (bootloader?.path !== undefined) {
    const bootPath = bootloader.path;
    const { resolution, ...identity } = config.macos;
    const release = macosRelease(config.os.version)?.key;
    await rewriteOpenCoreConfig({
      disk: isAbsolute(bootPath) ? bootPath : join(dir, bootPath),
      config: { identity, resolution: resolution ?? config.display.resolution ?? MACOS_DEFAULT_RESOLUTION, installed: true, ...(release ? { release } : {}) },
      qemuImg: o.qemuImg,
    });
    done.push('OpenCore now hides the installer entries and boots the installed disk after 5 seconds (Space in the picker shows macOS Recovery).');
  }
  if (recovery.length === 0) {
    // Run again, or the recovery detached by hand: the OpenCore config above is what was missing.
    done.push('No recovery disk was attached.');
    return { config, done };
  }
  const next: VmConfig = { ...config, media: config.media.filter((m) => m.role !== 'recovery') };
  // The config first: should deleting fail, the guest still starts (without the recovery disk).
  await store.update(next);
  done.push('The recovery disk is detached.');
  for (const m of recovery) {
    // Only the disk Guestbay built in the guest's folder; a recovery image the user attached
    // from elsewhere is theirs and stays.
    if (m.path !== MACOS_RECOVERY) continue; // (an empty drive included)
    await rm(join(dir, m.path), { force: true });
    done.push(`${MACOS_RECOVERY} is deleted (${MACOS_BOOTLOADER} and the system disk stay).`);
  }
  return { config: next, done };
}
