// The contract's implementation over a real Store and Supervisor in a private HOME; every
// output is checked against the contract (validateOutputs). No QEMU process is started.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, WireError } from '../../../src/shared/contract';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  w = await apiWorld();
  await writeFile(join(w.home, 'debian-12.iso'), Buffer.alloc(64 * 1024));
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
const fieldsOf = (e: WireError) => (e.fields ?? []).map((f) => f.field).sort();

/** Every file under `dir`, relative, except the probe's cache. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = relative(dir, join(e.parentPath, e.name));
    if (!p.startsWith('cache')) out.push(p);
  }
  return out.sort();
}

function isoWithLabel(label: string): Buffer {
  const b = Buffer.alloc(17 * 2048);
  b[16 * 2048] = 1;
  b.write('CD001', 16 * 2048 + 1, 'latin1');
  b.write(label.padEnd(32, ' '), 16 * 2048 + 40, 'latin1');
  return b;
}

describe('dispatch', () => {
  it('refuses an unknown call, and names of Object.prototype are not calls', async () => {
    expect(failed(await w.call('guests.nuke', {}))).toMatchObject({ name: 'UnknownCall', message: 'there is no call named "guests.nuke"' });
    expect(failed(await w.call('constructor', {})).name).toBe('UnknownCall');
    expect(failed(await w.call('__proto__', {})).name).toBe('UnknownCall');
  });

  it('refuses a bad payload, naming every field at fault with its path', async () => {
    const e = failed(await w.call('guests.start', { name: '../etc', headless: 'yes' }));
    expect(e.name).toBe('ValidationError');
    expect(fieldsOf(e)).toEqual(['headless', 'name']);
    const nested = failed(await w.call('guests.create', { preset: 'linux', name: 'x', overrides: { cores: 'many', nic: 'ne2000' }, shares: ['/a', 7] }));
    expect(fieldsOf(nested)).toEqual(['overrides.cores', 'overrides.nic', 'shares.1']);
    expect(failed(await w.call('serial.write', { name: 'x', data: 'a'.repeat(65537) })).fields).toEqual([{ field: 'data', message: expect.any(String) }]);
    expect(failed(await w.call('presets.list', 'hello')).name).toBe('ValidationError');
  });

  it('takes a missing input as {} for calls without arguments', async () => {
    expect(ok(await w.call('presets.list', undefined))).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'linux' })]));
  });

  it('turns service errors into plain WireErrors', async () => {
    expect(failed(await w.call('guests.get', { name: 'nobody' }))).toEqual({ name: 'GuestNotFoundError', message: 'there is no guest named "nobody"' });
    expect(failed(await w.call('guests.stop', { name: 'nobody' })).name).toBe('GuestNotFoundError');
  });

  it('checks outputs against the contract when asked (a picker answering nonsense)', async () => {
    const p = await apiWorld('gb-api-pick-', { pickers: { file: async () => 42 as unknown as string, folder: async (o) => `/picked/${o.title}` } });
    try {
      const e = failed(await p.call('dialog.pickFile', { title: 'ISO' }));
      expect(e).toMatchObject({ name: 'OutputValidationError', fields: [{ field: 'path' }] });
      expect(ok(await p.call('dialog.pickFolder', { title: 'share' }))).toEqual({ supported: true, path: '/picked/share' });
    } finally {
      await p.cleanup();
    }
  });

  it('answers nothing but an error after dispose', async () => {
    const d = await apiWorld('gb-api-dispose-');
    await d.api.dispose();
    await d.api.dispose(); // twice is fine
    expect(failed(await d.call('presets.list', {})).name).toBe('ApiClosedError');
    await d.cleanup();
  });
});

describe('guests', () => {
  it('previews a guest with reasons and the exact command, writing nothing', async () => {
    const before = await tree(w.home);
    const out = ok(await w.call('guests.preview', { preset: 'linux', name: 'deb', iso: join(w.home, 'debian-12.iso'), diskSize: '8G' }));
    expect(out.reasons['network.nic']).toMatch(/virtio-net/);
    expect(out.plan.command).toMatch(/^\S*qemu-system-x86_64 \\\n {2}-nodefaults/);
    expect(out.plan.command).toContain('debian-12.iso');
    expect(out.planError).toBeUndefined();
    expect(await tree(w.home)).toEqual(before);
  });

  it('previews with the same checks as create: missing ISO, bad size, a name in use', async () => {
    const e = failed(await w.call('guests.preview', { preset: 'linux', name: 'ok', diskSize: '9999T', iso: '/nope.iso' }));
    expect(e.name).toBe('ConfigError');
    expect(fieldsOf(e)).toEqual(['diskSize', 'iso']);
    ok(await w.call('guests.create', { preset: 'linux', name: 'taken', diskSize: '1G' }));
    expect(failed(await w.call('guests.preview', { preset: 'linux', name: 'taken' }))).toMatchObject({ name: 'GuestExistsError', fields: [{ field: 'name' }] });
    expect(failed(await w.call('guests.create', { preset: 'linux', name: 'taken' }))).toMatchObject({ name: 'GuestExistsError', fields: [{ field: 'name' }] });
    expect(fieldsOf(failed(await w.call('guests.preview', { preset: 'beos', name: 'b' })))).toEqual(['preset']);
  });

  it('previews a guest this host cannot run yet with planError instead of failing', async () => {
    const n = await apiWorld('gb-api-novfs-', { caps: (c) => ({ ...c, virtiofsd: null }) });
    try {
      await mkdir(join(n.home, 'Projects'));
      const out = ok(await n.call('guests.preview', { preset: 'linux', name: 'dev', shares: ['~/Projects'.replace('~', n.home)] }));
      expect(out.plan).toBeUndefined();
      expect(out.planError).toMatch(/virtiofsd/);
      expect(out.config.sharedFolders[0]).toMatchObject({ method: 'virtiofs', tag: 'Projects' });
    } finally {
      await n.cleanup();
    }
  });

  it('reports the wizard\'s field errors from create: name, size, missing ISO', async () => {
    const e = failed(await w.call('guests.create', { preset: 'linux', name: 'ok', diskSize: '9999T', iso: '/nope.iso' }));
    expect(fieldsOf(e)).toEqual(['diskSize', 'iso']);
    expect(failed(await w.call('guests.create', { preset: 'linux', name: 'my vm' }))).toMatchObject({ name: 'ValidationError', fields: [{ field: 'name' }] });
    expect(await readdir(join(w.home, 'data/guestbay/vms'))).not.toContain('ok');
  });

  it('applies the wizard\'s overrides on top of the preset, saying which choices are the user\'s', async () => {
    const out = ok(await w.call('guests.create', { preset: 'windows-11', name: 'win', diskSize: '64G', overrides: { cores: 2, memoryMiB: 4608, diskBus: 'nvme', nic: 'e1000', display: 'qxl', tpm: false, firmware: 'uefi' } }));
    expect(out.config).toMatchObject({ cpu: { cores: 2 }, memoryMiB: 4608, firmware: 'uefi', network: { nic: 'e1000' }, display: { device: 'qxl' }, tpm: { enabled: false } });
    expect(out.config.disks[0]).toMatchObject({ bus: 'nvme', path: 'disk.qcow2' });
    expect(out.reasons['network.nic']).toMatch(/^your choice \(the preset's advice: e1000e/);
    expect(out.reasons['tpm.enabled']).toMatch(/^your choice/);
    expect(out.reasons['audio.device']).toMatch(/Intel HDA/);
    const got = ok(await w.call('guests.get', { name: 'win' }));
    expect(got.config).toEqual(out.config);
    expect(await readdir(w.store.dirs('win').dir)).toContain('disk.qcow2');
  });

  it('re-validates overrides and names the override at fault', async () => {
    const e = failed(await w.call('guests.create', { preset: 'linux', name: 'huge', overrides: { memoryMiB: 5 * 1024 * 1024 } }));
    expect(e).toMatchObject({ name: 'ConfigError', fields: [{ field: 'overrides.memoryMiB', message: 'A guest can have at most 4096 GiB of memory.' }] });
  });

  it('reuses an installed disk image where it is: never copied, never deleted', async () => {
    const image = join(w.home, 'installed.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '1G']);
    const out = ok(await w.call('guests.create', { preset: 'linux', name: 'reuse', existingDisk: image, diskSize: '64G', overrides: { cores: 1, firmware: 'bios' } }));
    expect(out.reasons['disks.0.path']).toMatch(/never copied/);
    const { config, status } = ok(await w.call('guests.get', { name: 'reuse' }));
    expect(config).toMatchObject({ cpu: { cores: 1 }, firmware: 'bios' });
    expect(config.disks[0]).toEqual(expect.objectContaining({ path: image, format: 'qcow2' }));
    expect(config.disks[0].size).toBeUndefined();
    expect(status.state).toBe('stopped');
    expect(await readdir(w.store.dirs('reuse').dir)).toEqual(['vm.json']);
    expect(ok(await w.call('guests.cmdline', { name: 'reuse' })).command).toContain(`file=${image}`);
    expect(ok(await w.call('guests.delete', { name: 'reuse', deleteDisks: true }))).toEqual({ kept: [] });
    expect(await readdir(w.home)).toContain('installed.qcow2');
    expect(failed(await w.call('guests.get', { name: 'reuse' })).name).toBe('GuestNotFoundError');
  });

  it('takes a raw image too, and refuses relative, missing, folder and foreign-format disks', async () => {
    const raw = join(w.home, 'disk.img');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', raw, '16M']);
    expect(ok(await w.call('guests.preview', { preset: 'linux', name: 'rawdisk', existingDisk: raw })).config.disks[0]).toMatchObject({ path: raw, format: 'raw' });
    const vmdk = join(w.home, 'disk.vmdk');
    execFileSync('qemu-img', ['create', '-q', '-f', 'vmdk', vmdk, '16M']);
    const field = async (existingDisk: string) => failed(await w.call('guests.preview', { preset: 'linux', name: 'bad', existingDisk })).fields;
    expect(await field('disk.img')).toEqual([{ field: 'existingDisk', message: expect.stringMatching(/absolute path/) }]);
    expect(await field('/nope.qcow2')).toEqual([{ field: 'existingDisk', message: expect.stringMatching(/does not exist/) }]);
    expect(await field(w.home)).toEqual([{ field: 'existingDisk', message: expect.stringMatching(/not a file/) }]);
    expect(await field(vmdk)).toEqual([{ field: 'existingDisk', message: expect.stringMatching(/vmdk.*qemu-img convert/) }]);
  });

  it('lists guests, a damaged one with its error, the others with their status', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'fine', diskSize: '1G' }));
    await mkdir(join(w.home, 'data/guestbay/vms/broken'), { recursive: true });
    await writeFile(join(w.home, 'data/guestbay/vms/broken/vm.json'), '{ nope');
    const list = ok(await w.call('guests.list', {})) as { name: string; error?: string; config?: unknown; status?: { state: string } }[];
    expect(list.find((g) => g.name === 'broken')).toEqual({ name: 'broken', error: expect.stringMatching(/damaged/) });
    expect(list.find((g) => g.name === 'fine')).toMatchObject({ config: { name: 'fine' }, status: { name: 'fine', state: 'stopped' } });
  });

  it('updates only a valid config, and deletes', async () => {
    const { config, revision } = ok(await w.call('guests.get', { name: 'fine' }));
    const updated = ok(await w.call('guests.update', { name: 'fine', revision, config: { ...config, memoryMiB: 2048 } }));
    expect(updated.config.memoryMiB).toBe(2048);
    expect(failed(await w.call('guests.update', { name: 'fine', revision: updated.revision, config: { ...config, memoryMiB: 1 } }))).toMatchObject({ name: 'ConfigError', fields: [{ field: 'memoryMiB' }] });
    expect(ok(await w.call('guests.logs', { name: 'fine' }))).toEqual([]);
    expect(ok(await w.call('guests.delete', { name: 'fine' })).kept).toEqual([join(w.store.dirs('fine').dir, 'disk.qcow2')]);
  });

  it('refuses serial and screenshots for a guest that is not running', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'idle', diskSize: '1G' }));
    expect(failed(await w.call('serial.open', { name: 'idle' }))).toMatchObject({ name: 'GuestStateError', message: expect.stringMatching(/stopped/) });
    expect(failed(await w.call('serial.write', { name: 'idle', data: 'x' }))).toMatchObject({ name: 'ApiStateError', message: expect.stringMatching(/not open/) });
    expect(ok(await w.call('serial.close', { name: 'idle' }))).toEqual({ ok: true });
    expect(failed(await w.call('guests.screenshot', { name: 'idle' })).name).toBe('GuestStateError');
  });
});

describe('media', () => {
  it('identifies installers from their volume label and file name', async () => {
    const cases: [string, string, string | null, string | null][] = [
      ['Win11_24H2_English_x64.iso', 'CCCOMA_X64FRE_EN-US_DV9', 'windows-11', 'Windows 11'],
      ['Win10_22H2_English_x64v1.iso', 'CCCOMA_X64FRE_EN-US_DV9', 'windows-10', 'Windows 10'],
      ['en-us_windows_11_consumer_editions_version_24h2_x64_dvd.iso', 'CCCOMA_X64FRE_EN-US_DV9', 'windows-11', 'Windows 11'],
      ['renamed.iso', 'CCCOMA_X64FRE_EN-US_DV9', 'windows-11', 'Windows 10 or 11'],
      ['debian-12.9.0-amd64-netinst.iso', 'Debian 12.9.0 amd64 n', 'linux', 'Debian'],
      ['ubuntu-24.04.1-desktop-amd64.iso', 'Ubuntu 24.04.1 LTS amd64', 'linux', 'Ubuntu'],
      ['Fedora-Workstation-Live-x86_64-41-1.4.iso', 'Fedora-WS-Live-41-1-4', 'linux', 'Fedora'],
      ['archlinux-2025.11.01-x86_64.iso', 'ARCH_202511', 'linux', 'Arch Linux'],
      ['manjaro-kde-24.1.2-241104-linux611.iso', 'MANJARO_KDEP_2412', 'linux', 'Manjaro'],
      ['openSUSE-Tumbleweed-DVD-x86_64-Current.iso', 'openSUSE-Tumbleweed-DVD-x86_64', 'linux', 'openSUSE'],
      ['random.iso', 'DATA', null, null],
      ['archive.iso', 'BACKUP_2025', null, null],
    ];
    for (const [file, label, preset, title] of cases) {
      await writeFile(join(w.home, file), isoWithLabel(label));
      expect(ok(await w.call('media.identify', { path: join(w.home, file) })), file).toEqual({ label, preset, title });
    }
  });

  it('names a file that is no ISO by its name alone, and refuses what is not a file', async () => {
    // debian-12.iso in the home is zeros: no volume descriptor.
    expect(ok(await w.call('media.identify', { path: 'debian-12.iso' }))).toEqual({ label: null, preset: 'linux', title: 'Debian' });
    await writeFile(join(w.home, 'archlinux-tiny.iso'), 'short');
    expect(ok(await w.call('media.identify', { path: join(w.home, 'archlinux-tiny.iso') }))).toEqual({ label: null, preset: 'linux', title: 'Arch Linux' });
    expect(failed(await w.call('media.identify', { path: '/nope.iso' }))).toMatchObject({ name: 'ConfigError', fields: [{ field: 'path', message: '/nope.iso does not exist' }] });
    expect(failed(await w.call('media.identify', { path: w.home })).fields).toEqual([{ field: 'path', message: `${w.home} is not a file` }]);
  });
});

describe('files', () => {
  it('lists the home by default: folders first, then files with sizes', async () => {
    await mkdir(join(w.home, 'zfolder'));
    await writeFile(join(w.home, 'afile.txt'), 'hello');
    const out = ok(await w.call('fs.list', {}));
    expect(out.dir).toBe(w.home);
    const kinds = out.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual([...kinds].sort()); // 'dir' < 'file'
    expect(out.entries).toContainEqual({ name: 'zfolder', path: join(w.home, 'zfolder'), kind: 'dir' });
    expect(out.entries).toContainEqual({ name: 'afile.txt', path: join(w.home, 'afile.txt'), kind: 'file', size: 5 });
    expect(out.parent).toBe(join(w.home, '..'));
  });

  it('resolves ~ and relative folders against the home; / has no parent; errors name the folder', async () => {
    expect(ok(await w.call('fs.list', { dir: '~/zfolder' }))).toEqual({ dir: join(w.home, 'zfolder'), parent: w.home, entries: [] });
    expect(ok(await w.call('fs.list', { dir: 'zfolder/..' })).dir).toBe(w.home);
    expect(ok(await w.call('fs.list', { dir: '/' })).parent).toBeNull();
    expect(failed(await w.call('fs.list', { dir: '/nope' }))).toMatchObject({ name: 'ConfigError', fields: [{ field: 'dir', message: '/nope does not exist' }] });
    expect(failed(await w.call('fs.list', { dir: join(w.home, 'afile.txt') })).fields![0]!.message).toMatch(/is not a folder/);
  });

  it('has no native picker without the shell\'s', async () => {
    expect(ok(await w.call('dialog.pickFile', { title: 'ISO', filters: [{ name: 'Disc images', extensions: ['iso'] }] }))).toEqual({ supported: false, path: null });
    expect(ok(await w.call('dialog.pickFolder', { title: 'share' }))).toEqual({ supported: false, path: null });
  });
});

describe('settings', () => {
  it('autostart is the desktop app\'s to set: unavailable headless, written when the app allows it', async () => {
    expect(await w.call('settings.autostart.get', {})).toEqual({ ok: true, output: { available: false, enabled: false } });
    expect(await w.call('settings.autostart.set', { enabled: true })).toMatchObject({ ok: false, error: { message: expect.stringContaining('desktop app') } });
    const { createApi } = await import('../../../src/main/api');
    const app = createApi({ store: w.store, supervisor: new (await import('../../../src/main/vm/supervisor')).Supervisor({ store: w.store }), probe: async () => { throw new Error('unused'); }, env: w.env, autostartExec: '/opt/Guestbay/guestbay-app', validateOutputs: true });
    expect(await app.dispatch('settings.autostart.set', { enabled: true })).toEqual({ ok: true, output: { available: true, enabled: true } });
    expect(await w.call('settings.autostart.get', {})).toEqual({ ok: true, output: { available: false, enabled: true } });
    expect(await app.dispatch('settings.autostart.set', { enabled: false })).toEqual({ ok: true, output: { available: true, enabled: false } });
    await app.dispose();
  });
});
