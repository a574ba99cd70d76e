// VmConfig + HostCaps → LaunchPlan: the one pure, deterministic function that knows QEMU's
// syntax. One builder per device family, called in the order QEMU needs (controllers before
// what plugs into them). It reads no files and starts nothing: host facts come in `caps`.
import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { HostCaps } from '../../../shared/host-caps';
import type { VmConfig } from '../../../shared/vm-config';
import { osTraits } from '../../../shared/os/os-table';
import { archTraits, qemuFor, runsNatively } from '../../../shared/os/arch-table';
import { Argv } from '../qemu-opts';
import { addAudio } from './audio';
import { refuseControlCharsInConfig, refuseControlCharsInSidecars } from './control-chars';
import { addDisplay } from './display';
import { addDrives } from './drives';
import { addFirmware, selectFirmware } from './firmware';
import { addGuestAgent } from './guest-agent';
import { withGuestbayFolder } from './guestbay-folder';
import { addNetwork } from './network';
import { addEvdev } from './evdev';
import { addLookingGlass } from './looking-glass';
import { addPciPassthrough } from './passthrough';
import { addRuntime, runModeArgs, runtimePaths } from './runtime';
import { chooseSandbox } from './sandbox';
import { addShares } from './sharing';
import { addSystem, chooseAccel, chooseCpu } from './system';
import { addTpm } from './tpm';
import { addInputAndUsbDevices, addUsbController } from './usb-input';
import { PlanError, type FamilyInput, type LaunchContext, type LaunchPlan } from './types';

export * from './types';

export function buildLaunchPlan(config: VmConfig, caps: HostCaps, ctx: LaunchContext): LaunchPlan {
  // The emulator for the guest's architecture (qemu-system-x86_64, -aarch64, -riscv64).
  const arch = archTraits(config.arch);
  const qemu = qemuFor(caps, config.arch);
  if (!qemu) {
    throw new PlanError(
      config.arch === caps.hostArch || arch.binary === archTraits('x86_64').binary
        ? 'QEMU was not found on this host (install qemu-full)'
        : `${arch.binary} was not found on this host, so ${arch.name} guests cannot start: \`guestbay probe\` names the package that adds it`,
      'arch',
    );
  }
  refuseControlCharsInConfig(config);
  const devices = new Set(qemu.devices);
  const plan: FamilyInput['plan'] = { sidecars: [], prepare: [], warnings: [], writableFiles: [] };
  const argv = new Argv();
  const os = osTraits(config.os.family, config.os.version);
  const accel = chooseAccel({ config, caps, ctx });
  const input: FamilyInput = {
    config,
    caps,
    qemu,
    ctx,
    os,
    arch,
    accel,
    firmware: selectFirmware({ config, caps, qemu }),
    cpu: chooseCpu({ config, accel, os, caps, qemu, arch }),
    argv,
    plan,
    resolve: (p) => (isAbsolute(p) ? p : join(ctx.vmDir, p)),
    hasDevice: (name) => devices.has(name),
    warn: (id, message) => plan.warnings.push({ id, message }),
  };
  // The Guestbay folder is one more share from here on, for every family (memory, shares, sandbox, save).
  input.config = withGuestbayFolder(input, ctx);
  if (input.config !== config) refuseControlCharsInConfig(input.config);
  if (input.accel === 'tcg' && !runsNatively(config.arch, caps.hostArch)) {
    input.warn('tcg', `${arch.name} is not this computer's architecture: QEMU emulates every instruction (TCG), many times slower than a guest of the host's own kind.`);
  } else if (input.accel === 'tcg') {
    input.warn('tcg', `Running without KVM (${caps.kvm.reason}): software emulation is 10–50× slower.`);
  }

  // Nothing QEMU would add by itself: every device below is one we chose and can explain.
  argv.add('-nodefaults');
  addSystem(input);
  addFirmware(input);
  addUsbController(input);
  addDrives(input);
  addNetwork(input);
  const display = addDisplay(input);
  addInputAndUsbDevices(input);
  addAudio(input);
  addShares(input);
  addGuestAgent(input);
  addTpm(input);
  addPciPassthrough(input);
  addEvdev(input);
  addLookingGlass(input);
  const runtime = runtimePaths(ctx);
  addRuntime(input, runtime);
  const savable = savability(input.config, caps, input.cpu);
  // The seccomp sandbox, once every feature it must allow is known (sandbox.ts); right after
  // -nodefaults, where a reader of the command looks first. The same for a start and a restore.
  const sandbox = chooseSandbox(input, savable.ok, display.viewer === 'window' && !display.spiceSocket);
  if (sandbox.value) argv.words.splice(1, 0, '-sandbox', sandbox.value);
  // The machine is everything but how this run begins; the user's own arguments come last.
  // Where this run's sockets live is not the machine either: each start makes its own folder.
  const machine = [...argv.words, ...config.extraArgs].map((w) => w.replaceAll(ctx.runtimeDir, '<runtime>'));
  argv.words.push(...runModeArgs(ctx), ...config.extraArgs);
  refuseControlCharsInSidecars(plan.sidecars);

  return {
    binary: qemu.binary,
    args: argv.words,
    sidecars: plan.sidecars,
    prepare: plan.prepare,
    warnings: plan.warnings,
    accel: input.accel,
    runtime,
    display,
    cpu: input.cpu,
    writableFiles: plan.writableFiles,
    argsDigest: createHash('sha256').update(JSON.stringify(machine)).digest('hex'),
    ...(plan.ramFile ? { ramFile: plan.ramFile } : {}),
    savable,
    sandbox,
    config,
    shares: input.config.sharedFolders,
    options: { headless: ctx.headless, accel: ctx.accel },
  };
}

/** Whether QEMU can migrate this guest to a file, and if not, the reason in plain words. */
function savability(config: VmConfig, caps: HostCaps, cpu: string): LaunchPlan['savable'] {
  if (/(^|,)\+invtsc(,|$)/.test(cpu) && !/(^|,)tsc-frequency=/.test(cpu)) {
    // QEMU refuses to migrate an invariant TSC whose frequency it cannot promise to keep.
    return { ok: false, reason: 'the guest\'s CPU has an invariant TSC (macOS needs it), which QEMU cannot save; it is shut down instead' };
  }
  if (config.pciDevices.length) return { ok: false, reason: 'a guest holding a passed-through PCI device cannot be saved; it is shut down instead' };
  if (config.sharedFolders.some((s) => s.method === 'virtiofs')) {
    const v = caps.virtiofsd;
    if (!v || v.flavour === 'c' || !v.features.includes('migrate-precopy')) {
      return { ok: false, reason: 'this virtiofsd cannot migrate its state (the C daemon never could): a guest with a virtiofs share cannot be saved here' };
    }
  }
  return { ok: true };
}
