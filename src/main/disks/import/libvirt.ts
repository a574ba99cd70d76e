// libvirt domain XML (as `virsh dumpxml` and `virt-install --print-xml` write it) → ImportDraft.
// Parsed with @xmldom/xmldom (a DOM, no network or entity expansion); only what Guestbay models
// is read, and what the domain has that Guestbay's guest will not is listed in `notCarried`.
import { DOMParser } from '@xmldom/xmldom';
import type { DiskBus, DisplayDevice, NicModel } from '../../../shared/vm-choices';
import { ImportError, type DraftDisk, type ImportDraft } from './draft';

const UNITS: Record<string, number> = {
  b: 1, bytes: 1, kb: 1e3, k: 1024, kib: 1024, mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2,
  gb: 1e9, g: 1024 ** 3, gib: 1024 ** 3, tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
};

const BUSES: Record<string, DiskBus> = { virtio: 'virtio', sata: 'sata', ide: 'ide', scsi: 'scsi', usb: 'usb', nvme: 'nvme' };
const NICS: Record<string, NicModel> = { virtio: 'virtio-net', e1000e: 'e1000e', e1000: 'e1000', rtl8139: 'rtl8139', vmxnet3: 'vmxnet3' };
// QXL is left to the OS's choice: it is SPICE's card, and needs QEMU's qxl module, which not every
// QEMU has (the QEMU 10 test chroot has none).
const VIDEO: Record<string, DisplayDevice> = { virtio: 'virtio-vga', vga: 'std', bochs: 'std', vmvga: 'vmware-svga', ramfb: 'ramfb', none: 'none' };

const kids = (e: Element | null | undefined, tag: string): Element[] => (e ? Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === tag) : []);
const kid = (e: Element | null | undefined, tag: string): Element | undefined => kids(e, tag)[0];
const text = (e: Element | undefined) => e?.textContent?.trim() ?? '';

export function parseLibvirtDomain(xml: string, file: string): ImportDraft {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: (m) => errors.push(m), error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  if (errors.length || !doc?.documentElement) throw new ImportError(file, 'XML', `not well-formed XML (${(errors[0] ?? 'empty').split('\n')[0]?.replace(/^\[xmldom [a-z]+\]\s*/i, '')})`);
  const dom = doc.documentElement as unknown as Element;
  if (dom.tagName !== 'domain') throw new ImportError(file, 'XML', `a libvirt domain starts with <domain>, this file with <${dom.tagName}>`);
  const notCarried: string[] = [];

  const name = text(kid(dom, 'name'));
  if (!name) throw new ImportError(file, '<name>', 'the domain has no name');

  const mem = kid(dom, 'memory') ?? kid(dom, 'currentMemory');
  const memValue = Number(text(mem));
  const unit = UNITS[(mem?.getAttribute('unit') || 'KiB').toLowerCase()];
  if (!mem || !Number.isFinite(memValue) || memValue <= 0 || !unit) throw new ImportError(file, '<memory>', `the memory size is missing or not a number with a known unit ("${text(mem)}" ${mem?.getAttribute('unit') || ''})`);
  const memoryMiB = Math.max(1, Math.round((memValue * unit) / 1024 ** 2));

  const cores = Number(text(kid(dom, 'vcpu')) || '1');
  if (!Number.isInteger(cores) || cores < 1) throw new ImportError(file, '<vcpu>', `"${text(kid(dom, 'vcpu'))}" is not a number of processors`);

  // The OS, from the libosinfo id virt-install and virt-manager record.
  const osId = (() => {
    const md = kid(dom, 'metadata');
    for (const n of md ? Array.from(md.getElementsByTagName('*')) : []) if ((n as Element).localName === 'os' && (n as Element).getAttribute('id')) return (n as Element).getAttribute('id')!;
    return '';
  })();
  const win = /microsoft\.com\/win\/([0-9.]+)/.exec(osId);
  const os: ImportDraft['os'] = win ? { family: 'windows', version: win[1] === '11' ? '11' : '10' } : osId && !/apple\.com/.test(osId) ? { family: 'linux', version: 'generic' } : { family: 'other', version: 'generic' };
  if (win && win[1] !== '10' && win[1] !== '11') notCarried.push(`the guest is Windows ${win[1]}; Guestbay treats it as Windows 10 (its devices and drivers)`);
  if (/apple\.com/.test(osId)) notCarried.push('the guest is macOS: Guestbay makes Macs with its own setup (guestbay macos prepare); imported as "other"');

  const osEl = kid(dom, 'os');
  const type = kid(osEl, 'type');
  const arch = type?.getAttribute('arch') || 'x86_64';
  if (!['x86_64', 'i686'].includes(arch)) throw new ImportError(file, '<os><type arch>', `Guestbay runs x86_64 guests; this one is ${arch}`);
  if (arch === 'i686') notCarried.push('the domain says i686: Guestbay runs it on an x86_64 machine (32-bit systems run there too)');
  const machineAttr = type?.getAttribute('machine') || '';
  const machine = /q35/.test(machineAttr) ? 'q35' : /^pc/.test(machineAttr) ? 'pc' : undefined;
  const loader = kid(osEl, 'loader');
  const efi = osEl?.getAttribute('firmware') === 'efi' || loader?.getAttribute('type') === 'pflash' || /OVMF|edk2/i.test(text(loader));
  const secureFeature = kids(kid(osEl, 'firmware'), 'feature').some((f) => f.getAttribute('name') === 'secure-boot' && f.getAttribute('enabled') === 'yes');
  const firmware = efi ? (secureFeature || loader?.getAttribute('secure') === 'yes' ? 'uefi-secure' : 'uefi') : 'bios';
  if (efi) notCarried.push('the UEFI variables (boot entries): the guest starts from a fresh variable store; a system installed on the disk is found again by the firmware\'s fallback boot path');
  if (kid(osEl, 'kernel')) notCarried.push(`direct kernel boot (${text(kid(osEl, 'kernel'))}): add it in the guest's settings if the disk has no boot loader`);

  const devices = kid(dom, 'devices');
  const disks: DraftDisk[] = [];
  const media: ImportDraft['media'] = [];
  for (const d of kids(devices, 'disk')) {
    const device = d.getAttribute('device') || 'disk';
    const src = kid(d, 'source');
    const path = src?.getAttribute('file') || src?.getAttribute('dev') || '';
    const target = kid(d, 'target');
    const where = `<disk> ${target?.getAttribute('dev') || path}`;
    if (!path) {
      if (device !== 'cdrom' && device !== 'floppy') notCarried.push(`${where}: a network or volume disk (${src?.getAttribute('protocol') || src?.getAttribute('volume') || 'no source'}); Guestbay uses image files`);
      continue;
    }
    if (!path.startsWith('/')) throw new ImportError(file, where, `the source "${path}" is not an absolute path`);
    if (device === 'cdrom') {
      media.push({ path, role: /virtio-win/i.test(path) ? 'drivers' : 'install' });
      continue;
    }
    if (device !== 'disk') {
      notCarried.push(`${where}: a ${device}, which Guestbay does not attach`);
      continue;
    }
    const busName = target?.getAttribute('bus') || 'virtio';
    const bus = BUSES[busName];
    if (!bus) notCarried.push(`${where}: the ${busName} bus; attached on SATA instead`);
    disks.push({ path, format: kid(d, 'driver')?.getAttribute('type') || undefined, bus: bus ?? 'sata', readOnly: Boolean(kid(d, 'readonly')) });
  }

  const ifaces = kids(devices, 'interface');
  let network: ImportDraft['network'] = { mode: 'none', portForwards: [] };
  if (ifaces.length) {
    const i = ifaces[0]!;
    const kind = i.getAttribute('type') || 'user';
    const modelName = kid(i, 'model')?.getAttribute('type') || 'virtio';
    const nic = NICS[modelName];
    if (!nic) notCarried.push(`the ${modelName} network card: a virtio one instead`);
    const mac = kid(i, 'mac')?.getAttribute('address')?.toLowerCase() || undefined;
    if (kind === 'bridge') network = { mode: 'bridge', nic, mac, bridge: kid(i, 'source')?.getAttribute('bridge') || undefined, portForwards: [] };
    else {
      network = { mode: 'user', nic, mac, portForwards: [] };
      if (kind !== 'user') notCarried.push(`the ${kind} network${kid(i, 'source')?.getAttribute('network') ? ` "${kid(i, 'source')!.getAttribute('network')}"` : ''}: user networking (NAT, as QEMU provides it) instead`);
    }
    if (ifaces.length > 1) notCarried.push(`${ifaces.length - 1} more network card${ifaces.length > 2 ? 's' : ''}: Guestbay gives a guest one`);
  }

  const shares: ImportDraft['shares'] = [];
  for (const f of kids(devices, 'filesystem')) {
    const dir = kid(f, 'source')?.getAttribute('dir');
    const tag = kid(f, 'target')?.getAttribute('dir');
    if (!dir || !tag || (f.getAttribute('type') || 'mount') !== 'mount') {
      notCarried.push(`a <filesystem> of type ${f.getAttribute('type') || 'mount'} without a host folder`);
      continue;
    }
    shares.push({ hostPath: dir, tag, method: kid(f, 'driver')?.getAttribute('type') === 'virtiofs' ? 'virtiofs' : '9p', readOnly: Boolean(kid(f, 'readonly')) });
  }

  const videoModel = kid(kid(devices, 'video'), 'model')?.getAttribute('type');
  let display: DisplayDevice | undefined;
  if (videoModel) {
    display = VIDEO[videoModel];
    if (!display) notCarried.push(`the ${videoModel} video card: the one Guestbay picks for this OS instead${videoModel === 'qxl' ? ' (QXL belongs to SPICE and needs a QEMU module not every host has)' : ''}`);
  }

  const tpmEl = kid(devices, 'tpm');
  const tpmVersion = kid(tpmEl, 'backend')?.getAttribute('version');
  if (tpmEl && tpmVersion === '1.2') notCarried.push('a TPM 1.2: Guestbay gives TPM 2.0');

  const usb: ImportDraft['usb'] = [];
  for (const h of kids(devices, 'hostdev')) {
    const t = h.getAttribute('type');
    const src = kid(h, 'source');
    if (t === 'usb') {
      const v = kid(src, 'vendor')?.getAttribute('id')?.replace(/^0x/i, '').toLowerCase();
      const p = kid(src, 'product')?.getAttribute('id')?.replace(/^0x/i, '').toLowerCase();
      if (v && p && /^[0-9a-f]{4}$/.test(v) && /^[0-9a-f]{4}$/.test(p)) usb.push({ vendorId: v, productId: p });
      else notCarried.push('a USB device named by its address rather than vendor and product');
    } else {
      const a = kid(src, 'address');
      notCarried.push(`the ${t ?? 'host'} device ${a ? ['domain', 'bus', 'slot', 'function'].map((k) => a.getAttribute(k)?.replace(/^0x/, '')).join(':') : ''}: passthrough is set up in the guest's settings on this host`);
    }
  }

  return {
    source: 'libvirt',
    name,
    title: text(kid(dom, 'title')) || undefined,
    os,
    firmware,
    tpm: Boolean(tpmEl),
    cores,
    memoryMiB,
    machine,
    disks,
    media,
    network,
    display,
    shares,
    usb,
    notCarried,
  };
}
