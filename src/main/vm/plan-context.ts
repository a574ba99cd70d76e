// Where a guest's plan is built from, for a start and for every look before one (the wizard's
// preview, `guestbay cmdline`, export, the guest page's pending changes): its folders and the
// Guestbay folder as the settings name it now. One function, so what is shown before a start is
// what the start runs, the folder's arguments and its costs included.
import type { VmConfig } from '../../shared/vm-config';
import type { LaunchContext } from '../qemu/plan';
import { guestbayFolder } from './app-settings';
import type { GuestbayPaths } from './paths';
import { vmPaths } from './paths';

/** The Guestbay folder's path for these configs' plans, or undefined when none of them has it. */
export async function guestbayFolderFor(paths: GuestbayPaths, ...configs: (Pick<VmConfig, 'guestbayFolder'> | null | undefined)[]): Promise<string | undefined> {
  return configs.some((c) => c?.guestbayFolder) ? (await guestbayFolder(paths)).path : undefined;
}

export type PlanOptions = Omit<LaunchContext, 'vmDir' | 'runtimeDir' | 'logDir' | 'guestbayFolder'> & {
  /** This run's socket folder; default the guest's runtime folder (when only looking). */
  runtimeDir?: string;
};

/**
 * The launch context of `config` on this host, as a start builds it. `alongside`: other versions
 * of the same guest built in this context (the pending diff's config as it runs), so the folder
 * is known when any of them has it.
 */
export async function planContext(paths: GuestbayPaths, config: VmConfig, o: PlanOptions = {}, alongside: (VmConfig | null | undefined)[] = []): Promise<LaunchContext> {
  const d = vmPaths(paths, config.name);
  const { runtimeDir, ...rest } = o;
  return { ...rest, vmDir: d.dir, runtimeDir: runtimeDir ?? d.runtimeDir, logDir: d.logDir, guestbayFolder: await guestbayFolderFor(paths, config, ...alongside) };
}
