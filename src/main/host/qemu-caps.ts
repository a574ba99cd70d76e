// What one QEMU binary can do, asked of the binary: all listings run in parallel, and the
// result is cached per binary (cache.ts) because it only changes when the binary does.
import type { HostCaps } from '../../shared/host-caps';
import { binaryKey, QEMU_MODULE_DIRS, qemuCapsCachePath, readCachedQemuCaps, writeCachedQemuCaps } from './cache';
import type { ProbeContext } from './options';
import {
  deviceCreatable,
  devicePropertiesArgs,
  GL_DEVICES,
  hasMaxCpu,
  hasTraceEvent,
  listingArgs,
  parseAudiodevHelp,
  parseDeviceHelp,
  parseMachineAliases,
  parseNameList,
  parseQemuVersion,
  SHUTDOWN_TRACE_EVENT,
  VERSION_ARGS,
} from '../qemu/probe/help';
import { hasDirectIoMigration, hasFileMigration, hasMappedRam, hasRamFileSave, parseQmpSchema, parseSandboxOptions, QMP_SCHEMA_ARGS, QMP_SCHEMA_INPUT } from '../qemu/probe/qmp-schema';
import type { Runner } from './run';
import { parseVdagentMigrates, VDAGENT_PROBE_ARGS, VDAGENT_PROBE_INPUT } from '../qemu/probe/vdagent';

export type QemuCaps = NonNullable<HostCaps['qemu']>;

/** Generous: these normally answer in 30–100 ms; the limit only guards against a hang. */
const HELP_TIMEOUT_MS = 5000;

export async function probeQemuCaps(run: Runner, binary: string): Promise<QemuCaps | null> {
  return (await collectQemuCaps(run, binary)).caps;
}

/** `complete`: every answer that matters came back, so the result may be cached. */
async function collectQemuCaps(run: Runner, binary: string): Promise<{ caps: QemuCaps | null; complete: boolean }> {
  const help = (kind: Parameters<typeof listingArgs>[0]) => run(binary, listingArgs(kind), { timeoutMs: HELP_TIMEOUT_MS });
  const askSchema = () => run(binary, QMP_SCHEMA_ARGS, { timeoutMs: HELP_TIMEOUT_MS, input: QMP_SCHEMA_INPUT });
  // Listed is not creatable: each GL device is asked for its properties, as a start would load
  // it (alongside the listings, so it costs no extra round).
  const askGl = () => Promise.all(GL_DEVICES.map(async (d) => ({ d, r: await run(binary, devicePropertiesArgs(d), { timeoutMs: HELP_TIMEOUT_MS }) })));
  let [version, accel, device, display, netdev, audiodev, machine, qmp, chardev, trace, glAsked, cpu] = await Promise.all([
    run(binary, VERSION_ARGS, { timeoutMs: HELP_TIMEOUT_MS }),
    help('accel'),
    help('device'),
    help('display'),
    help('netdev'),
    help('audiodev'),
    help('machine'),
    askSchema(),
    help('chardev'),
    help('trace'),
    askGl(),
    help('cpu'),
  ]);
  const v = version.exitCode === 0 ? parseQemuVersion(version.stdout) : null;
  if (!v) return { caps: null, complete: false };
  // Eight QEMUs at once on a loaded two-core machine can run past the limit: what timed out is
  // asked once more, alone, before it is reported as absent.
  if (accel.timedOut) accel = await help('accel');
  if (device.timedOut) device = await help('device');
  if (machine.timedOut) machine = await help('machine');
  if (qmp.timedOut || parseQmpSchema(qmp.stdout) === null) qmp = await askSchema();
  const schema = parseQmpSchema(qmp.stdout);
  const listed = parseDeviceHelp(device.stdout);
  if (glAsked.some((g) => g.r.timedOut)) glAsked = await askGl();
  // A listing cut short by load (timeout) must not stick in the cache as "no such device".
  const complete = schema !== null && [accel, device, machine].every((r) => r.exitCode === 0 && !r.timedOut) && glAsked.every((g) => !g.r.timedOut);
  const chardevs = parseNameList(chardev.stdout);
  const caps: QemuCaps = {
    binary,
    ...v,
    accels: parseNameList(accel.stdout),
    devices: listed,
    displays: parseNameList(display.stdout),
    netdevs: parseNameList(netdev.stdout),
    audiodevs: parseAudiodevHelp(audiodev.stdout, audiodev.stderr),
    chardevs,
    // QEMU 7.2 and 10.0 cannot save a guest with this chardev: asked of QEMU (query-migrate's blockers).
    vdagentMigrates: chardevs.includes('qemu-vdagent')
      ? (parseVdagentMigrates((await run(binary, VDAGENT_PROBE_ARGS, { timeoutMs: HELP_TIMEOUT_MS, input: VDAGENT_PROBE_INPUT })).stdout) ?? false)
      : false,
    machineAliases: parseMachineAliases(machine.stdout),
    fileMigration: schema ? hasFileMigration(schema) : false,
    mappedRam: schema ? hasFileMigration(schema) && hasMappedRam(schema) : false,
    directIo: schema ? hasFileMigration(schema) && hasMappedRam(schema) && hasDirectIoMigration(schema) : false,
    ramFile: schema ? hasRamFileSave(schema) : false,
    glDevices: glAsked.filter((g) => listed.includes(g.d) && deviceCreatable(g.r)).map((g) => g.d),
    // Venus (Vulkan through virtio-gpu) is a property of the GL device where QEMU was built with it.
    glVenus: glAsked.some((g) => g.d === 'virtio-gpu-gl-pci' && listed.includes(g.d) && deviceCreatable(g.r) && /^\s*venus=/m.test(g.r.stdout)),
    sandboxOptions: parseSandboxOptions(qmp.stdout),
    shutdownTrace: trace.exitCode === 0 && hasTraceEvent(trace.stdout, SHUTDOWN_TRACE_EVENT),
    // An answer cut short says nothing: assume the model every current QEMU has.
    maxCpu: cpu.exitCode === 0 && !cpu.timedOut ? hasMaxCpu(cpu.stdout) : true,
  };
  return { caps, complete };
}

/** Capabilities of the QEMU at `path` (a host path), from the cache when the binary is unchanged. */
export async function probeQemu(ctx: ProbeContext, path: string): Promise<QemuCaps | null> {
  const key = ctx.useCache ? await binaryKey(ctx.host(path), QEMU_MODULE_DIRS.map((d) => ctx.host(d))) : null;
  const file = qemuCapsCachePath(ctx.xdgCacheHome);
  if (key) {
    const hit = await readCachedQemuCaps(file, key);
    // The same binary may be reached through another path (a symlink on PATH).
    if (hit) return { ...hit, binary: path };
  }
  const { caps, complete } = await collectQemuCaps(ctx.run, path);
  // A cache that cannot be written (read-only home) only costs time next run.
  if (caps && complete && key) await writeCachedQemuCaps(file, key, caps).catch(() => undefined);
  return caps;
}
