// virtiofsd found the way QEMU's vhost-user descriptors (docs/interop/vhost-user.json)
// announce it, then at the paths distributions install it to. Its flavour decides the
// command line: the Rust daemon takes `--shared-dir`, the old C one `-o source=`. Each is
// started once as this user (virtiofsd-start.ts); the first that works is the one used.
import { hostCaps, type HostCaps } from '../../shared/host-caps';
import { cachedAnswer, programKey, userStartKey } from './answer-cache';
import { readDescriptors } from './descriptors';
import { isExecutableFile, which } from './files';
import type { ProbeContext } from './options';
import { startTestVirtiofsd } from './virtiofsd-start';
import { parseToolVersion } from './versions';

export type Virtiofsd = NonNullable<HostCaps['virtiofsd']>;

/** Arch, Fedora/Debian 13 (Rust), Debian 12 (C, inside qemu-system-common). */
export const VIRTIOFSD_KNOWN_PATHS = ['/usr/lib/virtiofsd', '/usr/libexec/virtiofsd', '/usr/lib/qemu/virtiofsd'];

interface Candidate {
  path: string;
  features: string[] | null;
  source: Virtiofsd['source'];
}

export function virtiofsdFlavour(help: string): Virtiofsd['flavour'] | null {
  if (help.includes('--shared-dir')) return 'rust';
  if (/-o\s+source=/.test(help)) return 'c';
  return null;
}

/** `fs` backends from the vhost-user descriptors, in priority order. */
export function fsBackends(descriptors: { json: unknown }[]): { binary: string; features: string[] }[] {
  const out: { binary: string; features: string[] }[] = [];
  for (const { json } of descriptors) {
    const d = json as { type?: unknown; binary?: unknown; features?: unknown } | null;
    if (d?.type !== 'fs' || typeof d.binary !== 'string') continue;
    const features = Array.isArray(d.features) ? d.features.filter((f): f is string => typeof f === 'string') : [];
    out.push({ binary: d.binary, features });
  }
  return out;
}

async function candidates(ctx: ProbeContext): Promise<Candidate[]> {
  const fromDescriptors = fsBackends(await readDescriptors(ctx, 'vhost-user')).map(
    (b): Candidate => ({ path: b.binary, features: b.features, source: 'descriptor' }),
  );
  const onPath = await which(ctx, 'virtiofsd');
  const known = [...VIRTIOFSD_KNOWN_PATHS, ...(onPath ? [onPath] : [])].map(
    (path): Candidate => ({ path, features: null, source: 'known-path' }),
  );
  const seen = new Set<string>();
  return [...fromDescriptors, ...known].filter((c) => !seen.has(c.path) && seen.add(c.path));
}

/** Without a descriptor the daemon can describe itself (same JSON as the descriptor). */
async function printedFeatures(ctx: ProbeContext, path: string): Promise<string[]> {
  const r = await ctx.run(path, ['--print-capabilities'], { timeoutMs: 3000 });
  try {
    return fsBackends([{ json: { binary: path, ...(JSON.parse(r.stdout) as object) } }])[0]?.features ?? [];
  } catch {
    return [];
  }
}

/**
 * The daemon that works, kept (answer-cache.ts) while the candidates, their files and what a
 * start as this user depends on are unchanged: the start test costs a quarter second or more
 * on every probe, and the probe runs before every start. A daemon that does not work is asked
 * again each time.
 */
export async function probeVirtiofsd(ctx: ProbeContext): Promise<Virtiofsd | null> {
  const found = await candidates(ctx);
  const parts = await Promise.all([userStartKey(ctx), ...found.map((c) => programKey(ctx, c.path).then((k) => k ?? `absent:${c.path}`))]);
  const key = parts[0] ? JSON.stringify([parts, found]) : null;
  return cachedAnswer(ctx, 'virtiofsd', key, hostCaps.shape.virtiofsd, () => findVirtiofsd(ctx, found), (v) => v?.works === true);
}

async function findVirtiofsd(ctx: ProbeContext, found: Candidate[]): Promise<Virtiofsd | null> {
  let firstFailed: Virtiofsd | null = null;
  for (const c of found) {
    if (!(await isExecutableFile(ctx.host(c.path)))) continue;
    const [help, version] = await Promise.all([
      ctx.run(c.path, ['--help'], { timeoutMs: 3000 }),
      ctx.run(c.path, ['--version'], { timeoutMs: 3000 }),
    ]);
    const flavour = virtiofsdFlavour(`${help.stdout}\n${help.stderr}`);
    if (!flavour) continue;
    const [features, start] = await Promise.all([c.features ?? printedFeatures(ctx, c.path), startTestVirtiofsd(ctx.run, c.path, flavour)]);
    const found: Virtiofsd = {
      path: c.path,
      flavour,
      version: version.exitCode === 0 ? parseToolVersion(version.stdout) : null,
      features,
      source: c.source,
      sandbox: start.sandbox,
      works: start.works,
      reason: start.reason,
    };
    // A daemon that cannot start as this user is reported only if no other one can.
    if (found.works) return found;
    firstFailed ??= found;
  }
  return firstFailed;
}
