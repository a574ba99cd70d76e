// Disks and removable media, with boot order: the config's `bootOrder`, or else boot loader,
// then disks, then installers. Every media drive and USB disk gets a device id (ids.ts), so the
// running guest's discs can be changed and its USB disks unplugged over QMP.
import type { DiskBus, VmConfig } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
import { diskDeviceId, diskDriveId, mediaDeviceId, mediaDriveId } from './ids';
import { PlanError, type FamilyInput } from './types';
import { USB_BUS } from './usb-input';

/**
 * Each bootable thing's bootindex: `disk:<id>`, `media:<id>`, `network` → index. With a boot
 * order in the config, its entries in order (others do not boot); without, the boot loaders,
 * the disks, then the media that are not driver discs. A kernel booted directly holds index 0
 * (QEMU's linuxboot option ROM), so the count starts after it.
 */
export function bootIndexes(config: VmConfig): Map<string, number> {
  const first = config.kernelBoot ? 1 : 0;
  const order =
    config.bootOrder ??
    [
      ...config.media.filter((m) => m.role === 'bootloader').map((m) => `media:${m.id}`),
      ...config.disks.map((d) => `disk:${d.id}`),
      ...config.media.filter((m) => m.role !== 'bootloader' && m.role !== 'drivers').map((m) => `media:${m.id}`),
    ];
  return new Map(order.map((ref, n) => [ref, first + n]));
}

/** Hands out controller ports: q35's built-in AHCI has six (ide.0–ide.5). */
class Ports {
  private sata = 0;
  private scsi = false;
  private ahci = false;
  constructor(private readonly i: FamilyInput) {}

  sataPort(): string {
    const { config, argv } = this.i;
    if (config.machine !== 'q35' && !this.ahci) {
      // i440fx and the ARM/RISC-V virt machine have no AHCI of their own; add one so SATA means
      // the same on every machine.
      argv.add('-device', opts('ahci', { id: 'ahci' }));
      this.ahci = true;
    }
    if (this.sata >= 6) throw new PlanError('more than six SATA devices: move some disks to virtio', 'disks');
    const bus = config.machine === 'q35' ? `ide.${this.sata}` : `ahci.${this.sata}`;
    this.sata += 1;
    return bus;
  }

  scsiBus(): string {
    if (!this.scsi) {
      this.i.argv.add('-device', opts('virtio-scsi-pci', { id: 'scsi0' }));
      this.scsi = true;
    }
    return 'scsi0.0';
  }
}

export function addDrives(i: FamilyInput): void {
  const { config, argv } = i;
  const ports = new Ports(i);
  const boot = bootIndexes(config);

  /** `device`: an id for the guest device, where the running guest must be able to address it. */
  const attach = (id: string, bus: DiskBus, kind: 'disk' | 'cdrom', bootindex: number | undefined, device?: string) => {
    switch (bus) {
      case 'virtio':
        if (kind === 'cdrom') throw new PlanError('a CD-ROM cannot sit on virtio: use SATA', 'media');
        argv.add('-device', opts('virtio-blk-pci', { drive: id, bootindex, id: device }));
        break;
      case 'sata':
      case 'ide':
        argv.add('-device', opts(kind === 'cdrom' ? 'ide-cd' : 'ide-hd', { bus: ports.sataPort(), drive: id, bootindex, id: device }));
        break;
      case 'nvme':
        argv.add('-device', opts('nvme', { drive: id, serial: id, bootindex, id: device }));
        break;
      case 'scsi':
        argv.add('-device', opts(kind === 'cdrom' ? 'scsi-cd' : 'scsi-hd', { bus: ports.scsiBus(), drive: id, bootindex, id: device }));
        break;
      case 'usb':
        if (config.usb.controller === 'none') throw new PlanError('a USB disk needs a USB controller', 'usb.controller');
        argv.add('-device', opts('usb-storage', { bus: USB_BUS, drive: id, bootindex, removable: kind === 'cdrom', id: device }));
        break;
      default:
        // A bus added to DiskBus without its QEMU device here does not compile.
        return bus satisfies never;
    }
  };

  const bootloaders = config.media.filter((m) => m.role === 'bootloader');
  const others = config.media.filter((m) => m.role !== 'bootloader');
  for (const m of bootloaders) {
    if (m.path === undefined) throw new PlanError(`the boot loader drive "${m.id}" has no image`, 'media');
    const id = mediaDriveId(m.id);
    i.plan.prepare.push({ kind: 'exists', path: i.resolve(m.path), what: 'the boot loader image', hint: 'run `guestbay macos prepare` to download it' });
    argv.add('-drive', opts(null, { if: 'none', id, file: i.resolve(m.path), format: m.format, snapshot: m.format === 'dmg' ? true : undefined }));
    attach(id, m.bus, 'disk', boot.get(`media:${m.id}`), mediaDeviceId(m.id));
  }

  for (const d of config.disks) {
    const id = diskDriveId(d.id);
    i.plan.prepare.push({ kind: 'exists', path: i.resolve(d.path), what: `disk "${d.id}"`, hint: 'create it with `guestbay create` or `qemu-img create`' });
    i.plan.writableFiles.push(i.resolve(d.path));
    argv.add(
      '-drive',
      opts(null, {
        if: 'none',
        id,
        file: i.resolve(d.path),
        format: d.format,
        cache: d.cache,
        aio: d.aio,
        // `unmap` passes the guest's TRIM through, so freed space shrinks the image.
        discard: d.discard ? 'unmap' : 'ignore',
        'detect-zeroes': d.discard ? 'unmap' : undefined,
        readonly: d.readOnly ? true : undefined,
      }),
    );
    if (d.aio === 'native' && d.cache !== 'none' && d.cache !== 'directsync') {
      throw new PlanError('aio=native needs cache=none or directsync (O_DIRECT)', 'disks');
    }
    attach(id, d.bus, 'disk', boot.get(`disk:${d.id}`), d.bus === 'usb' ? diskDeviceId(d.id) : undefined);
  }

  for (const m of others) {
    const id = mediaDriveId(m.id);
    const cdrom = m.as === 'cdrom';
    if (m.path === undefined) {
      // An empty CD/DVD drive: there for a disc to be inserted, now or after the next start.
      if (!cdrom) throw new PlanError(`the drive "${m.id}" has no image: only a CD/DVD drive can be empty`, 'media');
      argv.add('-drive', opts(null, { if: 'none', id, media: 'cdrom', readonly: true }));
      attach(id, m.bus, 'cdrom', boot.get(`media:${m.id}`), mediaDeviceId(m.id));
      continue;
    }
    const hint =
      m.role === 'recovery'
        ? 'run `guestbay macos prepare` for a new guest, or `guestbay macos finish` when macOS is installed'
        : `insert another image in drive ${m.id} (\`guestbay media ${i.config.name} insert FILE --drive ${m.id}\`, or the guest's page), or eject it`;
    i.plan.prepare.push({ kind: 'exists', path: i.resolve(m.path), what: `the ${m.role} image`, hint });
    // Installers and recovery images are never written. IDE/SATA disks cannot be read-only in
    // QEMU, so there the guest writes to a throwaway overlay (snapshot=on) instead.
    const overlay = !cdrom && (m.bus === 'sata' || m.bus === 'ide');
    argv.add(
      '-drive',
      opts(null, {
        if: 'none',
        id,
        file: i.resolve(m.path),
        format: m.format,
        media: cdrom ? 'cdrom' : undefined,
        readonly: overlay ? undefined : true,
        snapshot: overlay ? true : undefined,
      }),
    );
    attach(id, m.bus, cdrom ? 'cdrom' : 'disk', boot.get(`media:${m.id}`), mediaDeviceId(m.id));
  }
}
