// A USB host device passed by port, as the user types it and as sysfs names the port: `1-2.3` is
// bus 1, port 2, then port 3 of the hub there (QEMU: hostbus=1,hostport=2.3). Whatever is plugged
// into that port is passed, now or later, so such an entry names no device: its vendor:product is
// 0000:0000, QEMU's own "any" for usb-host. One key per entry (a port, or a vendor:product) so two
// identical devices on two ports are two entries.
import { usbPort, type UsbHostDevice, type UsbPort } from './vm-config';

/** vendor:product of an entry passed by port: any device (QEMU's usb-host matches 0 as any). */
export const ANY_USB_ID = '0000';

/** `1-2.3` from a port. */
export const usbPortName = (p: UsbPort): string => `${p.bus}-${p.path}`;

/** What tells two entries apart: the port when passed by port, else vendor:product. */
export const usbEntryKey = (d: Pick<UsbHostDevice, 'vendorId' | 'productId' | 'port'>): string =>
  d.port ? `port ${usbPortName(d.port)}` : `${d.vendorId}:${d.productId}`;

/** How an entry is named to the user: "port 1-2.3" or "046d:c52b". */
export const usbEntryName = usbEntryKey;

export const USB_PORT_FORMAT = 'BUS-PORT as sysfs names it, like 1-2 or 1-2.3 (port 3 of the hub on port 2 of bus 1)';

/** `BUS-PORT` (`1-2`, `3-1.4.2`) → the port, or the reason it is not one, in plain words. */
export function parseUsbPort(text: string): { ok: true; port: UsbPort } | { ok: false; message: string } {
  const m = /^(\d{1,3})-(\S+)$/.exec(text.trim());
  if (!m) return { ok: false, message: `A USB port is ${USB_PORT_FORMAT}; "${text}" is not.` };
  const r = usbPort.safeParse({ bus: Number(m[1]), path: m[2] });
  if (!r.success) return { ok: false, message: `"${text}" is not a USB port: ${r.error.issues[0]?.message ?? 'invalid'} (${USB_PORT_FORMAT}).` };
  return { ok: true, port: r.data };
}

/** The entry for a port: any device plugged in there. */
export function portEntry(port: UsbPort, label?: string): UsbHostDevice {
  return { vendorId: ANY_USB_ID, productId: ANY_USB_ID, port, label: label ?? `USB port ${usbPortName(port)}` };
}
