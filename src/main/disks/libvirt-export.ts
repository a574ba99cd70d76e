// A guest as a libvirt domain (`virsh define` / Proxmox's importer), for people moving it to a
// server. The disks are referenced where they are (copy them with the XML, or edit the paths);
// what libvirt's domain has no place for is listed in `notCarried` instead of being dropped
// silently. Devices are the guest's own choices, with `auto` answered as the launch plan does
// (the OS table), so the guest sees the same hardware and needs no new drivers.
import { osTraits } from '../../shared/os/os-table';
import type { DisplayDevice, DiskBus, NicModel } from '../../shared/vm-choices';
import type { VmConfig } from '../../shared/vm-config';
import { resolveIn } from './guest-files';

export interface LibvirtExport {
  xml: string;
  /** What the domain does not carry over, in words, one line each. */
  notCarried: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** `<tag a='1' b='2'/>` or with children; attributes left undefined are left out. */
function el(tag: string, attrs: Record<string, string | number | undefined> = {}, children?: string[] | string): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}='${esc(String(v))}'`)
    .join('');
  if (children === undefined) return `<${tag}${a}/>`;
  if (typeof children === 'string') return `<${tag}${a}>${esc(children)}</${tag}>`;
  return [`<${tag}${a}>`, ...children.map((c) => c.replace(/^/gm, '  ')), `</${tag}>`].join('\n');
}

const BUS: Record<DiskBus, { bus: string; prefix: string }> = {
  virtio: { bus: 'virtio', prefix: 'vd' },
  sata: { bus: 'sata', prefix: 'sd' },
  ide: { bus: 'ide', prefix: 'hd' },
  // libvirt 9.0 (Debian 12) has no NVMe disk bus; virtio-scsi keeps a modern, fast path.
  nvme: { bus: 'scsi', prefix: 'sd' },
  scsi: { bus: 'scsi', prefix: 'sd' },
  usb: { bus: 'usb', prefix: 'sd' },
};

const NIC: Record<NicModel, string> = { 'virtio-net': 'virtio', e1000e: 'e1000e', e1000: 'e1000', rtl8139: 'rtl8139', vmxnet3: 'vmxnet3' };

const VIDEO: Record<Exclude<DisplayDevice, 'auto' | 'none'>, string> = { 'virtio-vga': 'virtio', 'virtio-gpu': 'virtio', std: 'vga', qxl: 'qxl', 'vmware-svga': 'vmvga', ramfb: 'ramfb' };

function devName(prefix: string, n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return prefix + s;
}

export function libvirtDomain(config: VmConfig, vmDir: string): LibvirtExport {
  const notCarried: string[] = [];
  const os = osTraits(config.os.family, config.os.version);
  const uefi = config.firmware !== 'bios';
  const secure = config.firmware === 'uefi-secure';
  const tcg = config.accel === 'tcg';

  const osChildren = [el('type', { arch: 'x86_64', machine: config.machine }, 'hvm')];
  if (secure) osChildren.push(el('firmware', {}, [el('feature', { enabled: 'yes', name: 'secure-boot' }), el('feature', { enabled: 'yes', name: 'enrolled-keys' })]));
  if (config.kernelBoot) {
    osChildren.push(el('kernel', {}, resolveIn(vmDir, config.kernelBoot.kernel)));
    if (config.kernelBoot.initrd) osChildren.push(el('initrd', {}, resolveIn(vmDir, config.kernelBoot.initrd)));
    if (config.kernelBoot.append) osChildren.push(el('cmdline', {}, config.kernelBoot.append));
  } else {
    osChildren.push(el('boot', { dev: 'hd' }), el('boot', { dev: 'cdrom' }));
  }
  if (uefi) notCarried.push('the UEFI variables (boot entries, enrolled keys): libvirt starts the guest from a fresh copy of its firmware\'s template');

  const features = [el('acpi'), el('apic')];
  if (secure) features.push(el('smm', { state: 'on' }));

  const cpu = config.cpu.model === 'auto' ? (tcg ? el('cpu', { mode: 'maximum' }) : el('cpu', { mode: 'host-passthrough', check: 'none' })) : el('cpu', { mode: 'custom', match: 'exact' }, [el('model', { fallback: 'allow' }, config.cpu.model)]);

  const devices: string[] = [];
  const used = new Map<string, number>();
  const target = (bus: DiskBus) => {
    const b = BUS[bus];
    const n = used.get(b.prefix) ?? 0;
    used.set(b.prefix, n + 1);
    return { dev: devName(b.prefix, n), bus: b.bus };
  };
  for (const d of config.disks) {
    if (d.bus === 'nvme') notCarried.push(`disk "${d.id}" was on NVMe, which libvirt's domain cannot describe: it is on virtio-scsi here (guests with the virtio drivers find it)`);
    devices.push(
      el('disk', { type: 'file', device: 'disk' }, [
        el('driver', { name: 'qemu', type: d.format, cache: d.cache, io: d.aio, discard: d.discard ? 'unmap' : undefined }),
        el('source', { file: resolveIn(vmDir, d.path) }),
        el('target', target(d.bus)),
        ...(d.readOnly ? [el('readonly')] : []),
      ]),
    );
  }
  for (const m of config.media) {
    if (m.format === 'dmg') {
      notCarried.push(`the ${m.role} image ${m.path}: libvirt has no dmg format`);
      continue;
    }
    devices.push(
      el('disk', { type: 'file', device: m.as === 'cdrom' ? 'cdrom' : 'disk' }, [
        el('driver', { name: 'qemu', type: m.format }),
        // An empty CD/DVD drive is a drive without a source, as libvirt writes it.
        ...(m.path === undefined ? [] : [el('source', { file: resolveIn(vmDir, m.path) })]),
        el('target', target(m.bus)),
        el('readonly'),
      ]),
    );
  }
  if (config.disks.some((d) => d.bus === 'scsi' || d.bus === 'nvme')) devices.push(el('controller', { type: 'scsi', model: 'virtio-scsi' }));
  if (config.usb.controller !== 'none') devices.push(el('controller', { type: 'usb', model: config.usb.controller === 'xhci' ? 'qemu-xhci' : 'ich9-ehci1' }));

  const net = config.network;
  if (net.mode !== 'none') {
    const children = [...(net.mac ? [el('mac', { address: net.mac })] : []), ...(net.mode === 'bridge' ? [el('source', { bridge: net.bridge ?? 'br0' })] : []), el('model', { type: NIC[net.nic] })];
    devices.push(el('interface', { type: net.mode === 'bridge' ? 'bridge' : 'user' }, children));
    for (const f of net.portForwards) notCarried.push(`port forward ${f.protocol} ${f.hostAddress}:${f.hostPort} → guest ${f.guestPort}: libvirt's user networking forwards ports only through passt; add it on the server`);
  }

  const video = config.display.device === 'auto' ? os.display : config.display.device;
  if (video !== 'none') {
    devices.push(el('graphics', { type: 'vnc', autoport: 'yes', listen: '127.0.0.1' }, [el('listen', { type: 'address', address: '127.0.0.1' })]));
    const res = config.display.resolution;
    devices.push(el('video', {}, [el('model', { type: VIDEO[video], primary: 'yes' }, res ? [el('resolution', { x: res.width, y: res.height })] : [])]));
  }
  const pointer = config.input.pointer;
  devices.push(el('input', { type: pointer === 'ps2-mouse' ? 'mouse' : 'tablet', bus: pointer === 'usb-tablet' ? 'usb' : pointer === 'virtio-tablet' ? 'virtio' : 'ps2' }));
  devices.push(el('input', { type: 'keyboard', bus: config.input.keyboard }));

  const audio = config.audio.device === 'auto' ? 'hda' : config.audio.device;
  if (audio === 'hda') devices.push(el('sound', { model: config.machine === 'q35' ? 'ich9' : 'ich6' }));
  else if (audio === 'ac97') devices.push(el('sound', { model: 'ac97' }));
  else if (audio === 'virtio-sound') notCarried.push('virtio-sound: libvirt 9.0 has no such sound model; add an ich9 sound device on the server if you need one');

  let sharedMemory = false;
  for (const s of config.sharedFolders) {
    if (s.method === 'smb') {
      notCarried.push(`the SMB share "${s.tag}" (${s.hostPath}): QEMU's built-in SMB server has no libvirt equivalent; share it with Samba on the server`);
      continue;
    }
    if (s.method === 'virtiofs') sharedMemory = true;
    devices.push(
      el('filesystem', { type: 'mount', accessmode: s.method === 'virtiofs' ? 'passthrough' : 'mapped' }, [
        ...(s.method === 'virtiofs' ? [el('driver', { type: 'virtiofs' })] : []),
        el('source', { dir: s.hostPath }),
        el('target', { dir: s.tag }),
        ...(s.readOnly ? [el('readonly')] : []),
      ]),
    );
  }
  if (config.tpm.enabled) devices.push(el('tpm', { model: 'tpm-crb' }, [el('backend', { type: 'emulator', version: '2.0' })]));
  for (const u of config.usb.hostDevices) {
    // libvirt's USB hostdev finds a device by vendor:product or by bus and device number, not by port.
    if (u.port) {
      notCarried.push(`USB port ${u.port.bus}-${u.port.path}: libvirt passes USB devices by vendor:product or bus/device number, not by port; add the device on the server`);
      continue;
    }
    devices.push(el('hostdev', { mode: 'subsystem', type: 'usb', managed: 'yes' }, [el('source', {}, [el('vendor', { id: `0x${u.vendorId}` }), el('product', { id: `0x${u.productId}` })])]));
  }
  for (const p of config.pciDevices) {
    const [domain, bus, slotFn] = p.address.split(':') as [string, string, string];
    const [slot, fn] = slotFn.split('.') as [string, string];
    devices.push(
      el('hostdev', { mode: 'subsystem', type: 'pci', managed: 'yes' }, [
        el('source', {}, [el('address', { domain: `0x${domain}`, bus: `0x${bus}`, slot: `0x${slot}`, function: `0x${fn}` })]),
        ...(p.romFile ? [el('rom', { file: p.romFile })] : []),
      ]),
    );
  }
  devices.push(el('serial', { type: 'pty' }, [el('target', { port: 0 })]), el('console', { type: 'pty' }, [el('target', { type: 'serial', port: 0 })]));
  devices.push(el('memballoon', { model: 'none' }));

  if (config.macos) notCarried.push('the macOS identity and OpenCore set-up: libvirt does not make Macs; keep the guest in Guestbay');
  // The Guestbay folder is Guestbay's own setting, added at each start (plan/guestbay-folder.ts).
  if (config.guestbayFolder) notCarried.push('the Guestbay folder (the share tagged "guestbay", whose place Guestbay\'s settings hold): add that folder as a filesystem of the domain if the guest should keep it');
  if (config.base) notCarried.push('the read-only base flag: libvirt has no such notion (the disk files stay read-only)');

  const top = [
    el('name', {}, config.name),
    ...(config.title ? [el('title', {}, config.title)] : []),
    el('description', {}, `Exported by Guestbay (${config.os.family} ${config.os.version})`),
    el('memory', { unit: 'MiB' }, String(config.memoryMiB)),
    el('currentMemory', { unit: 'MiB' }, String(config.memoryMiB)),
    ...(sharedMemory ? [el('memoryBacking', {}, [el('source', { type: 'memfd' }), el('access', { mode: 'shared' })])] : []),
    el('vcpu', { placement: 'static' }, String(config.cpu.cores)),
    el('os', uefi ? { firmware: 'efi' } : {}, osChildren),
    el('features', {}, features),
    cpu,
    el('clock', { offset: config.os.family === 'windows' ? 'localtime' : 'utc' }),
    el('on_poweroff', {}, 'destroy'),
    el('on_reboot', {}, 'restart'),
    el('on_crash', {}, 'destroy'),
    el('devices', {}, devices),
  ];
  // Arguments Guestbay passes as they are: libvirt's QEMU namespace does the same.
  const extra = config.extraArgs.length ? [el('qemu:commandline', {}, config.extraArgs.map((a) => el('qemu:arg', { value: a })))] : [];
  const attrs: Record<string, string> = { type: tcg ? 'qemu' : 'kvm' };
  if (extra.length) attrs['xmlns:qemu'] = 'http://libvirt.org/schemas/domain/qemu/1.0';
  return { xml: `${el('domain', attrs, [...top, ...extra])}\n`, notCarried };
}
