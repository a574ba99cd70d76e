// Disks and removable media, with boot order: boot loader, then disks, then installers.
import type { DiskBus } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
import { PlanError, type FamilyInput } from './types';
import { USB_BUS } from './usb-input';

/** Hands out controller ports: q35's built-in AHCI has six (ide.0–ide.5). */
class Ports {
  private sata = 0;
  private scsi = false;
  private ahci = false;
  constructor(private readonly i: FamilyInput) {}

  sataPort(): string {
    const { config, argv } = this.i;
    if (config.machine === 'pc' && !this.ahci) {
      // i440fx has no AHCI of its own; add one so SATA means the same on both machines.
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
  // A kernel booted directly goes first: QEMU's linuxboot option ROM holds bootindex 0.
  let boot = config.kernelBoot ? 1 : 0;

  const attach = (id: string, bus: DiskBus, kind: 'disk' | 'cdrom', bootindex: number | undefined) => {
    switch (bus) {
      case 'virtio':
        if (kind === 'cdrom') throw new PlanError('a CD-ROM cannot sit on virtio: use SATA', 'media');
        argv.add('-device', opts('virtio-blk-pci', { drive: id, bootindex }));
        break;
      case 'sata':
      case 'ide':
        argv.add('-device', opts(kind === 'cdrom' ? 'ide-cd' : 'ide-hd', { bus: ports.sataPort(), drive: id, bootindex }));
        break;
      case 'nvme':
        argv.add('-device', opts('nvme', { drive: id, serial: id, bootindex }));
        break;
      case 'scsi':
        argv.add('-device', opts(kind === 'cdrom' ? 'scsi-cd' : 'scsi-hd', { bus: ports.scsiBus(), drive: id, bootindex }));
        break;
      case 'usb':
        if (config.usb.controller === 'none') throw new PlanError('a USB disk needs a USB controller', 'usb.controller');
        argv.add('-device', opts('usb-storage', { bus: USB_BUS, drive: id, bootindex, removable: kind === 'cdrom' }));
        break;
      default:
        // A bus added to DiskBus without its QEMU device here does not compile.
        return bus satisfies never;
    }
  };

  const bootloaders = config.media.filter((m) => m.role === 'bootloader');
  const others = config.media.filter((m) => m.role !== 'bootloader');
  bootloaders.forEach((m, n) => {
    const id = `boot${n}`;
    i.plan.prepare.push({ kind: 'exists', path: i.resolve(m.path), what: 'the boot loader image', hint: 'run `guestbay macos prepare` to download it' });
    argv.add('-drive', opts(null, { if: 'none', id, file: i.resolve(m.path), format: m.format, snapshot: m.format === 'dmg' ? true : undefined }));
    attach(id, m.bus, 'disk', boot++);
  });

  for (const d of config.disks) {
    const id = `disk-${d.id}`;
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
    attach(id, d.bus, 'disk', boot++);
  }

  others.forEach((m, n) => {
    const id = `${m.role}${n}`;
    const hint = m.role === 'recovery' ? 'run `guestbay macos prepare` for a new guest, or `guestbay macos finish` when macOS is installed' : 'pick the file again in the guest\'s settings';
    i.plan.prepare.push({ kind: 'exists', path: i.resolve(m.path), what: `the ${m.role} image`, hint });
    const cdrom = m.as === 'cdrom';
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
    attach(id, m.bus, cdrom ? 'cdrom' : 'disk', m.role === 'drivers' ? undefined : boot++);
  });
}
