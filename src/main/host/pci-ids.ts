// Human names for PCI devices from pci.ids (hwdata on Arch, pciutils on Debian), with a
// built-in class table so a device is never shown as bare hex when the file is missing.
import { readText } from './files';
import type { ProbeContext } from './options';

export const PCI_IDS_PATHS = ['/usr/share/hwdata/pci.ids', '/usr/share/misc/pci.ids', '/usr/share/pci.ids'];

/** The base classes a passthrough user meets; pci.ids' "C" section has the full list. */
const BASE_CLASSES: Record<string, string> = {
  '00': 'Unclassified device',
  '01': 'Mass storage controller',
  '02': 'Network controller',
  '03': 'Display controller',
  '04': 'Multimedia controller',
  '05': 'Memory controller',
  '06': 'Bridge',
  '07': 'Communication controller',
  '08': 'Generic system peripheral',
  '09': 'Input device controller',
  '0c': 'Serial bus controller',
  '0d': 'Wireless controller',
  '10': 'Encryption controller',
  '11': 'Signal processing controller',
  '12': 'Processing accelerators',
  '13': 'Non-Essential Instrumentation',
};
const SUB_CLASSES: Record<string, string> = {
  '0106': 'SATA controller',
  '0108': 'Non-Volatile memory controller',
  '0200': 'Ethernet controller',
  '0280': 'Network controller',
  '0300': 'VGA compatible controller',
  '0302': '3D controller',
  '0403': 'Audio device',
  '0600': 'Host bridge',
  '0601': 'ISA bridge',
  '0604': 'PCI bridge',
  '0c03': 'USB controller',
  '0c05': 'SMBus',
};

export interface PciNames {
  vendors: Map<string, string>;
  /** Key `vvvv:dddd`. */
  devices: Map<string, string>;
  /** Key `cc` or `ccss`. */
  classes: Map<string, string>;
}

/** Only the ids asked for are kept: the file is ~1.3 MB and we need a handful of lines. */
export function parsePciIds(text: string, wanted: { vendorId: string; deviceId: string }[]): PciNames {
  const wantVendors = new Set(wanted.map((w) => w.vendorId));
  const wantDevices = new Set(wanted.map((w) => `${w.vendorId}:${w.deviceId}`));
  const names: PciNames = { vendors: new Map(), devices: new Map(), classes: new Map() };
  let vendor: string | null = null;
  let klass: string | null = null;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^C ([0-9a-f]{2})\s+(.+)$/.exec(line))) {
      vendor = null;
      klass = m[1] ?? null;
      if (m[1] && m[2]) names.classes.set(m[1], m[2]);
    } else if ((m = /^([0-9a-f]{4})\s+(.+)$/.exec(line))) {
      klass = null;
      vendor = m[1] && wantVendors.has(m[1]) ? m[1] : null;
      if (vendor && m[2]) names.vendors.set(vendor, m[2]);
    } else if ((m = /^\t([0-9a-f]{2,4})\s+(.+)$/.exec(line))) {
      if (vendor && m[1]?.length === 4 && wantDevices.has(`${vendor}:${m[1]}`) && m[2]) names.devices.set(`${vendor}:${m[1]}`, m[2]);
      else if (klass && m[1]?.length === 2 && m[2]) names.classes.set(`${klass}${m[1]}`, m[2]);
    }
  }
  return names;
}

/** `classCode` is sysfs' 24-bit class without `0x`, e.g. `030000`. */
export function className(classCode: string, names?: PciNames): string {
  const base = classCode.slice(0, 2);
  const sub = classCode.slice(0, 4);
  return names?.classes.get(sub) ?? SUB_CLASSES[sub] ?? names?.classes.get(base) ?? BASE_CLASSES[base] ?? `Class ${classCode}`;
}

export function describePci(d: { vendorId: string; deviceId: string; classCode: string }, names?: PciNames): string {
  const vendor = names?.vendors.get(d.vendorId);
  const device = names?.devices.get(`${d.vendorId}:${d.deviceId}`);
  if (vendor && device) return `${vendor} ${device}`;
  const what = className(d.classCode, names);
  return vendor ? `${vendor} ${what}` : what;
}

export async function loadPciNames(ctx: ProbeContext, wanted: { vendorId: string; deviceId: string }[]): Promise<PciNames | undefined> {
  for (const p of PCI_IDS_PATHS) {
    const text = await readText(ctx.host(p));
    if (text) return parsePciIds(text, wanted);
  }
  return undefined;
}
