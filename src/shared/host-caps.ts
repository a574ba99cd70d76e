// What the host can do, as the probe found it (src/main/host/). The launch plan reads only
// this, never the host itself, so it stays pure and golden-testable for any host kind.
import { z } from 'zod';
import { guestArch } from './vm-choices';

export const findingStatus = z.enum(['ok', 'warning', 'missing']);

export const finding = z.object({
  /** Stable id, e.g. `kvm`, `qemu`, `ovmf`, `virtiofsd`, `iommu`. */
  id: z.string(),
  status: findingStatus,
  title: z.string(),
  /** One sentence: what was found and why it matters. */
  detail: z.string(),
  fix: z
    .object({
      text: z.string(),
      /** A copyable command; may need root (then `needsRoot`). */
      command: z.string().optional(),
      needsRoot: z.boolean().default(false),
    })
    .optional(),
});
export type Finding = z.infer<typeof finding>;

/** One firmware descriptor from QEMU's firmware.json interop spec, resolved. */
export const firmwareEntry = z.object({
  descriptor: z.string(),
  description: z.string().default(''),
  /** `uefi` or `bios`. */
  type: z.enum(['uefi', 'bios']),
  /** The guest architecture it is built for (the descriptor's `targets[].architecture`); older caps: x86_64. */
  architecture: z.string().default('x86_64'),
  /** Machine patterns from the descriptor, e.g. `pc-q35-*`. */
  machines: z.array(z.string()),
  features: z.array(z.string()),
  executable: z.string(),
  /** NVRAM template for `uefi` in split mode; absent for BIOS and combined images. */
  varsTemplate: z.string().optional(),
  format: z.enum(['raw', 'qcow2']).default('raw'),
  secureBoot: z.boolean(),
  enrolledKeys: z.boolean(),
  requiresSmm: z.boolean(),
});
export type FirmwareEntry = z.infer<typeof firmwareEntry>;

/** What one QEMU binary can do (host/qemu-caps.ts asks it). */
export const qemuCaps = z.object({
  binary: z.string(),
  version: z.string(),
  major: z.number().int(),
  minor: z.number().int(),
  accels: z.array(z.string()),
  devices: z.array(z.string()),
  displays: z.array(z.string()),
  netdevs: z.array(z.string()),
  audiodevs: z.array(z.string()),
  /** `-chardev help`: e.g. `qemu-vdagent` (clipboard sharing with VNC, QEMU 6.1+), `spicevmc`. */
  chardevs: z.array(z.string()).default([]),
  /** A guest with the qemu-vdagent chardev can still be saved (QEMU 7.2 and 10.0 block migration with it). */
  vdagentMigrates: z.boolean().default(false),
  /** `-machine help` aliases, e.g. { q35: 'pc-q35-7.2', pc: 'pc-i440fx-7.2' }. */
  machineAliases: z.record(z.string(), z.string()),
  /** `file:` migration URIs (QEMU 8.2+): save to a file without a helper process. */
  fileMigration: z.boolean().default(false),
  /** Saves write RAM at fixed offsets of the file with multifd threads (`mapped-ram`, QEMU 9.0+; issue 18). */
  mappedRam: z.boolean().default(false),
  /**
   * A mapped-ram save and restore can move the RAM pages with O_DIRECT (`direct-io`, QEMU 9.1+):
   * past the page cache, which a 2 GiB save no longer fills (docs/save-restore-speed.md).
   */
  directIo: z.boolean().default(false),
  /**
   * Guest RAM can live in a file that a save leaves out and a restore maps again: the
   * `memory-backend-file` object and the `x-ignore-shared` migration capability (issue 18's
   * "memory in a file").
   */
  ramFile: z.boolean().default(false),
  /**
   * OpenGL display devices this QEMU can really create. `-device help` lists virtio-vga-gl
   * even when its module (virtio-gpu-gl) is not installed; asking for the device's
   * properties (`-device virtio-vga-gl,help`) fails then, as starting it would.
   */
  glDevices: z.array(z.string()).default([]),
  /** virtio-gpu-gl-pci has a `venus` property (QEMU 9.2+ built with Venus): Vulkan for Linux guests. */
  glVenus: z.boolean().default(false),
  /** `-sandbox` (seccomp) parameters this build takes; [] without seccomp. */
  sandboxOptions: z.array(z.string()).default([]),
  /** `-trace qemu_system_shutdown_request` prints to QEMU's log: a shutdown is recorded with no one watching. */
  shutdownTrace: z.boolean().default(false),
  /** `-cpu help` lists `max` (every emulated feature): every x86 and aarch64 QEMU; riscv64 from 8.0. */
  maxCpu: z.boolean().default(true),
});

export const hostCaps = z.object({
  probedAt: z.string(),
  cpu: z.object({
    vendor: z.enum(['amd', 'intel', 'other']),
    model: z.string(),
    threads: z.number().int(),
    /** Flags the plan and preflight care about (svm, vmx, sse4_2, avx2, …), as in /proc/cpuinfo. */
    flags: z.array(z.string()),
  }),
  memory: z.object({ totalMiB: z.number().int(), availableMiB: z.number().int() }),
  kvm: z.object({
    /** `usable` only when a guest really ran under KVM. */
    state: z.enum(['absent', 'no-access', 'unusable', 'usable']),
    reason: z.string(),
    module: z.enum(['kvm_amd', 'kvm_intel']).nullable(),
    ignoreMsrs: z.boolean().nullable(),
    reportIgnoredMsrs: z.boolean().nullable(),
    nested: z.boolean().nullable(),
  }),
  /** The accelerator that really runs a guest here. */
  accel: z.enum(['kvm', 'tcg']),
  /** The x86_64 emulator (qemu-system-x86_64): what runs a PC guest. */
  qemu: qemuCaps.nullable(),
  /**
   * The other architectures' emulators found (aarch64, riscv64; x86_64's is `qemu`), each probed
   * and cached like it: os/arch-table.ts's qemuFor() picks a guest's, each probed and cached
   * which exist decides which architectures a guest can have here.
   */
  qemuByArch: z.partialRecord(guestArch, qemuCaps).default({}),
  /**
   * Boot loaders QEMU loads as the guest's kernel, per guest architecture (host/bootloaders.ts):
   * U-Boot's S-mode build for QEMU's RISC-V virt board, which OpenSBI starts and which boots the
   * guest's disk. Found on disk at run time; absent where its package is not installed.
   */
  uboot: z.partialRecord(guestArch, z.string()).default({}),
  /** The host's own architecture: KVM runs only guests of this one. */
  hostArch: guestArch.nullable().default('x86_64'),
  qemuImg: z.object({ path: z.string(), version: z.string() }).nullable(),
  firmware: z.array(firmwareEntry),
  virtiofsd: z
    .object({
      path: z.string(),
      /** `rust`: `--shared-dir`, `--sandbox`; `c`: `-o source=`. */
      flavour: z.enum(['rust', 'c']),
      version: z.string().nullable(),
      /** From the vhost-user descriptor, e.g. `migrate-precopy`. */
      features: z.array(z.string()),
      source: z.enum(['descriptor', 'known-path']),
      /** Rust daemon's `--sandbox` mode that works here (`namespace` needs `/` to be a mount point). */
      sandbox: z.enum(['namespace', 'chroot', 'none']).nullable().default(null),
      /** It started, as this user, and kept serving once a client connected (host/virtiofsd-start.ts). */
      works: z.boolean().default(true),
      /** Why it does not, in the daemon's own words. */
      reason: z.string().nullable().default(null),
    })
    .nullable(),
  swtpm: z.object({ path: z.string(), version: z.string().nullable() }).nullable(),
  tools: z.object({
    smbd: z.string().nullable(),
    remoteViewer: z.string().nullable(),
    qemuBridgeHelper: z.string().nullable(),
  }),
  iommu: z.object({
    enabled: z.boolean(),
    groups: z.array(
      z.object({
        id: z.number().int(),
        devices: z.array(
          z.object({
            address: z.string(),
            vendorId: z.string(),
            deviceId: z.string(),
            classCode: z.string(),
            driver: z.string().nullable(),
            description: z.string(),
          }),
        ),
      }),
    ),
  }),
  /** GPU render nodes (`/dev/dri/renderD*`): what egl-headless and SPICE's OpenGL render on. */
  renderNodes: z.array(z.string()).default([]),
  /** The desktop session the app runs in: where windows and sound can go. */
  session: z
    .object({ graphical: z.boolean(), pipewire: z.boolean(), pulse: z.boolean(), uid: z.number().int() })
    .default({ graphical: false, pipewire: false, pulse: false, uid: 1000 }),
  distro: z.object({ id: z.string(), name: z.string(), family: z.enum(['arch', 'debian', 'fedora', 'other']) }),
  findings: z.array(finding),
});
export type HostCaps = z.infer<typeof hostCaps>;
