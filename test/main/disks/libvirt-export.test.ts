// A guest exported as a libvirt domain passes libvirt's own schema check (virt-xml-validate,
// Debian's libvirt-clients), for each preset and for a guest with every device family; what the
// domain cannot carry is said, not dropped.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import type { VmConfig } from '../../../src/shared/vm-config';
import { libvirtDomain } from '../../../src/main/disks/libvirt-export';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-libvirt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(name: string, xml: string): Promise<{ ok: boolean; out: string }> {
  const file = join(dir, `${name}.xml`);
  await writeFile(file, xml);
  const r = await execa('virt-xml-validate', [file, 'domain'], { reject: false, all: true });
  return { ok: r.exitCode === 0, out: r.all ?? '' };
}

const host = { threads: 8, memoryMiB: 16384 };
const VM_DIR = '/home/u/.local/share/guestbay/vms/x';

function everything(): VmConfig {
  const base = buildPreset('linux', { name: 'all-of-it', iso: '/isos/debian.iso', shares: ['/home/u/Shared'], host }).config;
  return parseVmConfig({
    ...base,
    title: 'Every <device> & "quote"',
    firmware: 'uefi-secure',
    accel: 'tcg',
    cpu: { cores: 2, model: 'Haswell-noTSX' },
    disks: [
      ...base.disks,
      { id: 'data', path: '/srv/data.raw', format: 'raw', bus: 'nvme', readOnly: true },
      { id: 'old', path: 'old.qcow2', bus: 'sata' },
      { id: 'scsi', path: 'scsi.qcow2', bus: 'scsi' },
    ],
    sharedFolders: [...base.sharedFolders, { tag: 'ninep', hostPath: '/srv/ninep', method: '9p', readOnly: true }, { tag: 'smb', hostPath: '/srv/smb', method: 'smb' }],
    network: { mode: 'bridge', bridge: 'br0', nic: 'e1000e', mac: '52:54:00:12:34:56', portForwards: [] },
    display: { device: 'qxl', viewer: 'guestbay', window: 'gtk', gl: false, resolution: { width: 1920, height: 1080 } },
    usb: { controller: 'xhci', hostDevices: [{ vendorId: '046d', productId: 'c52b' }] },
    pciDevices: [{ address: '0000:01:00.0' }],
    input: { keyboard: 'virtio', pointer: 'virtio-tablet' },
    audio: { device: 'ac97', backend: 'auto' },
    tpm: { enabled: true },
    kernelBoot: { kernel: '/boot/vmlinuz', initrd: '/boot/initrd.img', append: 'console=ttyS0 root=/dev/vda1' },
    extraArgs: ['-device', 'virtio-rng-pci'],
  });
}

describe('libvirt domain export', () => {
  it.each(['linux', 'windows-10', 'windows-11'])('the %s preset passes virt-xml-validate', async (preset) => {
    const config = buildPreset(preset, { name: `p-${preset}`, iso: '/isos/install.iso', driversIso: preset.startsWith('windows') ? '/isos/virtio-win.iso' : undefined, host }).config;
    const { xml } = libvirtDomain(config, VM_DIR);
    const v = await validate(preset, xml);
    expect(v.ok, `${v.out}\n${xml}`).toBe(true);
    expect(xml).toContain(`<name>p-${preset}</name>`);
    // The disk in place, resolved against the guest's folder.
    expect(xml).toMatch(new RegExp(`<source file='${VM_DIR}/[^']+\\.qcow2'/>`));
  });

  it('windows 11: UEFI with Secure Boot, SMM and a TPM 2.0', () => {
    const { xml } = libvirtDomain(buildPreset('windows-11', { name: 'w11', iso: '/i.iso', host }).config, VM_DIR);
    expect(xml).toMatch(/<os firmware='efi'>/);
    expect(xml).toContain("<feature enabled='yes' name='secure-boot'/>");
    expect(xml).toContain("<smm state='on'/>");
    expect(xml).toMatch(/<tpm model='tpm-crb'>\s*<backend type='emulator' version='2.0'\/>/);
  });

  it('a guest with every device family passes, escapes its text, and lists what is not carried', async () => {
    const { xml, notCarried } = libvirtDomain(everything(), VM_DIR);
    const v = await validate('everything', xml);
    expect(v.ok, `${v.out}\n${xml}`).toBe(true);
    expect(xml).toContain('<title>Every &lt;device&gt; &amp; &quot;quote&quot;</title>');
    expect(xml).toMatch(/<domain type='qemu' xmlns:qemu=/);
    expect(xml).toContain("<qemu:arg value='virtio-rng-pci'/>");
    expect(xml).toContain("<driver type='virtiofs'/>");
    expect(xml).toContain("<access mode='shared'/>");
    expect(xml).toContain("<vendor id='0x046d'/>");
    expect(xml).toContain("<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>");
    expect(xml).toContain(`<source file='${VM_DIR}/old.qcow2'/>`);
    expect(xml).toContain('<cmdline>console=ttyS0 root=/dev/vda1</cmdline>');
    expect(notCarried.join('\n')).toMatch(/UEFI variables/);
    expect(notCarried.join('\n')).toMatch(/disk "data" was on NVMe/);
    expect(notCarried.join('\n')).toMatch(/SMB share "smb"/);
  });

  it('says port forwards are not carried', () => {
    const c = buildPreset('linux', { name: 'fw', iso: '/i.iso', host }).config;
    const { notCarried } = libvirtDomain(parseVmConfig({ ...c, network: { ...c.network, portForwards: [{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }] } }), VM_DIR);
    expect(notCarried).toContainEqual(expect.stringMatching(/port forward tcp 127\.0\.0\.1:2222 → guest 22/));
  });
});
