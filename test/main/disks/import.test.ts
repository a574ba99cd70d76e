// Reading other managers' files (test/fixtures/import/): libvirt domains made by virt-install
// itself (make-libvirt.sh), quickemu .conf and VirtualBox .vbox files written from their
// documentation, and broken ones, each refused with where and why.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSource, guestNameFrom, ImportError, parseImportFile } from '../../../src/main/disks/import';

const DIR = join(__dirname, '../../fixtures/import');
const read = async (f: string) => parseImportFile(join(DIR, f), await readFile(join(DIR, f), 'utf8'));
const refusal = async (f: string) => {
  const e = await read(f).then(
    () => null,
    (x: Error) => x,
  );
  expect(e).toBeInstanceOf(ImportError);
  return e!.message;
};

describe('libvirt domains (virt-install --print-xml)', () => {
  it('a Linux guest: memory, cores, its virtio disk in place, user networking with its MAC, a virtiofs share', async () => {
    const d = await read('libvirt-linux.xml');
    expect(d).toMatchObject({ source: 'libvirt', name: 'debian11', os: { family: 'linux' }, firmware: 'bios', tpm: false, cores: 2, memoryMiB: 2048 });
    // virt-install's test driver writes no <driver type>: the importer reads the file's format then.
    expect(d.disks).toEqual([{ path: '/var/lib/libvirt/images/debian11.qcow2', format: undefined, bus: 'virtio', readOnly: false }]);
    expect(d.network).toMatchObject({ mode: 'user', nic: 'virtio-net', mac: expect.stringMatching(/^00:16:3e:/) });
    expect(d.shares).toEqual([{ hostPath: '/srv/shared', tag: 'shared', method: 'virtiofs', readOnly: false }]);
    expect(d.display).toBe('std');
    expect(d.notCarried.join('\n')).toMatch(/i686/);
  });

  it('Windows 10: its OS from libosinfo, a SATA disk, an e1000e card; QXL left to the OS\'s choice', async () => {
    const d = await read('libvirt-win10.xml');
    expect(d).toMatchObject({ os: { family: 'windows', version: '10' }, firmware: 'bios', cores: 2, memoryMiB: 4096, display: undefined });
    expect(d.notCarried.join('\n')).toMatch(/the qxl video card: the one Guestbay picks for this OS instead/);
    expect(d.disks[0]).toMatchObject({ bus: 'sata', path: '/var/lib/libvirt/images/win10.qcow2' });
    expect(d.network.nic).toBe('e1000e');
  });

  it('Windows 11 with Secure Boot: UEFI with Secure Boot and a TPM; the variables said not carried', async () => {
    const d = await read('libvirt-win11-secureboot.xml');
    expect(d).toMatchObject({ os: { family: 'windows', version: '11' }, firmware: 'uefi-secure', tpm: true, cores: 4, memoryMiB: 4096 });
    expect(d.notCarried.join('\n')).toMatch(/UEFI variables/);
  });

  it('refuses broken domains, saying where', async () => {
    expect(await refusal('libvirt-broken-xml.xml')).toMatch(/libvirt-broken-xml\.xml: XML: not well-formed XML/);
    expect(await refusal('libvirt-broken-noname.xml')).toMatch(/<name>: the domain has no name/);
    expect(await refusal('libvirt-broken-arch.xml')).toMatch(/<os><type arch>: Guestbay runs x86_64 guests; this one is aarch64/);
  });
});

describe('quickemu .conf (written from its documentation)', () => {
  it('a Linux guest: paths relative to the file, RAM and cores, forwards on 127.0.0.1, USB, MAC; unknown keys listed', async () => {
    const d = await read('quickemu-ubuntu.conf');
    expect(d).toMatchObject({ source: 'quickemu', name: 'ubuntu-24.04', os: { family: 'linux' }, firmware: 'uefi', cores: 2, memoryMiB: 4096 });
    expect(d.disks).toEqual([{ path: join(DIR, 'ubuntu-24.04/disk.qcow2'), format: 'qcow2', bus: 'virtio' }]);
    expect(d.media).toEqual([{ path: join(DIR, 'ubuntu-24.04/ubuntu-24.04-desktop-amd64.iso'), role: 'install' }]);
    expect(d.network).toEqual({ mode: 'user', mac: '52:54:00:ab:cd:ef', portForwards: [{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }, { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestPort: 80 }] });
    expect(d.usb).toEqual([{ vendorId: '046d', productId: '082d' }]);
    expect(d.notCarried.join('\n')).toMatch(/display \(line \d+\): not a setting Guestbay reads/);
  });

  it('Windows 11: TPM and Secure Boot, the driver disc from fixed_iso', async () => {
    const d = await read('quickemu-windows-11.conf');
    expect(d).toMatchObject({ os: { family: 'windows', version: '11' }, firmware: 'uefi-secure', tpm: true, cores: 4, memoryMiB: 8192 });
    expect(d.media.map((m) => m.role)).toEqual(['install', 'drivers']);
  });

  it('never runs the file, and refuses values it cannot read', async () => {
    expect(await refusal('quickemu-broken-shell.conf')).toMatch(/line 3: it needs a shell to expand/);
    expect(await refusal('quickemu-broken-ports.conf')).toMatch(/port_forwards: "22-2222" is not HOST:GUEST ports/);
    expect(() => parseImportFile('/x/a.conf', 'guest_os="linux"\n')).toThrow(/disk_img: missing/);
  });
});

describe('VirtualBox .vbox (written from its documentation)', () => {
  it('a Debian guest: the VDI beside the file on SATA, EFI, NAT forwards, MAC, shares, USB filters', async () => {
    const d = await read('virtualbox-debian.vbox');
    expect(d).toMatchObject({ source: 'virtualbox', name: 'Debian 12', os: { family: 'linux' }, firmware: 'uefi', cores: 2, memoryMiB: 2048, display: 'vmware-svga' });
    expect(d.disks).toEqual([{ path: join(DIR, 'Debian 12.vdi'), format: 'vdi', bus: 'sata' }]);
    expect(d.media).toEqual([{ path: '/isos/debian-12.8.0-amd64-netinst.iso', role: 'install' }]);
    expect(d.network).toEqual({ mode: 'user', nic: 'e1000', mac: '08:00:27:a1:b2:c3', portForwards: [{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }] });
    expect(d.shares).toEqual([{ hostPath: '/tmp', tag: 'work', method: 'virtiofs', readOnly: false }]);
    expect(d.usb).toEqual([{ vendorId: '046d', productId: '082d' }]);
  });

  it('refuses a disk that is a VirtualBox snapshot, saying what to do', async () => {
    expect(await refusal('virtualbox-broken-snapshot.vbox')).toMatch(/is a differencing image \(a VirtualBox snapshot\).*delete the snapshots or clone the machine in VirtualBox first/);
  });
});

describe('which format a file is', () => {
  it('is read from its content first, then its name; anything else is refused', () => {
    expect(detectSource('/a.txt', '<?xml version="1.0"?>\n<domain type="kvm">')).toBe('libvirt');
    expect(detectSource('/a.xml', '<?xml version="1.0"?>\n<!-- c -->\n<VirtualBox>')).toBe('virtualbox');
    expect(detectSource('/a', '#!/usr/bin/quickemu --vm\nguest_os="linux"')).toBe('quickemu');
    expect(() => detectSource('/a.txt', 'hello')).toThrow(/neither libvirt domain XML/);
    expect(guestNameFrom('Debian 12 (copy)')).toBe('Debian-12-copy-');
  });
});
