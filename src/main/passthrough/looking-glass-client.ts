// Starts Looking Glass's client for a guest: it reads the frames the guest's host application
// copies into the IVSHMEM memory the plan set up (a /dev/shm file or /dev/kvmfr0). The client is
// the user's own install (not in Debian 12; AUR's looking-glass on Arch): found on PATH.
import { execa } from 'execa';
import type { VmConfig } from '../../shared/vm-config';
import { which } from '../host/files';
import { resolveContext, type ProbeOptions } from '../host/options';
import { lookingGlassPath } from '../qemu/plan/looking-glass';

export const LOOKING_GLASS_CLIENT = 'looking-glass-client';

/** How to get the client, for when it is missing (the app shows it beside the launch button). */
export const LOOKING_GLASS_INSTALL = 'install the looking-glass package (Arch: from the AUR) or build it from looking-glass.io, in the version of the host application in the guest.';

/** Where the client is on PATH (under the probe's root), or null. */
export async function findLookingGlassClient(opts: ProbeOptions = {}): Promise<string | null> {
  return which(resolveContext(opts), LOOKING_GLASS_CLIENT);
}

export class LookingGlassError extends Error {
  override name = 'LookingGlassError';
}

/** `-f` names the shared memory; the window title names the guest. */
export function clientArgs(config: Pick<VmConfig, 'name' | 'title' | 'lookingGlass' | 'sharedFolders'>): string[] {
  const path = lookingGlassPath(config);
  if (!path) throw new LookingGlassError(`"${config.name}" has no Looking Glass display: turn it on in the guest's display settings first.`);
  return ['-f', path, `win:title=${config.title ?? config.name} — Looking Glass`];
}

/** Spawned detached (it outlives the command or window that opened it); its pid is returned. */
export async function launchLookingGlass(config: VmConfig, opts: ProbeOptions = {}): Promise<{ pid: number; binary: string; args: string[] }> {
  const ctx = resolveContext(opts);
  const args = clientArgs(config);
  const found = await which(ctx, LOOKING_GLASS_CLIENT);
  if (!found) throw new LookingGlassError(`Looking Glass's client (looking-glass-client) is not installed: ${LOOKING_GLASS_INSTALL}`);
  const binary = ctx.host(found);
  const child = execa(binary, args, { detached: true, stdio: 'ignore', reject: false, cleanup: false });
  if (child.pid === undefined) throw new LookingGlassError(`${binary} could not be started`);
  child.unref();
  void child.catch(() => undefined);
  return { pid: child.pid, binary, args };
}
