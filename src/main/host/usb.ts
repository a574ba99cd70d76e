// The USB devices plugged into this host, for the guest's USB picker: read from sysfs
// (/sys/bus/usb/devices, one folder per device, named by bus and port path like 1-2.3), named
// by the device's own strings, else by usb.ids (hwdata on Arch, usbutils on Debian), else by
// their ids. Pure reading: `root` points it at a fixture tree in tests.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostUsbDevice } from '../../shared/contract';
import { readText } from './files';

export const USB_IDS_PATHS = ['/usr/share/hwdata/usb.ids', '/usr/share/misc/usb.ids', '/usr/share/usb.ids', '/var/lib/usbutils/usb.ids'];

export interface UsbNames {
  vendors: Map<string, string>;
  /** Key `vvvv:pppp`. */
  products: Map<string, string>;
}

/** Only the ids asked for are kept: the file is ~700 KB and a host has a handful of devices. */
export function parseUsbIds(text: string, wanted: { vendorId: string; productId: string }[]): UsbNames {
  const wantVendors = new Set(wanted.map((w) => w.vendorId));
  const wantProducts = new Set(wanted.map((w) => `${w.vendorId}:${w.productId}`));
  const names: UsbNames = { vendors: new Map(), products: new Map() };
  let vendor: string | null = null;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([0-9a-f]{4})\s+(.+)$/.exec(line))) {
      vendor = wantVendors.has(m[1]!) ? m[1]! : null;
      if (vendor) names.vendors.set(vendor, m[2]!.trim());
    } else if ((m = /^\t([0-9a-f]{4})\s+(.+)$/.exec(line))) {
      if (vendor && wantProducts.has(`${vendor}:${m[1]}`)) names.products.set(`${vendor}:${m[1]}`, m[2]!.trim());
    } else if (!line.startsWith('\t')) {
      // The device classes, languages and HID tables that follow the vendor list.
      vendor = null;
      if (/^C /.test(line)) break;
    }
  }
  return names;
}

/** A sysfs device folder's name: `usb1` (a root hub) or `1-2.3` (bus 1, port 2, port 3 of a hub); interfaces (`1-2:1.0`) are not devices. */
const DEVICE_NAME = /^(usb\d+|\d+-\d+(\.\d+)*)$/;

/** Printable, trimmed, bounded: a device's strings come from the device itself. */
function clean(s: string | null): string | null {
  if (s === null) return null;
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return t || null;
}

async function attr(dir: string, name: string): Promise<string | null> {
  const t = await readText(join(dir, name));
  return t === null ? null : t.trim();
}

/** Every USB device sysfs lists, root hubs and hubs included (marked `hub`), in bus and port order. */
export async function listUsbDevices(o: { root?: string } = {}): Promise<HostUsbDevice[]> {
  const host = (p: string) => (o.root ? join(o.root, p) : p);
  const base = host('/sys/bus/usb/devices');
  let entries: string[];
  try {
    entries = await readdir(base);
  } catch {
    return []; // no USB bus at all (a container, a VM without a controller)
  }
  const raw = [];
  for (const port of entries.filter((e) => DEVICE_NAME.test(e))) {
    const dir = join(base, port);
    const vendorId = (await attr(dir, 'idVendor'))?.toLowerCase();
    const productId = (await attr(dir, 'idProduct'))?.toLowerCase();
    if (!vendorId || !productId || !/^[0-9a-f]{4}$/.test(vendorId) || !/^[0-9a-f]{4}$/.test(productId)) continue;
    const bus = Number(await attr(dir, 'busnum'));
    const device = Number(await attr(dir, 'devnum'));
    if (!Number.isInteger(bus) || !Number.isInteger(device)) continue;
    const speed = Number(await attr(dir, 'speed'));
    raw.push({
      port,
      vendorId,
      productId,
      bus,
      device,
      vendor: clean(await attr(dir, 'manufacturer')),
      product: clean(await attr(dir, 'product')),
      serial: clean(await attr(dir, 'serial')),
      speedMbps: Number.isFinite(speed) && speed > 0 ? speed : null,
      hub: (await attr(dir, 'bDeviceClass')) === '09',
    });
  }
  let names: UsbNames | undefined;
  for (const p of USB_IDS_PATHS) {
    const text = await readText(host(p));
    if (text) {
      names = parseUsbIds(text, raw);
      break;
    }
  }
  return raw
    .map((d) => {
      const vendor = d.vendor ?? names?.vendors.get(d.vendorId) ?? null;
      const product = d.product ?? names?.products.get(`${d.vendorId}:${d.productId}`) ?? null;
      const label = [vendor, product].filter(Boolean).join(' ') || `USB device ${d.vendorId}:${d.productId}`;
      return { ...d, vendor, product, label };
    })
    .sort((a, b) => a.bus - b.bus || a.port.localeCompare(b.port, 'en', { numeric: true }));
}

/** The plugged-in device with this vendor:product that is not a hub, if any (the first, if several). */
export function findUsbDevice(devices: HostUsbDevice[], vendorId: string, productId: string): HostUsbDevice | undefined {
  return devices.find((d) => !d.hub && d.vendorId === vendorId.toLowerCase() && d.productId === productId.toLowerCase());
}
