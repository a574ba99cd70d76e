// VirtualBox `.vbox` machine files → ImportDraft. Elements and attributes as VirtualBox's
// settings reference (VirtualBox-settings.xsd, settings format 1.16–1.19) names them; disks are
// relative to the .vbox file's folder unless absolute. Differencing images (VirtualBox
// snapshots) are refused: QEMU cannot read them as a chain.
import { DOMParser } from '@xmldom/xmldom';
import { dirname, isAbsolute, join } from 'node:path';
import type { DiskBus, DisplayDevice, NicModel } from '../../../shared/vm-choices';
import { ImportError, type DraftDisk, type ImportDraft } from './draft';

const all = (e: Element | Document | null | undefined, tag: string): Element[] => (e ? Array.from((e as Element).getElementsByTagName(tag)) : []);
const one = (e: Element | Document | null | undefined, tag: string): Element | undefined => all(e, tag)[0];

const CONTROLLERS: Record<string, DiskBus> = { AHCI: 'sata', PIIX3: 'ide', PIIX4: 'ide', ICH6: 'ide', LsiLogic: 'scsi', BusLogic: 'scsi', LsiLogicSas: 'scsi', VirtioSCSI: 'scsi', NVMe: 'nvme', USB: 'usb' };
const ADAPTERS: Record<string, NicModel> = { '82540EM': 'e1000', '82543GC': 'e1000', '82545EM': 'e1000', virtio: 'virtio-net' };
const DISPLAYS: Record<string, DisplayDevice> = { VMSVGA: 'vmware-svga', VBoxSVGA: 'std', VBoxVGA: 'std' };
const FORMATS: Record<string, string> = { VDI: 'vdi', VMDK: 'vmdk', VHD: 'vpc', RAW: 'raw', Parallels: 'parallels', QCOW: 'qcow', QED: 'qed' };

export function parseVbox(xml: string, file: string): ImportDraft {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: (m) => errors.push(m), error: (m) => errors.push(m), fatalError: (m) => errors.push(m) } }).parseFromString(xml, 'text/xml');
  if (errors.length || !doc?.documentElement) throw new ImportError(file, 'XML', `not well-formed XML (${(errors[0] ?? 'empty').split('\n')[0]?.replace(/^\[xmldom [a-z]+\]\s*/i, '')})`);
  const root = doc.documentElement as unknown as Element;
  if (root.tagName !== 'VirtualBox') throw new ImportError(file, 'XML', `a VirtualBox machine file starts with <VirtualBox>, this one with <${root.tagName}>`);
  const machine = one(root, 'Machine');
  if (!machine) throw new ImportError(file, '<Machine>', 'missing: this .vbox file describes no machine');
  const name = machine.getAttribute('name');
  if (!name) throw new ImportError(file, '<Machine name>', 'the machine has no name');
  const here = dirname(file);
  const abs = (p: string) => (isAbsolute(p) ? p : join(here, p));
  const notCarried: string[] = [];

  const osType = machine.getAttribute('OSType') || 'Other';
  const win = /^Windows(\d+)/.exec(osType);
  const os: ImportDraft['os'] = win ? { family: 'windows', version: win[1] === '11' ? '11' : '10' } : /^(Linux|Ubuntu|Debian|Fedora|ArchLinux|RedHat|OpenSUSE|Gentoo|Mandriva|Oracle|Turbolinux|Xandros)/.test(osType) ? { family: 'linux', version: 'generic' } : { family: 'other', version: 'generic' };
  if (win && win[1] !== '10' && win[1] !== '11') notCarried.push(`OSType ${osType}: Guestbay treats it as Windows 10 (its devices and drivers)`);
  if (/^MacOS/.test(osType)) notCarried.push(`OSType ${osType}: Guestbay makes Macs with its own setup (guestbay macos prepare); imported as "other"`);

  const hw = one(machine, 'Hardware');
  const cores = Number(one(hw, 'CPU')?.getAttribute('count') || '1');
  if (!Number.isInteger(cores) || cores < 1) throw new ImportError(file, '<CPU count>', `"${one(hw, 'CPU')?.getAttribute('count')}" is not a number of processors`);
  const ramAttr = one(hw, 'Memory')?.getAttribute('RAMSize');
  const memoryMiB = Number(ramAttr);
  if (!ramAttr || !Number.isInteger(memoryMiB) || memoryMiB < 1) throw new ImportError(file, '<Memory RAMSize>', `"${ramAttr ?? ''}" is not a memory size in MiB`);

  const fwType = one(hw, 'Firmware')?.getAttribute('type') || 'BIOS';
  const efi = /^EFI/.test(fwType);
  // VirtualBox keeps Secure Boot's state in its NVRAM file, which Guestbay does not read: on for
  // Windows 11, which requires it.
  const firmware = efi ? (os.family === 'windows' && os.version === '11' ? 'uefi-secure' : 'uefi') : 'bios';
  if (efi) notCarried.push('the UEFI variables in VirtualBox\'s NVRAM file: the guest starts from a fresh store; an installed system is found by the firmware\'s fallback boot path');
  const tpmType = one(hw, 'TrustedPlatformModule')?.getAttribute('type');
  const tpm = Boolean(tpmType && tpmType !== 'None');
  if (tpmType === 'v1_2') notCarried.push('a TPM 1.2: Guestbay gives TPM 2.0');

  // The media registry: uuid → file and format; a HardDisk nested in another is a differencing image.
  const hardDisks = new Map<string, { location: string; format: string; child: boolean }>();
  for (const h of all(one(machine, 'MediaRegistry'), 'HardDisk')) {
    const parent = h.parentNode as Element | null;
    hardDisks.set(h.getAttribute('uuid') || '', { location: h.getAttribute('location') || '', format: h.getAttribute('format') || 'VDI', child: parent?.tagName === 'HardDisk' });
  }
  const dvds = new Map<string, string>();
  for (const i of all(one(one(machine, 'MediaRegistry'), 'DVDImages'), 'Image')) dvds.set(i.getAttribute('uuid') || '', i.getAttribute('location') || '');

  const disks: DraftDisk[] = [];
  const media: ImportDraft['media'] = [];
  for (const c of all(machine, 'StorageController')) {
    const type = c.getAttribute('type') || '';
    let bus = CONTROLLERS[type];
    if (!bus) {
      notCarried.push(`the ${type} storage controller "${c.getAttribute('name')}": its disks go on SATA`);
      bus = 'sata';
    }
    for (const a of all(c, 'AttachedDevice')) {
      const uuid = one(a, 'Image')?.getAttribute('uuid') || '';
      const where = `<AttachedDevice> on "${c.getAttribute('name')}" port ${a.getAttribute('port') || '0'}`;
      if (a.getAttribute('type') === 'HardDisk') {
        const h = hardDisks.get(uuid);
        if (!h) throw new ImportError(file, where, `the disk ${uuid} is not in the machine's media registry`);
        if (h.child) throw new ImportError(file, where, `${h.location} is a differencing image (a VirtualBox snapshot), which QEMU cannot read with its parent: delete the snapshots or clone the machine in VirtualBox first`);
        const format = FORMATS[h.format] ?? h.format.toLowerCase();
        disks.push({ path: abs(h.location), format, bus });
      } else if (a.getAttribute('type') === 'DVD') {
        const loc = dvds.get(uuid);
        if (loc) media.push({ path: abs(loc), role: /virtio-win/i.test(loc) ? 'drivers' : 'install' });
        else if (uuid) notCarried.push(`${where}: the host's optical drive or VirtualBox's Guest Additions disc`);
      } else notCarried.push(`${where}: a ${a.getAttribute('type') || 'device'}, which Guestbay does not attach`);
    }
  }
  if (!disks.length) throw new ImportError(file, '<StorageControllers>', 'the machine has no hard disk attached');

  const adapters = all(one(hw, 'Network'), 'Adapter').filter((a) => a.getAttribute('enabled') === 'true');
  let network: ImportDraft['network'] = { mode: 'none', portForwards: [] };
  if (adapters.length) {
    const a = adapters[0]!;
    const type = a.getAttribute('type') || '82540EM';
    const nic = ADAPTERS[type];
    if (!nic) notCarried.push(`the ${type} network card: an e1000 one instead`);
    const macRaw = a.getAttribute('MACAddress') || '';
    const mac = /^[0-9A-Fa-f]{12}$/.test(macRaw) ? macRaw.toLowerCase().replace(/(..)(?!$)/g, '$1:') : undefined;
    const portForwards: ImportDraft['network']['portForwards'] = [];
    for (const f of all(one(a, 'NAT'), 'Forwarding')) {
      const hostPort = Number(f.getAttribute('hostport'));
      const guestPort = Number(f.getAttribute('guestport'));
      if (!(hostPort >= 1 && hostPort <= 65535 && guestPort >= 1 && guestPort <= 65535)) throw new ImportError(file, `<Forwarding name="${f.getAttribute('name') || ''}">`, 'its ports are not 1–65535');
      const hostip = f.getAttribute('hostip') || '127.0.0.1';
      portForwards.push({ protocol: f.getAttribute('proto') === '0' ? 'udp' : 'tcp', hostAddress: /^\d+\.\d+\.\d+\.\d+$/.test(hostip) ? hostip : '127.0.0.1', hostPort, guestPort });
    }
    const bridged = one(a, 'BridgedInterface');
    if (one(a, 'NAT') || (!bridged && !one(a, 'HostOnlyInterface') && !one(a, 'InternalNetwork'))) network = { mode: 'user', nic: nic ?? 'e1000', mac, portForwards };
    else if (bridged) {
      network = { mode: 'user', nic: nic ?? 'e1000', mac, portForwards: [] };
      notCarried.push(`bridged to ${bridged.getAttribute('name') || 'a host interface'}: VirtualBox bridges to a network card, Guestbay to a bridge (br0): user networking until one is chosen in the guest's settings`);
    } else {
      network = { mode: 'user', nic: nic ?? 'e1000', mac, portForwards: [] };
      notCarried.push('a host-only or internal network: user networking instead');
    }
    if (adapters.length > 1) notCarried.push(`${adapters.length - 1} more network card${adapters.length > 2 ? 's' : ''}: Guestbay gives a guest one`);
  }

  const ctrl = one(hw, 'Display')?.getAttribute('controller') || one(hw, 'GraphicsAdapter')?.getAttribute('graphicsControllerType');
  const display = ctrl ? DISPLAYS[ctrl] : undefined;

  const shares: ImportDraft['shares'] = [];
  for (const s of all(one(hw, 'SharedFolders'), 'SharedFolder')) {
    const hostPath = s.getAttribute('hostPath');
    const tag = (s.getAttribute('name') || '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 31);
    if (!hostPath || !tag) continue;
    shares.push({ hostPath, tag, method: os.family === 'windows' ? 'smb' : 'virtiofs', readOnly: s.getAttribute('writable') === 'false' });
  }
  if (shares.length) notCarried.push(`shared folders are served by ${os.family === 'windows' ? 'SMB' : 'virtiofs'} instead of VirtualBox's Guest Additions; mount them in the guest again`);

  const usb: ImportDraft['usb'] = [];
  for (const f of all(one(hw, 'USB'), 'DeviceFilter')) {
    const v = f.getAttribute('vendorId')?.toLowerCase() || undefined;
    const p = f.getAttribute('productId')?.toLowerCase() || undefined;
    if (f.getAttribute('active') !== 'false' && v && p && /^[0-9a-f]{4}$/.test(v) && /^[0-9a-f]{4}$/.test(p)) usb.push({ vendorId: v, productId: p });
    else notCarried.push(`the USB filter "${f.getAttribute('name') || ''}": Guestbay passes devices by exact vendor and product`);
  }
  if (all(machine, 'Snapshot').length) notCarried.push('VirtualBox snapshots: the guest is imported as it is now');

  return { source: 'virtualbox', name, os, firmware, tpm, cores, memoryMiB, machine: 'q35', disks, media, network, display, shares, usb, notCarried };
}
