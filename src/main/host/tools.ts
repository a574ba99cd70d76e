// The helper programs a guest may need besides QEMU: found where distributions put them,
// and asked for their version where the version matters.
import { z } from 'zod';
import type { HostCaps } from '../../shared/host-caps';
import { cachedAnswer, programKey } from './answer-cache';
import { firstExecutable, which } from './files';
import type { ProbeContext } from './options';
import { parseToolVersion } from './versions';

/** Daemons live in sbin, which a desktop user's PATH often lacks (Debian). */
const SBIN = ['/usr/sbin', '/sbin', '/usr/local/sbin'];

/** Arch and Debian: /usr/lib/qemu; Fedora: /usr/libexec. Never on PATH. */
export const BRIDGE_HELPER_PATHS = ['/usr/lib/qemu/qemu-bridge-helper', '/usr/libexec/qemu-bridge-helper'];

export interface Tools {
  qemuImg: HostCaps['qemuImg'];
  swtpm: HostCaps['swtpm'];
  tools: HostCaps['tools'];
}

/** Asked once per binary (answer-cache.ts): a version changes only with the file. */
async function versionOf(ctx: ProbeContext, path: string): Promise<string | null> {
  const ask = async () => {
    const r = await ctx.run(path, ['--version'], { timeoutMs: 3000 });
    return r.exitCode === 0 ? parseToolVersion(`${r.stdout}\n${r.stderr}`) : null;
  };
  return cachedAnswer(ctx, `version-${path}`, await programKey(ctx, path), z.string().nullable(), ask, (v) => v !== null);
}

export async function probeTools(ctx: ProbeContext): Promise<Tools> {
  const [qemuImgPath, swtpmPath, smbd, remoteViewer, qemuBridgeHelper] = await Promise.all([
    which(ctx, 'qemu-img'),
    which(ctx, 'swtpm'),
    which(ctx, 'smbd', SBIN),
    which(ctx, 'remote-viewer'),
    firstExecutable(ctx, BRIDGE_HELPER_PATHS),
  ]);
  const [qemuImgVersion, swtpmVersion] = await Promise.all([
    qemuImgPath ? versionOf(ctx, qemuImgPath) : null,
    swtpmPath ? versionOf(ctx, swtpmPath) : null,
  ]);
  return {
    // A qemu-img that cannot say its version is broken (missing libraries): treat as absent.
    qemuImg: qemuImgPath && qemuImgVersion ? { path: qemuImgPath, version: qemuImgVersion } : null,
    swtpm: swtpmPath ? { path: swtpmPath, version: swtpmVersion } : null,
    tools: { smbd, remoteViewer, qemuBridgeHelper },
  };
}
