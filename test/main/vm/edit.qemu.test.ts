// Changing a guest after creation, seen from inside the tiny test guest (issue 14): settings
// changed while it is stopped reach it at its next start (memory, a new disk, a shared folder),
// what cannot change live is shown as pending, and on the
// running guest a disc is inserted and ejected, a port forward is added and removed, a USB disk
// is plugged and unplugged, a USB host device that is not there is refused with QEMU's
// reason, and a USB port is passed (QEMU waits on it) and taken back. One boot serves the whole file.
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveMedium, guestUsbDevices, peripheralIds } from '../../../src/main/qemu/qmp/commands';
import { readLiveConfig } from '../../../src/main/vm/edit/pending';
import type { EventMessage, Reply } from '../../../src/shared/contract';
import { ensureTestGuest } from '../../guest/guest';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

let w: Awaited<ReturnType<typeof apiWorld>>;
const events: EventMessage[] = [];
beforeAll(async () => {
  w = await apiWorld('gb-edit-q-');
  w.api.onEvent((m) => events.push(m));
});
afterAll(async () => {
  await w.supervisor.stop('ed', { force: true }).catch(() => {});
  await w.cleanup();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`);
  return r.output;
}
function failed(r: Reply) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
}
const serial = () =>
  events
    .filter((e) => e.event === 'serial.data')
    .map((e) => (e.payload as { data: string }).data)
    .join('');
const lines = (prefix: string) => serial().split(/\r?\n/).filter((l) => l.startsWith(prefix));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function httpGet(port: number, timeoutMs = 5000): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(timeoutMs) });
  return (await res.text()).trim();
}

describe('a guest changed after creation', () => {
  it('while stopped: memory and a new disk show in the command, and the guest sees them when started', async () => {
    const g = await ensureTestGuest();
    ok(
      await w.call('guests.create', {
        preset: 'linux',
        name: 'ed',
        diskSize: '64M',
        kernel: g.kernel,
        initrd: g.initrd,
        append: 'console=ttyS0 quiet panic=-1',
        overrides: { memoryMiB: 256, cores: 1, display: 'std' },
      }),
    );
    const shared = join(w.home, 'shared');
    await execa('mkdir', ['-p', shared]);
    await writeFile(join(shared, 'hello.txt'), 'hello from the host\n');
    const set = ok(await w.call('guests.set', { name: 'ed', assignments: ['memory=400M', 'disk+=48M', `share+=${shared},tag=gbshare`] }));
    expect(set.config.memoryMiB).toBe(400);
    expect(set.config.disks.map((d: { id: string }) => d.id)).toEqual(['system', 'data']);
    // An empty CD drive on virtio-scsi (the cloud kernel has no AHCI), and the kernel line that
    // has the test guest mount the share, through the guest page's call.
    const { config, revision } = ok(await w.call('guests.get', { name: 'ed' }));
    const kernelBoot = { ...config.kernelBoot, append: `${config.kernelBoot.append} gb.virtiofs=gbshare` };
    ok(await w.call('guests.update', { name: 'ed', revision, config: { ...config, kernelBoot, media: [{ id: 'cd0', role: 'install', format: 'raw', as: 'cdrom', bus: 'scsi' }] } }));

    const cmd = ok(await w.call('guests.cmdline', { name: 'ed' })).command as string;
    expect(cmd).toContain('-m 400M');
    expect(cmd).toMatch(/data\.qcow2/);
    expect(cmd).toMatch(/scsi-cd,.*id=media-cd0/);

    ok(await w.call('guests.start', { name: 'ed', headless: true }));
    ok(await w.call('serial.open', { name: 'ed' }));
    await expect.poll(() => lines('GB:READY').length, { timeout: 120_000, interval: 500 }).toBe(1);
    // MemTotal is a little under what the guest was given: well above the 256 MiB it was made with.
    const memKiB = Number(lines('GB:MEM ')[0]!.split(' ')[1]);
    expect(memKiB).toBeGreaterThan(300 * 1024);
    expect(memKiB).toBeLessThanOrEqual(400 * 1024);
    // The system disk and the new one (virtio-blk, in the order of the config).
    expect(lines('GB:DISK ')).toEqual(['GB:DISK vda 67108864', 'GB:DISK vdb 50331648']);
    // The shared folder added while it was stopped.
    expect(lines('GB:SHARE-')).toEqual(expect.arrayContaining(['GB:SHARE-READ gbshare hello from the host', 'GB:SHARE-WROTE gbshare']));
    expect(serial()).not.toMatch(/GB:MODULE-ERROR/);
  });

  it('while running: what cannot change live waits for the next start, shown as both commands', async () => {
    const r = ok(await w.call('guests.set', { name: 'ed', assignments: ['memory=512M'] }));
    expect(r.appliedLive).toEqual([]);
    expect(r.pending.changes).toEqual([expect.objectContaining({ field: 'memoryMiB' })]);
    expect(r.pending.running).toContain('-m 400M');
    expect(r.pending.next).toContain('-m 512M');
    const changedLines = r.pending.lines.filter((l: { op: string }) => l.op !== 'same').map((l: { op: string; text: string }) => `${l.op} ${l.text.trim()}`);
    expect(changedLines).toEqual(expect.arrayContaining([expect.stringMatching(/^removed -m 400M/), expect.stringMatching(/^added -m 512M/)]));
    expect(ok(await w.call('guests.pending', { name: 'ed' }))).toEqual(r.pending);
    // Back as it runs: nothing waits.
    expect(ok(await w.call('guests.set', { name: 'ed', assignments: ['memory=400M'] })).pending).toBeNull();
  });

  it('while running: a disc inserted in the CD drive is read by the guest; ejected, it is gone, and vm.json follows', async () => {
    const dir = join(w.home, 'iso');
    await execa('mkdir', ['-p', dir]);
    await writeFile(join(dir, 'marker.txt'), 'inserted-while-running\n');
    const iso = join(w.home, 'disc.iso');
    await execa('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'GBTEST', '-o', iso, dir]);

    const r = ok(await w.call('guests.media.insert', { name: 'ed', drive: 'cd0', path: iso }));
    expect(r.appliedLive).toEqual([expect.stringContaining(iso)]);
    expect(r.config.media[0].path).toBe(iso);
    await expect.poll(() => lines('GB:CD '), { timeout: 60_000, interval: 500 }).toContain('GB:CD inserted-while-running');
    const qmp = await w.supervisor.monitor('ed');
    expect((await driveMedium(qmp, 'media-cd0')).file).toBe(iso);

    const e = ok(await w.call('guests.media.eject', { name: 'ed', drive: 'cd0' }));
    expect(e.appliedLive).toHaveLength(1);
    expect(e.config.media[0].path).toBeUndefined();
    await expect.poll(() => lines('GB:CD '), { timeout: 60_000, interval: 500 }).toContain('GB:CD none');
    expect((await driveMedium(qmp, 'media-cd0')).file).toBeNull();
    expect(ok(await w.call('guests.get', { name: 'ed' })).config.media[0].path).toBeUndefined();

    // From another process (the CLI re-attaches to the guest this API started): at once too.
    await writeFile(join(dir, 'marker.txt'), 'inserted-by-the-cli\n');
    const iso2 = join(w.home, 'disc2.iso');
    await execa('xorriso', ['-as', 'mkisofs', '-quiet', '-o', iso2, dir]);
    const c = await cli(['media', 'ed', 'insert', iso2], w.env, w.home);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(`Inserted ${iso2}`);
    await expect.poll(() => lines('GB:CD '), { timeout: 60_000, interval: 500 }).toContain('GB:CD inserted-by-the-cli');
    expect((await driveMedium(qmp, 'media-cd0')).file).toBe(iso2);
  });

  it('while running: a port forward added reaches the guest\'s web server from the host, not while the link is down; removed, it is closed', async () => {
    const port = await freePort();
    await expect(httpGet(port)).rejects.toThrow();
    const r = ok(await w.call('guests.forwards.add', { name: 'ed', forward: { protocol: 'tcp', hostPort: port, guestPort: 8080 } }));
    expect(r.appliedLive).toHaveLength(1);
    expect(r.config.network.portForwards).toEqual([{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: port, guestPort: 8080 }]);
    expect(r.pending).toBeNull();
    expect(await httpGet(port)).toBe('GB-HTTP-OK');

    // The network cable pulled (set_link): the forward reaches nothing; plugged back, it does again.
    expect(ok(await w.call('guests.link', { name: 'ed', up: false }))).toEqual({ up: false });
    await expect(httpGet(port, 2000)).rejects.toThrow();
    expect(ok(await w.call('guests.link', { name: 'ed', up: true }))).toEqual({ up: true });
    await expect.poll(() => httpGet(port).catch(() => 'no answer'), { timeout: 30_000, interval: 500 }).toBe('GB-HTTP-OK');

    ok(await w.call('guests.forwards.remove', { name: 'ed', protocol: 'tcp', hostPort: port }));
    await expect(httpGet(port)).rejects.toThrow();
    expect(ok(await w.call('guests.get', { name: 'ed' })).config.network.portForwards).toEqual([]);
  });

  it('while running: a USB disk on a file is plugged in and unplugged; a host device that is not there gets QEMU\'s reason', async () => {
    const img = join(w.home, 'stick.img');
    await writeFile(img, Buffer.alloc(1024 * 1024));
    const qmp = await w.supervisor.monitor('ed');
    const added = ok(await w.call('guests.disks.add', { name: 'ed', disk: { path: img, format: 'raw', bus: 'usb' } }));
    expect(added.appliedLive).toHaveLength(1);
    const id = added.id as string;
    expect(await peripheralIds(qmp)).toContain(`disk-${id}`);
    expect(await guestUsbDevices(qmp)).toEqual(expect.arrayContaining([expect.objectContaining({ id: `disk-${id}` })]));

    const removed = ok(await w.call('guests.disks.remove', { name: 'ed', id }));
    expect(removed.appliedLive).toHaveLength(1);
    expect(await peripheralIds(qmp)).not.toContain(`disk-${id}`);
    expect(removed.kept).toBe(img);

    const before = ok(await w.call('guests.get', { name: 'ed' })).revision;
    const err = failed(await w.call('guests.usb.attach', { name: 'ed', vendorId: '1234', productId: '5678' }));
    // QEMU takes the device_add and waits for such a device; the guest never gets one, so it is refused.
    expect(err.message).toMatch(/^QEMU could not take USB device 1234:5678: no such device is plugged into this computer \(QEMU found none to open\)\. Check that it is still plugged in/);
    expect(err.fields).toEqual([expect.objectContaining({ field: 'usb.hostDevices' })]);
    expect(ok(await w.call('guests.get', { name: 'ed' })).revision).toBe(before);
    expect(await peripheralIds(qmp)).not.toContain('usbhost-1234-5678');
  });

  it('while running: a USB port is passed by the CLI and the contract (QEMU takes an empty port and waits), seen in QEMU\'s device tree, then taken back', async () => {
    const qmp = await w.supervisor.monitor('ed');
    const prop = (id: string, property: string) => qmp.execute('qom-get', { path: `/machine/peripheral/${id}`, property });
    const at = await cli(['usb', 'attach', 'ed', '1-2.3'], w.env, w.home);
    expect(at.stderr).toBe('');
    expect(at.stdout).toContain('  Now: Passed USB port 1-2.3 to the guest (whatever is plugged in there, now or later).');
    expect(await peripheralIds(qmp)).toContain('usbhost-port1-2.3');
    expect(await prop('usbhost-port1-2.3', 'hostbus')).toBe(1);
    expect(await prop('usbhost-port1-2.3', 'hostport')).toBe('2.3');
    // Nothing is plugged in on these machines: QEMU holds the port open, waiting ("info usb" lists
    // attached devices only; the device tree has it on the guest's USB bus).
    expect(await prop('usbhost-port1-2.3', 'attached')).toBe(false);
    const tree = String(await qmp.execute('human-monitor-command', { 'command-line': 'info qtree' }));
    const found = tree.indexOf('dev: usb-host, id "usbhost-port1-2.3"');
    expect(found).toBeGreaterThan(-1);
    const block = tree.slice(found).split(/\r?\n/).slice(1).filter((l, i, all) => !all.slice(0, i + 1).some((x) => /dev: /.test(x)));
    expect(block).toEqual(expect.arrayContaining([expect.stringMatching(/^\s+hostbus = 1\b/), expect.stringMatching(/^\s+hostport = "2\.3"$/)]));
    // The running guest's state has it (the run's live config), and vm.json too, so nothing about
    // it waits for the next start: no pending diff.
    const live = await readLiveConfig((await w.supervisor.record('ed'))?.runDir ?? w.store.dirs('ed').runtimeDir);
    expect(live?.usb.hostDevices).toEqual([expect.objectContaining({ vendorId: '0000', productId: '0000', port: { bus: 1, path: '2.3' } })]);
    expect(ok(await w.call('guests.get', { name: 'ed' })).config.usb.hostDevices).toEqual(live?.usb.hostDevices);
    const pending = ok(await w.call('guests.pending', { name: 'ed' }));
    expect((pending?.changes ?? []).map((c: { field: string }) => c.field)).not.toContain('usb.hostDevices');
    // The app's call for a second port.
    const second = ok(await w.call('guests.usb.attachPort', { name: 'ed', port: { bus: 2, path: '1' } }));
    expect(second.appliedLive).toEqual(['Passed USB port 2-1 to the guest (whatever is plugged in there, now or later)']);
    expect(await peripheralIds(qmp)).toEqual(expect.arrayContaining(['usbhost-port1-2.3', 'usbhost-port2-1']));
    // Taken back: device_del, gone from QEMU and from vm.json.
    const off = await cli(['usb', 'detach', 'ed', '1-2.3'], w.env, w.home);
    expect(off.stderr).toBe('');
    expect(off.stdout).toContain('  Now: Took USB port 1-2.3 back from the guest.');
    expect(ok(await w.call('guests.usb.detachPort', { name: 'ed', port: { bus: 2, path: '1' } })).appliedLive).toEqual(['Took USB port 2-1 back from the guest']);
    const ids = await peripheralIds(qmp);
    expect(ids).not.toContain('usbhost-port1-2.3');
    expect(ids).not.toContain('usbhost-port2-1');
    expect(ok(await w.call('guests.get', { name: 'ed' })).config.usb.hostDevices).toEqual([]);
  });
});
