// Golden launch plans: every preset on every host kind and QEMU generation, and the device
// families no preset picks (NVMe, SCSI and USB disks, other NICs, a bridge, SPICE, ramfb, GL,
// passthrough) as variants of the Linux preset on the hosts where they differ. A change to the
// plan shows up here as a diff to review. Regenerate with UPDATE_GOLDEN=1 (docs/testing.md).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset, PRESETS } from '../../../src/shared/presets';
import type { HostCaps } from '../../../src/shared/host-caps';
import type { VmConfig } from '../../../src/shared/vm-config';
import { buildLaunchPlan, PlanError, type LaunchPlan } from '../../../src/main/qemu/plan';
import { shellCommand } from '../../../src/main/qemu/shell-quote';
import { HOST_KINDS, QEMU_GENERATIONS, hostFixture, type HostKind, type QemuGeneration } from '../../fixtures/caps/hosts';

const GOLDEN = join(__dirname, '../../golden/plans');
const ctx = (name: string) => ({
  vmDir: `/home/user/.local/share/guestbay/vms/${name}`,
  runtimeDir: `/run/user/1000/guestbay/${name}`,
  logDir: `/home/user/.local/share/guestbay/vms/${name}/logs`,
});

function presetInput(id: string) {
  return {
    name: id,
    host: { threads: 16, memoryMiB: 32768 },
    iso: id.startsWith('macos') ? undefined : '/home/user/isos/install,1.iso',
    driversIso: id === 'windows-11' ? '/home/user/isos/virtio-win.iso' : undefined,
    shares: ['/home/user/Shared'],
  };
}

export function render(plan: LaunchPlan): string {
  const out = [`accel: ${plan.accel}`, `savable: ${plan.savable.ok ? 'yes' : `no — ${plan.savable.reason}`}`, ''];
  for (const p of plan.prepare) out.push(`prepare ${p.kind}: ${'to' in p ? `${p.from} → ${p.to}` : p.path}`);
  for (const s of plan.sidecars) out.push(`sidecar ${s.id}: ${shellCommand([s.binary, ...s.args], { wrap: false })}`);
  for (const w of plan.warnings) out.push(`warning ${w.id}: ${w.message}`);
  out.push('', shellCommand([plan.binary, ...plan.args]), '');
  return out.join('\n');
}

/** A plan, or the refusal a config gets on that host (itself a fact worth pinning). */
function renderOrRefusal(config: VmConfig, caps: HostCaps, name: string): string {
  try {
    return render(buildLaunchPlan(config, caps, ctx(name)));
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    return `refused${e.field ? ` (${e.field})` : ''}: ${e.message}\n`;
  }
}

function expectGolden(gen: QemuGeneration, kind: HostKind, name: string, text: string): void {
  const file = join(GOLDEN, gen, kind, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    mkdirSync(join(GOLDEN, gen, kind), { recursive: true });
    writeFileSync(file, text);
    if (!process.env.UPDATE_GOLDEN && process.env.CI) throw new Error(`golden file ${file} was missing`);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe.each(QEMU_GENERATIONS)('launch plans on %s', (gen) => {
  describe.each(HOST_KINDS)('%s host', (kind) => {
    it.each(PRESETS.map((p) => p.id))('%s', (id) => {
      const { config } = buildPreset(id, presetInput(id));
      expectGolden(gen, kind, id, render(buildLaunchPlan(config, hostFixture(gen, kind), ctx(id))));
    });
  });
});

interface Variant {
  id: string;
  /** What changes from the Linux preset (with its installer ISO and a virtiofs share). */
  change: (c: VmConfig) => Partial<VmConfig>;
  /** Where the result differs: a device is the same on every host; passthrough needs KVM and an IOMMU. */
  kinds: readonly HostKind[];
  /** The host as the variant needs it (a QEMU module the CI machines leave out). */
  caps?: (c: HostCaps) => HostCaps;
}

/**
 * A desktop QEMU with the modules these machines' QEMU leaves out (Debian 12's qemu-system-gui,
 * trixie's qemu-system-modules-opengl and -spice; Arch's qemu-full has them all): the GL devices
 * it can create, QXL, the SPICE server (its spicevmc chardev and spice-app display),
 * egl-headless, and a GPU render node.
 */
function desktopModules(c: HostCaps): HostCaps {
  const q = c.qemu!;
  const gl = ['virtio-gpu-gl-pci', 'virtio-vga-gl'];
  return {
    ...c,
    renderNodes: ['/dev/dri/renderD128'],
    qemu: {
      ...q,
      devices: [...new Set([...q.devices, ...gl, 'qxl', 'qxl-vga'])].sort(),
      glDevices: gl,
      chardevs: [...new Set([...q.chardevs, 'spicevmc'])].sort(),
      displays: [...new Set([...q.displays, 'egl-headless', 'spice-app'])].sort(),
    },
  };
}

const ONE_HOST: readonly HostKind[] = ['amd-kvm'];

/**
 * Guest RAM in a file that a save leaves out: memory-backend-file and x-ignore-shared, which
 * QEMU 7.2 and 10.0 both have (the real schemas: test/main/qemu/probe/ram-file.test.ts); the
 * probed fixtures predate the probe asking.
 */
function ramFileCaps(c: HostCaps): HostCaps {
  return { ...c, qemu: { ...c.qemu!, ramFile: true } };
}

/** Device families no preset chooses; each file reads as a diff against linux.txt. */
const VARIANTS: Variant[] = [
  // "Memory in a file": one backend, the file, serves the virtiofs share too (share=on).
  { id: 'memory-file', kinds: ONE_HOST, caps: ramFileCaps, change: () => ({ memoryFile: true }) },
  // The same on a QEMU without x-ignore-shared: refused, with the reason.
  { id: 'memory-file-unsupported', kinds: ONE_HOST, change: () => ({ memoryFile: true }) },
  { id: 'disk-nvme', kinds: ONE_HOST, change: (c) => ({ disks: c.disks.map((d) => ({ ...d, bus: 'nvme' as const })) }) },
  {
    id: 'disk-scsi',
    kinds: ONE_HOST,
    // Two disks on one virtio-scsi controller; a raw, read-only second disk with its own cache.
    change: (c) => ({
      disks: [
        { ...c.disks[0]!, bus: 'scsi' as const },
        { id: 'data', path: '/srv/data.img', format: 'raw' as const, bus: 'scsi' as const, cache: 'none' as const, aio: 'native' as const, discard: false, readOnly: true },
      ],
    }),
  },
  {
    id: 'disk-usb',
    kinds: ONE_HOST,
    // The system disk and the installer both as USB storage (the installer removable).
    change: (c) => ({ disks: c.disks.map((d) => ({ ...d, bus: 'usb' as const })), media: c.media.map((m) => ({ ...m, bus: 'usb' as const })) }),
  },
  { id: 'nic-rtl8139', kinds: ONE_HOST, change: (c) => ({ network: { ...c.network, nic: 'rtl8139' as const } }) },
  { id: 'nic-e1000e', kinds: ONE_HOST, change: (c) => ({ network: { ...c.network, nic: 'e1000e' as const } }) },
  {
    id: 'net-bridge',
    kinds: ONE_HOST,
    change: (c) => ({ network: { ...c.network, mode: 'bridge' as const, bridge: 'br0', mac: '52:54:00:12:34:56', portForwards: [] } }),
  },
  // QEMU's own windows instead of Guestbay's view (the presets' viewer).
  { id: 'display-gtk', kinds: ONE_HOST, change: (c) => ({ display: { ...c.display, viewer: 'window' as const, window: 'gtk' as const } }) },
  { id: 'display-spice', kinds: ONE_HOST, caps: desktopModules, change: (c) => ({ display: { ...c.display, device: 'qxl' as const, viewer: 'window' as const, window: 'spice' as const } }) },
  // SPICE with GL: the render node QEMU draws on.
  {
    id: 'display-spice-gl',
    kinds: ONE_HOST,
    caps: desktopModules,
    change: (c) => ({ display: { ...c.display, device: 'virtio-vga' as const, viewer: 'window' as const, window: 'spice' as const, gl: true } }),
  },
  { id: 'display-ramfb', kinds: ONE_HOST, change: (c) => ({ display: { ...c.display, device: 'ramfb' as const } }) },
  // GL in QEMU's window, and in Guestbay's view (egl-headless on the render node, read by VNC).
  { id: 'display-gl', kinds: ONE_HOST, caps: desktopModules, change: (c) => ({ display: { ...c.display, device: 'virtio-vga' as const, viewer: 'window' as const, window: 'gtk' as const, gl: true } }) },
  { id: 'display-gl-view', kinds: ONE_HOST, caps: desktopModules, change: (c) => ({ display: { ...c.display, device: 'virtio-vga' as const, viewer: 'guestbay' as const, gl: true } }) },
  // GL in a window on these machines' QEMU, without its OpenGL module: said, and the guest runs without GL.
  { id: 'display-gl-no-module', kinds: ONE_HOST, change: (c) => ({ display: { ...c.display, device: 'virtio-vga' as const, viewer: 'window' as const, window: 'gtk' as const, gl: true } }) },
  // std VGA has no GL variant: the plan says so and runs without it.
  { id: 'display-gl-std', kinds: ONE_HOST, caps: desktopModules, change: (c) => ({ display: { ...c.display, device: 'std' as const, viewer: 'window' as const, window: 'gtk' as const, gl: true } }) },
  {
    id: 'passthrough',
    kinds: HOST_KINDS,
    // The GPU shares its IOMMU group with its HDMI audio function (the fixture's group 14).
    change: (c) => ({
      pciDevices: [{ address: '0000:0b:00.0', label: 'Radeon RX 6800' }],
      usb: { ...c.usb, hostDevices: [{ vendorId: '046d', productId: 'c52b', label: 'Logitech receiver' }] },
    }),
  },
  // A GPU with its HDMI audio function and a ROM file: one card in the guest, on a root port of its own.
  {
    id: 'gpu-audio',
    kinds: ONE_HOST,
    change: () => ({ pciDevices: [{ address: '0000:0b:00.0', label: 'Radeon RX 6800', romFile: '/home/user/roms/rx6800.rom' }, { address: '0000:0b:00.1', label: 'HDMI audio' }] }),
  },
  // An Intel GVT-g share of the iGPU (a mediated device), passed by its sysfs path.
  {
    id: 'gvtg',
    kinds: ONE_HOST,
    change: () => ({ pciDevices: [{ address: '0000:00:02.0', label: 'UHD 630, GVTg_V5_4', mdev: '4b20d080-1b54-4048-85b3-a6a62d165c01' }] }),
  },
  // USB devices by port (two identical keyboards on two ports) and by vendor:product.
  {
    id: 'usb-port',
    kinds: ONE_HOST,
    change: (c) => ({
      usb: {
        ...c.usb,
        hostDevices: [
          { vendorId: '046d', productId: 'c31c', label: 'Keyboard, left port', port: { bus: 1, path: '2' } },
          { vendorId: '046d', productId: 'c31c', label: 'Keyboard, hub port 3', port: { bus: 3, path: '1.3' } },
          { vendorId: '0781', productId: '5581', label: 'SanDisk stick' },
        ],
      },
    }),
  },
  // The host's keyboard and mouse through evdev, toggled with Scroll Lock.
  {
    id: 'evdev',
    kinds: ONE_HOST,
    change: (c) => ({
      input: { ...c.input, evdev: { keyboard: '/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd', mouse: '/dev/input/by-id/usb-Logitech_G203-event-mouse', toggle: 'scrolllock' as const } },
    }),
  },
  // Looking Glass for a passed-through GPU: a /dev/shm file sized for 2560×1440 (64 MiB).
  {
    id: 'looking-glass',
    kinds: ONE_HOST,
    change: () => ({
      pciDevices: [{ address: '0000:0b:00.0' }, { address: '0000:0b:00.1' }],
      lookingGlass: { memory: 'shm' as const, width: 2560, height: 1440 },
    }),
  },
  // KVMFR asked with a virtiofs share: the known conflict, explained, and the /dev/shm file used.
  {
    id: 'looking-glass-kvmfr-virtiofs',
    kinds: ONE_HOST,
    change: () => ({ pciDevices: [{ address: '0000:0b:00.0' }, { address: '0000:0b:00.1' }], lookingGlass: { memory: 'kvmfr' as const, width: 1920, height: 1080 } }),
  },
  // KVMFR without virtiofs (the share through 9p): /dev/kvmfr0, and the module's size said.
  {
    id: 'looking-glass-kvmfr',
    kinds: ONE_HOST,
    change: (c) => ({
      pciDevices: [{ address: '0000:0b:00.0' }, { address: '0000:0b:00.1' }],
      sharedFolders: c.sharedFolders.map((f) => ({ ...f, method: '9p' as const })),
      lookingGlass: { memory: 'kvmfr' as const, width: 3840, height: 2160 },
    }),
  },
];

describe.each(QEMU_GENERATIONS)('device variants on %s', (gen) => {
  describe.each(VARIANTS.map((v) => [v.id, v] as const))('linux+%s', (_id, v) => {
    it.each(v.kinds)('%s host', (kind) => {
      const name = `linux+${v.id}`;
      const { config: base } = buildPreset('linux', presetInput('linux'));
      const config = parseVmConfig({ ...base, ...v.change(base) });
      const caps = hostFixture(gen, kind);
      expectGolden(gen, kind, name, renderOrRefusal(config, v.caps ? v.caps(caps) : caps, 'linux'));
    });
  });
});

describe('golden files', () => {
  it('every file under test/golden/plans belongs to a case above (none left behind by a rename)', () => {
    const files = readdirSync(GOLDEN, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(GOLDEN, join(d.parentPath, d.name)))
      .sort();
    const cases = QEMU_GENERATIONS.flatMap((gen) => [
      ...HOST_KINDS.flatMap((kind) => PRESETS.map((p) => join(gen, kind, `${p.id}.txt`))),
      ...VARIANTS.flatMap((v) => v.kinds.map((kind) => join(gen, kind, `linux+${v.id}.txt`))),
    ]);
    expect(files).toEqual(cases.sort());
  });
});
