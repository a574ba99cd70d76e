// Changing guests after creation through the contract (issue 14), over the real API, Store and
// Supervisor in a private HOME, every output checked against the contract. No guest is started
// here (test/main/vm/edit.qemu.test.ts does the running side).
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage, GuestChange, Reply, WireError } from '../../../src/shared/contract';
import { commitSave, prepareSaveDir } from '../../../src/main/vm/saved-state';
import { guestbayPaths } from '../../../src/main/vm/paths';
import { Store } from '../../../src/main/vm/store';
import { listUsbDevices } from '../../../src/main/host/usb';
import { apiWorld } from '../../helpers/api';

const USB_TREE = join(__dirname, '../../fixtures/host/trees/usb-desktop');

let w: Awaited<ReturnType<typeof apiWorld>>;
const events: EventMessage[] = [];
beforeAll(async () => {
  w = await apiWorld('gb-edit-', { hostUsb: () => listUsbDevices({ root: USB_TREE }) });
  w.api.onEvent((m) => events.push(m));
  await writeFile(join(w.home, 'x.iso'), Buffer.alloc(64 * 1024));
  await mkdir(join(w.home, 'Shared'));
});
afterAll(() => w.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.output;
}
function failed(r: Reply): WireError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
}
const changes = (name: string) => events.filter((e) => e.event === 'guests.changed' && (e.payload as GuestChange).name === name).map((e) => e.payload as GuestChange);
const vmJson = (name: string) => readFile(w.store.dirs(name).configFile);

async function guest(name: string) {
  ok(await w.call('guests.create', { preset: 'linux', name, diskSize: '1G' }));
  return ok(await w.call('guests.get', { name }));
}

describe('revisions and conflicts', () => {
  it('two clients editing one guest: the second gets a conflict naming what changed, never an overwrite', async () => {
    const { config, revision } = await guest('shared');
    expect(revision).toMatch(/^[0-9a-f]{16}$/);
    // Both read the same revision; the first saves more memory.
    const first = ok(await w.call('guests.update', { name: 'shared', revision, config: { ...config, memoryMiB: 2048 } }));
    expect(first.revision).not.toBe(revision);
    const before = await vmJson('shared');
    const second = failed(await w.call('guests.update', { name: 'shared', revision, config: { ...config, cpu: { ...config.cpu, cores: 1 } } }));
    expect(second.name).toBe('ConflictError');
    expect(second.message).toMatch(/^"shared" was changed elsewhere since you opened it \(memory\): your change was not saved\. Reload it/);
    expect(second.fields).toEqual([{ field: 'memoryMiB', message: 'Changed elsewhere: memory.' }]);
    expect(await vmJson('shared')).toEqual(before);
    // The key=value form takes the revision too.
    expect(failed(await w.call('guests.set', { name: 'shared', revision, assignments: ['cores=1'] })).name).toBe('ConflictError');
    // With the current revision it goes through.
    expect(ok(await w.call('guests.set', { name: 'shared', revision: first.revision, assignments: ['cores=1'] })).config.cpu.cores).toBe(1);
  });

  it('a change made by another process (its own Store) is a conflict too', async () => {
    const { config, revision } = await guest('elsewhere');
    const other = new Store(guestbayPaths(w.env));
    await other.update({ ...config, title: 'Renamed by the CLI' });
    const e = failed(await w.call('guests.update', { name: 'elsewhere', revision, config: { ...config, memoryMiB: 1024 } }));
    expect(e.name).toBe('ConflictError');
    // This process had read that revision: it can say what moved.
    expect(e.message).toMatch(/\(title\)/);
  });
});

describe('bad values: a field-level message in plain words, and vm.json byte for byte unchanged', () => {
  it('through guests.set (the CLI\'s key=value)', async () => {
    await guest('strict');
    const before = await vmJson('strict');
    const cases: [string, string, RegExp][] = [
      ['cores=99', 'cores', /^This computer has \d+ threads: give the guest at most \d+ cores\.$/],
      ['memory=1000000000G', 'memory', /^A guest can have at most 4096 GiB of memory\.$/],
      ['memory=64G', 'memory', /^This computer has [\d.]+ GiB of memory in all: give the guest less/],
      ['colour=blue', 'colour', /^There is no setting "colour": guestbay set NAME --help lists them\.$/],
      ['forward+=tcp:22', 'forward', /^A port forward is \[tcp\|udp:\]\[ADDRESS:\]HOSTPORT:GUESTPORT/],
      ['forward+=tcp:99999:22', 'forward', /^A port is 1 to 65535; 99999 is not\.$/],
      [`media=${w.home}/x\n.iso`, 'media', /^The path contains a control character \(a line break, a tab…\): rename the file or folder, or pick another\.$/],
      ['nic=ne2000', 'nic', /^nic is one of virtio-net, e1000e, e1000, rtl8139, vmxnet3; "ne2000" is not one of them\.$/],
      ['memory', 'memory', /is not key=value/],
    ];
    for (const [assignment, field, message] of cases) {
      const e = failed(await w.call('guests.set', { name: 'strict', assignments: [assignment] }));
      expect(e.name, assignment).toBe('ConfigError');
      expect(e.fields, assignment).toEqual([{ field, message: expect.stringMatching(message) }]);
      expect(e.fields![0]!.message, assignment).toMatch(/^[A-Z"a-z].*\.$/);
    }
    expect(await vmJson('strict')).toEqual(before);
    // As many cores as the host has threads, then two threads per core: too many CPUs.
    const { cpu } = ok(await w.call('host.probe', {}));
    ok(await w.call('guests.set', { name: 'strict', assignments: [`cores=${cpu.threads}`] }));
    const full = await vmJson('strict');
    expect(failed(await w.call('guests.set', { name: 'strict', assignments: ['threads=2'] })).fields).toEqual([
      { field: 'threads', message: `This computer has ${cpu.threads} threads: ${cpu.threads} cores × 2 threads is ${cpu.threads * 2} CPUs. Give the guest at most ${cpu.threads} CPUs in all.` },
    ]);
    expect(await vmJson('strict')).toEqual(full);
  });

  it('through guests.update (the whole config)', async () => {
    const { config, revision } = await guest('strict2');
    const before = await vmJson('strict2');
    const cases: [unknown, string, RegExp][] = [
      [{ ...config, cpu: { ...config.cpu, cores: 99 } }, 'cpu.cores', /^This computer has \d+ threads/],
      [{ ...config, memoryMiB: 1e9 * 1024 }, 'memoryMiB', /^A guest can have at most 4096 GiB of memory\.$/],
      [{ ...config, memoryMiB: 2048 * 1024 }, 'memoryMiB', /^This computer has [\d.]+ GiB of memory in all: give the guest less/],
      [{ ...config, colour: 'blue' }, 'colour', /^Unknown setting "colour": remove it, or check the spelling\.$/],
      [{ ...config, network: { ...config.network, portForwards: [{ protocol: 'tcp', hostPort: 70000, guestPort: 22 }] } }, 'network.portForwards.0.hostPort', /^A port is 1–65535\.$/],
      [{ ...config, media: [{ id: 'cd0', role: 'install', path: `${w.home}/x\n.iso` }] }, 'media.0.path', /\S/],
      [{ ...config, memoryMiB: 'lots' }, 'memoryMiB', /^Memory must be a whole number of MiB, like 4096\.$/],
      [{ ...config, name: 'other' }, 'name', /^The name cannot change here: rename the guest instead/],
    ];
    for (const [doc, field, message] of cases) {
      const e = failed(await w.call('guests.update', { name: 'strict2', revision, config: doc }));
      expect(e.name, field).toBe('ConfigError');
      expect(e.fields, field).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
      for (const f of e.fields!) expect(f.message, field).not.toMatch(/Invalid input|expected .*, received/);
    }
    expect(await vmJson('strict2')).toEqual(before);
  });
});

describe('every setting after creation', () => {
  it('key=value settings land in the config, with the warning a firmware switch deserves', async () => {
    await guest('many');
    const r = ok(
      await w.call('guests.set', {
        name: 'many',
        assignments: ['memory=1.5G', 'cores=1', 'threads=2', 'nic=e1000e', 'forward+=tcp:2222:22', 'forward+=udp:0.0.0.0:5353:53', 'title=My VM', 'firmware=bios', 'tpm=on', 'sound=none', 'usb+=046d:c52b', `share+=${w.home}/Shared`, 'autostart=on', 'mac=52:54:00:12:34:56', 'display=std', 'boot=disk:system,network'],
      }),
    );
    expect(r.config).toMatchObject({
      title: 'My VM',
      memoryMiB: 1536,
      cpu: { cores: 1, threads: 2 },
      firmware: 'bios',
      tpm: { enabled: true },
      audio: { device: 'none' },
      autostart: true,
      bootOrder: ['disk:system', 'network'],
      network: {
        nic: 'e1000e',
        mac: '52:54:00:12:34:56',
        portForwards: [
          { protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 },
          { protocol: 'udp', hostAddress: '0.0.0.0', hostPort: 5353, guestPort: 53 },
        ],
      },
      usb: { hostDevices: [{ vendorId: '046d', productId: 'c52b' }] },
      sharedFolders: [{ tag: 'Shared', hostPath: join(w.home, 'Shared'), method: 'virtiofs' }],
      display: { device: 'std' },
    });
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        { field: 'firmware', message: expect.stringMatching(/^Switching from UEFI to BIOS makes a system installed for UEFI unbootable/) },
        { field: 'network.portForwards.1.hostAddress', message: expect.stringMatching(/other machines on your network can reach the guest's port 53/) },
      ]),
    );
    expect(r.pending).toBeNull(); // not running
    expect(r.appliedLive).toEqual([]);
    const cmd = ok(await w.call('guests.cmdline', { name: 'many' })).command as string;
    expect(cmd).toContain('-m 1536M');
    expect(cmd).toContain('-smp cpus=2,sockets=1,cores=1,threads=2');
    expect(cmd).toContain('hostfwd=tcp:127.0.0.1:2222-:22');
    expect(cmd).toMatch(/e1000e,netdev=net0,mac=52:54:00:12:34:56,bootindex=1/);
    expect(cmd).toContain('usb-host,bus=usb0.0,vendorid=0x046d,productid=0xc52b,id=usbhost-046d-c52b');
    // Removing from lists.
    const less = ok(await w.call('guests.set', { name: 'many', assignments: ['forward-=udp:5353', 'usb-=046d:c52b', 'share-=Shared', 'boot=auto'] }));
    expect(less.config.network.portForwards).toHaveLength(1);
    expect(less.config.usb.hostDevices).toEqual([]);
    expect(less.config.sharedFolders).toEqual([]);
    expect(less.config.bootOrder).toBeUndefined();
  });

  it('lists every key with its values and when it applies, and the limits of this host', async () => {
    await guest('keys');
    const s = ok(await w.call('guests.settings', { name: 'keys' }));
    const byKey = Object.fromEntries(s.keys.map((k: { key: string }) => [k.key, k]));
    expect(byKey.memory).toMatchObject({ field: 'memoryMiB', applies: 'next-start', list: false });
    expect(byKey.forward).toMatchObject({ applies: 'live', list: true });
    expect(byKey.media).toMatchObject({ applies: 'live' });
    expect(byKey.title).toMatchObject({ applies: 'now' });
    expect(byKey.nic.values.map((v: { value: string }) => v.value)).toEqual(['virtio-net', 'e1000e', 'e1000', 'vmxnet3', 'rtl8139']);
    // The words are the wizard's (vm-choices.ts), not a second set.
    expect(byKey.nic.values[1]).toEqual({ value: 'e1000e', help: 'Intel e1000e (emulated, Windows has the driver)' });
    const caps = ok(await w.call('host.probe', {}));
    expect(s.limits).toMatchObject({ maxCores: caps.cpu.threads, maxMemoryMiB: caps.memory.totalMiB });
    expect(s.reasons['network.nic']).toMatch(/virtio-net/);
  });

  it('disks: a new one is created with qemu-img, a removed one keeps its file unless deletion is confirmed', async () => {
    await guest('disks');
    const dir = w.store.dirs('disks').dir;
    const added = ok(await w.call('guests.disks.add', { name: 'disks', disk: { size: '2G', bus: 'sata' } }));
    expect(added.id).toBe('data');
    expect(added.config.disks[1]).toMatchObject({ id: 'data', path: 'data.qcow2', bus: 'sata', size: 2 * 2 ** 30 });
    expect((await stat(join(dir, 'data.qcow2'))).isFile()).toBe(true);
    const kept = ok(await w.call('guests.disks.remove', { name: 'disks', id: 'data' }));
    expect(kept).toMatchObject({ kept: join(dir, 'data.qcow2'), deleted: null });
    expect(kept.warnings).toEqual([{ field: 'disks', message: `Disk "data" is no longer attached; its file ${join(dir, 'data.qcow2')} is kept.` }]);
    expect((await stat(join(dir, 'data.qcow2'))).isFile()).toBe(true);
    // Re-attach the kept file, then remove it for good.
    ok(await w.call('guests.disks.add', { name: 'disks', disk: { path: join(dir, 'data.qcow2') } }));
    const gone = ok(await w.call('guests.disks.remove', { name: 'disks', id: 'data', deleteFile: true }));
    expect(gone).toMatchObject({ kept: null, deleted: join(dir, 'data.qcow2') });
    expect(await readdir(dir)).not.toContain('data.qcow2');
    // A path that is not there, without a size: refused, nothing written.
    const before = await vmJson('disks');
    expect(failed(await w.call('guests.disks.add', { name: 'disks', disk: { path: join(w.home, 'nope.qcow2') } })).fields).toEqual([
      { field: 'disks.1.path', message: `The disk image ${join(w.home, 'nope.qcow2')} does not exist: give a size to create a new one, or pick an existing image.` },
    ]);
    expect(await vmJson('disks')).toEqual(before);
  });

  it('media: a stopped guest without a CD drive gets one; eject empties it and the drive stays', async () => {
    await guest('disc');
    const r = ok(await w.call('guests.media.insert', { name: 'disc', path: 'x.iso' }));
    expect(r.config.media).toEqual([{ id: 'cd0', role: 'install', path: join(w.home, 'x.iso'), format: 'raw', as: 'cdrom', bus: 'sata' }]);
    const e = ok(await w.call('guests.media.eject', { name: 'disc' }));
    expect(e.config.media).toEqual([{ id: 'cd0', role: 'install', format: 'raw', as: 'cdrom', bus: 'sata' }]);
    const cmd = ok(await w.call('guests.cmdline', { name: 'disc' })).command as string;
    expect(cmd).toContain('-drive if=none,id=cd0,media=cdrom,readonly=on');
    expect(cmd).toContain('-device ide-cd,bus=ide.0,drive=cd0,bootindex=1,id=media-cd0');
    expect(failed(await w.call('guests.media.eject', { name: 'disc' })).fields).toEqual([{ field: 'drive', message: 'No CD/DVD drive of this guest holds a disc.' }]);
    expect(failed(await w.call('guests.media.insert', { name: 'disc', drive: 'cd9', path: 'x.iso' })).fields).toEqual([{ field: 'drive', message: 'This guest has no drive "cd9": its drives are cd0.' }]);
  });

  it('rename: the folder moves, the old name is free, and a taken name is refused', async () => {
    await guest('before');
    await guest('taken');
    // "Memory in a file": the guest's RAM file moves with its folder.
    await writeFile(join(w.store.dirs('before').dir, 'memory.ram'), 'ram', { mode: 0o600 });
    const moved = ok(await w.call('guests.rename', { name: 'before', newName: 'after' }));
    expect(moved.config.name).toBe('after');
    expect(await readdir(w.store.dirs('after').dir)).toEqual(expect.arrayContaining(['vm.json', 'disk.qcow2', 'memory.ram']));
    // A copy of it does not share it: the clone makes its own at its first start.
    ok(await w.call('guests.clone', { source: 'after', name: 'copied', linked: false }));
    expect(await readdir(w.store.dirs('copied').dir)).not.toContain('memory.ram');
    expect(await stat(w.store.dirs('before').dir).catch(() => null)).toBeNull();
    expect(failed(await w.call('guests.get', { name: 'before' })).name).toBe('GuestNotFoundError');
    expect(failed(await w.call('guests.rename', { name: 'after', newName: 'taken' })).fields).toEqual([{ field: 'newName', message: 'A guest named taken already exists: choose another name.' }]);
    // Its config can be edited under its new name (no lock was left behind).
    ok(await w.call('guests.set', { name: 'after', assignments: ['cores=1'] }));
  });

  it('a saved guest cannot be edited, renamed or deleted until its saved state is discarded', async () => {
    await guest('saved');
    const dir = w.store.dirs('saved').dir;
    await prepareSaveDir(dir);
    await writeFile(join(dir, 'saved', 'state.bin.partial'), 'x');
    await commitSave(dir, { savedAt: new Date().toISOString(), qemuVersion: '7.2', argsDigest: 'x', wasPaused: false, disks: [] });
    const before = await vmJson('saved');
    expect(failed(await w.call('guests.set', { name: 'saved', assignments: ['cores=1'] })).message).toMatch(/^Linux is saved, and its saved state expects the settings it was saved with/);
    // "Memory in a file" too: the state is bound to how the memory is kept (in it, or in memory.ram).
    expect(failed(await w.call('guests.set', { name: 'saved', assignments: ['memory-file=on'] })).message).toMatch(/^Linux is saved, and its saved state expects the settings it was saved with/);
    expect(failed(await w.call('guests.rename', { name: 'saved', newName: 'other' })).message).toMatch(/^Linux is saved/);
    expect(failed(await w.call('guests.delete', { name: 'saved' })).message).toBe('Linux has a saved state that deleting it would lose: start it and shut it down, or discard the saved state first.');
    expect(await vmJson('saved')).toEqual(before);
    expect(ok(await w.call('guests.discardSaved', { name: 'saved' })).state).toBe('stopped');
    await writeFile(join(dir, 'memory.ram'), 'ram', { mode: 0o600 });
    expect(ok(await w.call('guests.delete', { name: 'saved' })).kept).toEqual([join(dir, 'disk.qcow2')]);
    // The RAM file of "memory in a file" goes with the guest; only the disk image is kept.
    expect(await readdir(dir)).toEqual(['disk.qcow2']);
  });

  it('a damaged guest is moved aside, or deleted keeping its disk images', async () => {
    await guest('broken1');
    await guest('broken2');
    for (const n of ['broken1', 'broken2']) await writeFile(w.store.dirs(n).configFile, '{ not json');
    expect(failed(await w.call('guests.removeDamaged', { name: 'shared' })).message).toBe('"shared" is not damaged: delete it instead.');
    const aside = ok(await w.call('guests.removeDamaged', { name: 'broken1' }));
    expect(aside.movedTo).toMatch(/\/vms\/\.removed-broken1-/);
    expect(await readdir(aside.movedTo)).toContain('disk.qcow2');
    const deleted = ok(await w.call('guests.removeDamaged', { name: 'broken2', deleteFolder: true }));
    expect(deleted).toEqual({ movedTo: null, kept: [join(w.store.dirs('broken2').dir, 'disk.qcow2')] });
    expect(await readdir(w.store.dirs('broken2').dir)).toEqual(['disk.qcow2']);
    const listed = ok(await w.call('guests.list', {})).map((g: { name: string }) => g.name);
    expect(listed).not.toContain('broken1');
    expect(listed).not.toContain('broken2');
  });

  it('host USB devices for the picker, and the folder of a guest (headless: its path)', async () => {
    const usb = ok(await w.call('host.usbDevices', {}));
    expect(usb.find((d: { port: string }) => d.port === '1-1.2')).toMatchObject({ vendorId: '046d', productId: 'c52b', label: 'Logitech USB Receiver', hub: false });
    await guest('folder');
    expect(ok(await w.call('guests.openFolder', { name: 'folder' }))).toEqual({ path: w.store.dirs('folder').dir, opened: false });
  });
});

describe('every client live: guests.changed', () => {
  it('announces this API\'s own changes once, with the new config and revision', async () => {
    const { config } = await guest('evented');
    expect(changes('evented')).toEqual([{ change: 'created', name: 'evented', config, revision: expect.any(String), status: expect.objectContaining({ state: 'stopped' }) }]);
    const r = ok(await w.call('guests.set', { name: 'evented', assignments: ['memory=768M'] }));
    await new Promise((res) => setTimeout(res, 400)); // the file watch fires too: it must not announce it again
    expect(changes('evented').slice(1)).toEqual([{ change: 'changed', name: 'evented', config: r.config, revision: r.revision }]);
    ok(await w.call('guests.rename', { name: 'evented', newName: 'evented2' }));
    expect(changes('evented2')).toEqual([expect.objectContaining({ change: 'renamed', name: 'evented2', oldName: 'evented' })]);
    ok(await w.call('guests.delete', { name: 'evented2' }));
    expect(changes('evented2').at(-1)).toEqual({ change: 'deleted', name: 'evented2' });
  });

  it('sees a guest whose folder came before its vm.json (a create making its disks) when the file comes', async () => {
    const other = new Store(guestbayPaths(w.env));
    const { config } = await guest('template2');
    // The folder is there well past the watch's debounce before the config is written.
    await other.create({ ...config, name: 'slowmade' }, () => new Promise((r) => setTimeout(r, 600)));
    const written = Date.now();
    await expect.poll(() => changes('slowmade').map((c) => c.change), { timeout: 1000, interval: 20 }).toEqual(['created']);
    expect(Date.now() - written).toBeLessThan(1000);
  });

  it('sees a guest created, changed and deleted by another process within a second', async () => {
    const other = new Store(guestbayPaths(w.env));
    const { config } = await guest('template');
    const since = Date.now();
    await other.create({ ...config, name: 'outside' });
    await expect.poll(() => changes('outside').map((c) => c.change), { timeout: 1000, interval: 20 }).toEqual(['created']);
    await other.update({ ...config, name: 'outside', memoryMiB: 512 });
    await expect.poll(() => changes('outside').map((c) => c.change), { timeout: 1000, interval: 20 }).toEqual(['created', 'changed']);
    expect((changes('outside')[1] as { config: { memoryMiB: number } }).config.memoryMiB).toBe(512);
    await writeFile(other.dirs('outside').configFile, '{ broken');
    await expect.poll(() => changes('outside').map((c) => c.change), { timeout: 1000, interval: 20 }).toEqual(['created', 'changed', 'damaged']);
    await other.delete('outside').catch(() => undefined);
    const { rm } = await import('node:fs/promises');
    await rm(other.dirs('outside').dir, { recursive: true, force: true });
    await expect.poll(() => changes('outside').map((c) => c.change), { timeout: 1000, interval: 20 }).toEqual(['created', 'changed', 'damaged', 'deleted']);
    expect(Date.now() - since).toBeLessThan(10_000);
  });
});
