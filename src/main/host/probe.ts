// The host probe: everything the launch plan may rely on, found by asking the host, never
// assumed. Independent questions run in parallel; the QEMU listings and the KVM check's answer
// are cached (each keyed by what it depends on).
import { hostCaps, type HostCaps } from '../../shared/host-caps';
import { ALL_ARCHES, archOfHost, archTraits } from '../../shared/os/arch-table';
import type { GuestArch } from '../../shared/vm-choices';
import { probeUboot } from './bootloaders';
import { probeCpu } from './cpu';
import { probeDistro } from './distro';
import { which } from './files';
import { buildFindings } from './findings';
import { probeRenderNodes } from './gpu';
import { probeFirmware } from './firmware';
import { probeIommu } from './iommu';
import { decideKvm } from './kvm';
import { runKvmCheck, type KvmCheck } from './kvm-check';
import { kvmCheckCachePath, kvmCheckKey, readCachedKvmCheck, writeCachedKvmCheck } from './kvm-cache';
import { probeKvmHost, type KvmHost } from './kvm-host';
import { probeMemory } from './memory';
import { resolveContext, type ProbeContext, type ProbeOptions } from './options';
import { probeQemu, type QemuCaps } from './qemu-caps';
import { probeSession } from './session';
import { probeTools } from './tools';
import { probeVirtiofsd } from './vhost-user';

export type { ProbeOptions } from './options';

/** The KVM check, or its cached answer while nothing it depends on has changed (kvm-cache.ts). */
async function kvmCheck(ctx: ProbeContext, host: KvmHost, qemuPath: string): Promise<KvmCheck> {
  const key = ctx.useCache ? await kvmCheckKey(ctx, host, qemuPath) : null;
  const file = kvmCheckCachePath(ctx.xdgCacheHome);
  const hit = key ? await readCachedKvmCheck(file, key) : null;
  if (hit) return hit;
  const check = await runKvmCheck(ctx.run, qemuPath);
  if (key) await writeCachedKvmCheck(file, key, check).catch(() => undefined);
  return check;
}

/**
 * The other architectures' emulators (qemu-system-aarch64, -riscv64), each probed and cached like
 * the PC's: which are installed decides which guest architectures can start here.
 */
async function probeOtherQemus(ctx: ProbeContext): Promise<Partial<Record<GuestArch, QemuCaps>>> {
  const others = ALL_ARCHES.filter((a) => archTraits(a).binary !== archTraits('x86_64').binary);
  const found = await Promise.all(
    others.map(async (a) => {
      const path = await which(ctx, archTraits(a).binary);
      return [a, path ? await probeQemu(ctx, path) : null] as const;
    }),
  );
  return Object.fromEntries(found.filter(([, c]) => c !== null));
}

export async function probeHost(opts?: ProbeOptions): Promise<HostCaps> {
  const ctx = resolveContext(opts);
  const probedAt = ctx.now().toISOString();
  const qemuPath = await which(ctx, ctx.qemuBinary);

  const kvmHostAndCheck = probeKvmHost(ctx).then(async (host) => ({
    host,
    // Only a device we can open is worth a test guest; the check starts with the listings.
    check: host.device === 'ok' && qemuPath ? await kvmCheck(ctx, host, qemuPath) : null,
  }));
  const [cpu, memory, kvmParts, qemu, firmware, iommu, session, distro, tools, virtiofsd, renderNodes, otherQemus, uboot] = await Promise.all([
    probeCpu(ctx),
    probeMemory(ctx),
    kvmHostAndCheck,
    qemuPath ? probeQemu(ctx, qemuPath) : null,
    probeFirmware(ctx),
    probeIommu(ctx),
    probeSession(ctx),
    probeDistro(ctx),
    probeTools(ctx),
    probeVirtiofsd(ctx),
    probeRenderNodes(ctx),
    probeOtherQemus(ctx),
    probeUboot(ctx),
  ]);

  const kvm = decideKvm({ host: kvmParts.host, cpu, qemuAccels: qemu?.accels ?? null, check: kvmParts.check });
  const caps = {
    probedAt,
    cpu,
    memory,
    kvm,
    accel: kvm.state === 'usable' ? ('kvm' as const) : ('tcg' as const),
    qemu,
    qemuByArch: otherQemus,
    uboot,
    hostArch: archOfHost(ctx.hostArch),
    qemuImg: tools.qemuImg,
    firmware,
    virtiofsd,
    swtpm: tools.swtpm,
    tools: tools.tools,
    iommu,
    renderNodes,
    session,
    distro,
  };
  // Parsing checks our own output against the contract before anything relies on it.
  return hostCaps.parse({ ...caps, findings: buildFindings(caps) });
}
