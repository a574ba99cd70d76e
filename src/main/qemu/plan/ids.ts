// The names the launch plan gives QEMU's drives, devices and network backend, so a running guest
// can be addressed over QMP (insert a disc, unplug a USB device, add a port forward) by code that
// never builds them itself: vm/ asks here.
import type { UsbHostDevice } from '../../../shared/vm-config';

/** The user-mode or bridge network backend (`-netdev …,id=net0`): hostfwd_add and set_link name it. */
export const NETDEV_ID = 'net0';

/** A media drive's block backend: its config id itself (the names the plan always gave: install0, boot0…). */
export const mediaDriveId = (id: string) => id;
/** A media drive's guest device (ide-cd, scsi-cd…): what blockdev-change-medium and eject address. */
export const mediaDeviceId = (id: string) => `media-${id}`;

/** A disk's block backend (`-drive …,id=disk-system`). */
export const diskDriveId = (id: string) => `disk-${id}`;
/** A disk's guest device; given to USB disks, which can be unplugged while the guest runs. */
export const diskDeviceId = (id: string) => `disk-${id}`;

/** A passed-through USB host device, by vendor:product (one device per pair). */
/** By port, the port names it: two identical devices on two ports are two devices. */
export const usbHostDeviceId = (d: Pick<UsbHostDevice, 'vendorId' | 'productId'> & { port?: UsbHostDevice['port'] }) =>
  d.port ? `usbhost-port${d.port.bus}-${d.port.path}` : `usbhost-${d.vendorId}-${d.productId}`;
