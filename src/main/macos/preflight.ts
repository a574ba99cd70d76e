// Before a first macOS guest: what this host needs, each finding with its fix. Pure (host
// facts in, findings out) so every host kind is a test case; `gatherFacts` reads the host.
import { statfs, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { systemBinary } from '../host/system-binary';
import type { Finding, HostCaps } from '../../shared/host-caps';
import type { MacosRelease } from '../../shared/os/macos-releases';
import { pickFirmware } from '../../shared/firmware-pick';

export interface PreflightFacts {
  caps: HostCaps;
  release: MacosRelease;
  /** Free bytes where the guest's folder will be. */
  freeDiskBytes: number;
  /** The system disk the user chose, in GiB; default the release's recommendation. */
  diskGiB?: number;
  /** /sys/devices/system/clocksource/clocksource0/current_clocksource */
  clocksource: string | null;
  /** mformat/mcopy build the boot and recovery disks without root. */
  hasMtools: boolean;
}

const GiB = 2 ** 30;

/** The commands that set kvm's MSR parameters now and at every boot (never run unasked). */
export const IGNORE_MSRS = {
  now: 'echo 1 | sudo tee /sys/module/kvm/parameters/ignore_msrs && echo 0 | sudo tee /sys/module/kvm/parameters/report_ignored_msrs',
  persistent: "echo 'options kvm ignore_msrs=1 report_ignored_msrs=0' | sudo tee /etc/modprobe.d/kvm-guestbay.conf",
  modprobeLine: 'options kvm ignore_msrs=1 report_ignored_msrs=0',
};

/** /proc/cpuinfo flag names as people write them: sse4_2 → SSE4.2. */
function featureNames(flags: string[]): string {
  return flags.map((x) => x.toUpperCase().replace('_', '.')).join(' and ');
}

export function macosPreflight(f: PreflightFacts): Finding[] {
  const { caps, release: r } = f;
  const out: Finding[] = [];
  const add = (x: Finding) => out.push(x);
  const flags = new Set(caps.cpu.flags);
  const kvm = caps.accel === 'kvm';

  add(
    kvm
      ? { id: 'macos-kvm', status: 'ok', title: 'KVM works', detail: 'macOS runs at close to native CPU speed.' }
      : {
          id: 'macos-kvm',
          status: 'warning',
          title: 'No KVM: macOS will be extremely slow',
          detail: `${caps.kvm.reason}. Under software emulation the installer takes many hours and the desktop is barely usable; continue only to try things out.`,
          fix: { text: 'Run Guestbay on a host where KVM works (enable AMD-V/VT-x in the firmware settings).', needsRoot: false },
        },
  );

  // Under TCG QEMU emulates the instructions itself, so only KVM guests need them in hardware.
  const need = [...(r.needs.sse42 ? ['sse4_2'] : []), ...(r.needs.avx2 ? ['avx2'] : [])];
  const missing = need.filter((x) => !flags.has(x));
  add(
    missing.length === 0 || !kvm
      ? { id: 'macos-cpu-features', status: 'ok', title: 'CPU features', detail: need.length ? `${r.name} needs ${featureNames(need)}${kvm ? ': this CPU has them' : ': emulated under TCG'}.` : `${r.name} needs no special CPU features.` }
      : {
          id: 'macos-cpu-features',
          status: 'missing',
          title: `This CPU lacks ${featureNames(missing)}`,
          detail: `${r.name} does not boot without ${featureNames(missing)}.`,
          fix: { text: missing.includes('avx2') ? 'Choose Monterey or older, which need no AVX2.' : 'Choose Mojave or High Sierra, which need no SSE4.2.', needsRoot: false },
        },
  );

  const cpu = caps.cpu.vendor === 'intel' && kvm ? r.cpu.intelHost : r.cpu.amdHost;
  add({
    id: 'macos-cpu-model',
    status: 'ok',
    title: `Guest CPU: ${cpu.model}`,
    detail:
      caps.cpu.vendor === 'amd'
        ? `macOS runs only on Intel CPUs, so this AMD host presents an Intel ${cpu.model} with vendor=GenuineIntel (${cpu.flags.join(',')}). No kernel patches are needed for that.`
        : `The guest sees ${cpu.model} (${cpu.flags.join(',')}).`,
  });
  if (caps.cpu.vendor === 'amd') {
    add({
      id: 'macos-amd-limits',
      status: 'warning',
      title: 'What does not work on AMD hosts',
      detail:
        'No graphics acceleration (the display is an unaccelerated VMware SVGA), no virtualisation inside macOS (Docker Desktop, Hypervisor.framework), and some apps that check for a real Intel CPU misbehave. Install with at most 8 GiB of RAM: installs froze at Country Selection with more.',
    });
  }

  if (kvm) {
    const ok = caps.kvm.ignoreMsrs === true;
    add(
      ok
        ? { id: 'macos-msrs', status: 'ok', title: 'kvm.ignore_msrs is on', detail: 'macOS reads CPU registers KVM does not emulate; they are ignored instead of crashing the guest.' }
        : {
            id: 'macos-msrs',
            status: 'missing',
            title: 'kvm.ignore_msrs is off',
            detail: 'macOS reads model-specific registers KVM does not emulate; without ignore_msrs the guest crashes at boot. report_ignored_msrs=0 keeps the kernel log quiet.',
            fix: { text: `Turn it on now, and at every boot (${IGNORE_MSRS.modprobeLine}).`, command: `${IGNORE_MSRS.now}\n${IGNORE_MSRS.persistent}`, needsRoot: true },
          },
    );
    if (caps.cpu.vendor === 'amd' && r.needs.avx2 && f.clocksource && f.clocksource !== 'tsc') {
      add({
        id: 'macos-clocksource',
        status: 'warning',
        title: `Host clocksource is ${f.clocksource}`,
        detail: 'Ventura and later freeze or reboot-loop on some AMD hosts unless the host uses the TSC clocksource.',
        fix: { text: 'Add tsc=reliable to the kernel command line (e.g. GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then update-grub / grub-mkconfig) and reboot.', needsRoot: true },
      });
    }
  }

  const reserve = 2048;
  add(
    caps.memory.availableMiB >= r.minMemoryMiB + reserve
      ? { id: 'macos-ram', status: 'ok', title: 'Memory', detail: `${Math.floor(caps.memory.availableMiB / 1024)} GiB free: enough for ${r.minMemoryMiB / 1024}–${r.recommendedMemoryMiB / 1024} GiB for macOS.` }
      : {
          id: 'macos-ram',
          status: caps.memory.availableMiB >= r.minMemoryMiB ? 'warning' : 'missing',
          title: 'Not much free memory',
          detail: `${caps.memory.availableMiB} MiB free; macOS needs at least ${r.minMemoryMiB} MiB and the host needs room too.`,
          fix: { text: 'Close other programs or guests before starting macOS.', needsRoot: false },
        },
  );

  // A sparse disk grows while installing; the recovery image (~1 GiB) and the installer's
  // download (~15 GiB) land on it, so the real space used is well over half the disk's size.
  const diskGiB = f.diskGiB ?? r.recommendedDiskGiB;
  const wantBytes = (Math.min(diskGiB, r.recommendedDiskGiB) / 2 + 2) * GiB;
  add(
    f.freeDiskBytes >= wantBytes
      ? { id: 'macos-disk', status: 'ok', title: 'Disk space', detail: `${Math.floor(f.freeDiskBytes / GiB)} GiB free for the guest's ${Math.round(diskGiB)} GiB disk (it grows as it fills).` }
      : {
          id: 'macos-disk',
          status: 'missing',
          title: 'Not enough free disk space',
          detail: `${Math.floor(f.freeDiskBytes / GiB)} GiB free; installing ${r.name} uses about ${Math.ceil(wantBytes / GiB)} GiB.`,
          fix: { text: 'Free some space, or keep guests on a larger disk (XDG_DATA_HOME).', needsRoot: false },
        },
  );

  const smc = caps.qemu?.devices.includes('isa-applesmc');
  add(
    smc
      ? { id: 'macos-applesmc', status: 'ok', title: "QEMU's isa-applesmc", detail: 'QEMU provides the Apple SMC macOS checks for at boot.' }
      : { id: 'macos-applesmc', status: 'missing', title: 'QEMU has no isa-applesmc', detail: 'macOS does not boot without an Apple SMC.', fix: { text: 'Install a full QEMU build.', command: 'sudo pacman -S --needed qemu-full', needsRoot: true } },
  );

  const machine = caps.qemu?.machineAliases.q35 ?? 'pc-q35';
  const fw = pickFirmware(caps.firmware, { type: 'uefi', secureBoot: false, machine });
  add(
    fw
      ? { id: 'macos-ovmf', status: 'ok', title: 'UEFI firmware', detail: `${fw.executable} (without Secure Boot: OpenCore does its own verification).` }
      : { id: 'macos-ovmf', status: 'missing', title: 'No UEFI firmware', detail: 'macOS boots only through UEFI.', fix: { text: 'Install OVMF.', command: 'sudo pacman -S --needed edk2-ovmf', needsRoot: true } },
  );

  add(
    f.hasMtools
      ? { id: 'macos-mtools', status: 'ok', title: 'mtools', detail: 'Builds the OpenCore and recovery disks without root.' }
      : { id: 'macos-mtools', status: 'missing', title: 'mtools is not installed', detail: 'Guestbay builds the OpenCore and recovery disks with mtools (no root needed).', fix: { text: 'Install mtools.', command: caps.distro.family === 'debian' ? 'sudo apt install mtools' : 'sudo pacman -S --needed mtools', needsRoot: true } },
  );
  return out;
}

export async function gatherFacts(caps: HostCaps, release: MacosRelease, guestsDir: string, diskGiB?: number): Promise<PreflightFacts> {
  // The guests' folder may not exist yet: measure the filesystem it will be created on.
  let dir = guestsDir;
  let fs = await statfs(dir).catch(() => null);
  while (!fs && dir !== dirname(dir)) {
    dir = dirname(dir);
    fs = await statfs(dir).catch(() => null);
  }
  const clocksource = await readFile('/sys/devices/system/clocksource/clocksource0/current_clocksource', 'utf8').then((s) => s.trim(), () => null);
  const hasMtools = await execa('mformat', ['--version'], { reject: false, timeout: 5000 }).then((r) => r.exitCode === 0, () => false);
  return { caps, release, freeDiskBytes: fs ? fs.bavail * fs.bsize : 0, clocksource, hasMtools, ...(diskGiB !== undefined ? { diskGiB } : {}) };
}

/** Runs a command with `input` on stdin (execa in the app; tests record the calls). */
export type RootRunner = (file: string, args: string[], input: string) => Promise<unknown>;
const execaRoot: RootRunner = (file, args, input) => execa(file, args, { input, timeout: 120_000 });

/**
 * Sets ignore_msrs now through pkexec (a polkit prompt), only when the user asks for it.
 * pkexec and tee by absolute path from the system folders (host/system-binary.ts), not $PATH.
 */
export async function applyIgnoreMsrsNow(run: RootRunner = execaRoot, dirs?: readonly string[]): Promise<void> {
  // One after the other: with both missing, the error names pkexec (the one to install) every time.
  const pkexec = await systemBinary('pkexec', dirs);
  const tee = await systemBinary('tee', dirs);
  await run(pkexec, [tee, '/sys/module/kvm/parameters/ignore_msrs'], '1\n');
  await run(pkexec, [tee, '/sys/module/kvm/parameters/report_ignored_msrs'], '0\n');
}
