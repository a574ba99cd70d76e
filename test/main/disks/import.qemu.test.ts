// Import on real qemu-img and QEMU (7.2 here, 10 in the chroot): the virt-install fixtures become
// guests whose command QEMU accepts (started paused, QMP answering), with their disks in place; a
// VirtualBox VDI and a quickemu disk are copied into the guest's folder as qcow2; refusals leave
// nothing behind.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageInfo } from '../../../src/main/images';
import { queryStatus } from '../../../src/main/qemu/qmp/commands';
import type { Supervisor } from '../../../src/main/vm/supervisor';
import { cli } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

const FIX = join(__dirname, '../../fixtures/import');
let w: Awaited<ReturnType<typeof guestWorld>>;
let sup: Supervisor;
let images: string;

/** A virt-install fixture with its disk and share paths moved into this test's folder. */
async function fixture(file: string): Promise<string> {
  const xml = (await readFile(join(FIX, file), 'utf8')).replaceAll('/var/lib/libvirt/images/', `${images}/`).replaceAll('/srv/shared', join(w.home, 'shared'));
  const out = join(w.home, file);
  await writeFile(out, xml);
  return out;
}

async function startsPaused(name: string) {
  await sup.start(name, { accel: 'tcg', headless: true, paused: true });
  try {
    expect((await sup.status(name)).state).toBe('paused');
    expect((await queryStatus(await sup.monitor(name))).status).toBe('prelaunch');
  } finally {
    await sup.stop(name, { force: true });
  }
}

beforeAll(async () => {
  w = await guestWorld('gb-import-');
  sup = w.supervisor();
  images = join(w.home, 'images');
  await mkdir(images);
  await mkdir(join(w.home, 'shared'));
  for (const n of ['debian11', 'win11']) await execa('qemu-img', ['create', '-q', '-f', 'qcow2', join(images, `${n}.qcow2`), '64M']);
});
afterAll(async () => {
  await w.cleanup();
});

describe('libvirt domains made by virt-install', () => {
  it('a Linux guest with a virtiofs share: disk in place, and QEMU accepts its command', async () => {
    const r = await cli(['import', await fixture('libvirt-linux.xml')], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`uses ${images}/debian11.qcow2 where it is`);
    expect(r.stdout).toMatch(/Not carried over:\n {2}- the domain says i686/);
    const c = await w.store.get('debian11');
    expect(c.disks).toEqual([expect.objectContaining({ path: `${images}/debian11.qcow2`, format: 'qcow2', bus: 'virtio' })]);
    expect(c.sharedFolders).toEqual([expect.objectContaining({ tag: 'shared', method: 'virtiofs' })]);
    expect(c.memoryMiB).toBe(2048);
    await startsPaused('debian11');
  });

  it('Windows 11 with Secure Boot and a TPM: QEMU accepts its command', async () => {
    const r = await cli(['import', await fixture('libvirt-win11-secureboot.xml'), '--name', 'w11'], w.env);
    expect(r.code, r.stderr).toBe(0);
    const c = await w.store.get('w11');
    expect(c).toMatchObject({ firmware: 'uefi-secure', tpm: { enabled: true }, os: { family: 'windows', version: '11' } });
    await startsPaused('w11');
  });

  it('refuses a name in use and a missing disk, and writes nothing', async () => {
    const again = await cli(['import', await fixture('libvirt-linux.xml')], w.env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/a guest named "debian11" exists already: choose another name \(--name\)/);
    const missing = await cli(['import', await fixture('libvirt-win10.xml')], w.env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/disk .*win10\.qcow2: the file does not exist/);
    expect((await readdir(w.store.paths.vms)).sort()).toEqual(['debian11', 'w11']);
  });
});

describe('VirtualBox and quickemu', () => {
  it('a .vbox with a VDI: the disk is copied into the guest\'s folder as qcow2', async () => {
    const dir = join(w.home, 'vbox');
    await mkdir(dir);
    await copyFile(join(FIX, 'virtualbox-debian.vbox'), join(dir, 'Debian 12.vbox'));
    await execa('qemu-img', ['create', '-q', '-f', 'vdi', join(dir, 'Debian 12.vdi'), '64M']);
    const r = await cli(['import', join(dir, 'Debian 12.vbox')], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported "Debian-12" from VirtualBox');
    expect(r.stdout).toMatch(/Debian 12\.vdi is vdi: copied into the guest's folder as qcow2/);
    expect(r.stdout).toMatch(/installer disc \/isos\/debian-12\.8\.0-amd64-netinst\.iso does not exist: left out/);
    const c = await w.store.get('Debian-12');
    expect(c.disks[0]).toMatchObject({ path: 'Debian_12.qcow2', format: 'qcow2', bus: 'sata' });
    expect((await imageInfo(join(w.store.dirs('Debian-12').dir, 'Debian_12.qcow2'), { format: 'qcow2' })).virtualSize).toBe(64 * 1024 ** 2);
    expect(c.network.portForwards).toEqual([{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }]);
  });

  it('a quickemu .conf with --copy-disks: its qcow2 copied, the original left', async () => {
    const dir = join(w.home, 'quickemu');
    await mkdir(join(dir, 'ubuntu-24.04'), { recursive: true });
    await copyFile(join(FIX, 'quickemu-ubuntu.conf'), join(dir, 'ubuntu-24.04.conf'));
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'ubuntu-24.04/disk.qcow2'), '32M']);
    const r = await cli(['import', join(dir, 'ubuntu-24.04.conf'), '--copy-disks', '--name', 'ubu'], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`copied ${join(dir, 'ubuntu-24.04/disk.qcow2')} into its folder`);
    const c = await w.store.get('ubu');
    expect(c.disks[0]).toMatchObject({ path: 'disk.qcow2', format: 'qcow2' });
    expect(c.usb.hostDevices).toEqual([{ vendorId: '046d', productId: '082d' }]);
    expect(c.network.mac).toBe('52:54:00:ab:cd:ef');
  });
});
