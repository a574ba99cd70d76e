import { describe, expect, it } from 'vitest';
import { migrate, parseVmConfig } from '../../src/shared/migrations';
import { ConfigError, VM_CONFIG_VERSION } from '../../src/shared/vm-config';

const minimal = { schemaVersion: VM_CONFIG_VERSION, name: 'deb', os: { family: 'linux', version: 'generic' }, cpu: { cores: 2 }, memoryMiB: 1024 };

function fields(input: unknown): string[] {
  try {
    parseVmConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.errors.map((f) => `${f.field}: ${f.message}`);
    throw e;
  }
  return [];
}

describe('VmConfig', () => {
  it('fills defaults a demanding user expects: loopback forwards, virtio, tablet, writeback cache', () => {
    const c = parseVmConfig({ ...minimal, disks: [{ id: 'system', path: 'disk.qcow2', size: '8G' }], network: { portForwards: [{ hostPort: 2222, guestPort: 22 }] } });
    expect(c.network.portForwards[0]).toEqual({ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 });
    expect(c.disks[0]).toMatchObject({ bus: 'virtio', format: 'qcow2', cache: 'writeback', size: 8 * 2 ** 30 });
    expect(c.input.pointer).toBe('usb-tablet');
    expect(c.firmware).toBe('uefi');
  });

  it.each([
    ['../etc', 'name'],
    ['my vm', 'name'],
    ['a"b', 'name'],
    ['$(reboot)', 'name'],
    ['x'.repeat(300), 'name'],
    ['', 'name'],
  ])('refuses the name %j, naming the field', (name, field) => {
    const errs = fields({ ...minimal, name });
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatch(new RegExp(`^${field}: `));
  });

  it('names the field of every error, however deep', () => {
    const errs = fields({
      ...minimal,
      disks: [{ id: 'system', path: 'a.qcow2', size: '-5G' }, { id: 'system', path: 'b.qcow2', size: '9999T' }],
      sharedFolders: [{ tag: 'bad tag!', hostPath: 'relative' }],
      network: { mac: 'nope', portForwards: [{ hostPort: 70000, guestPort: 22 }] },
    });
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^disks\.0\.size: .*negative/i),
        expect.stringMatching(/^disks\.1\.size: .*too large/i),
        expect.stringMatching(/^sharedFolders\.0\.tag: /),
        expect.stringMatching(/^sharedFolders\.0\.hostPath: Must be an absolute path/),
        expect.stringMatching(/^network\.mac: /),
        expect.stringMatching(/^network\.portForwards\.0\.hostPort: /),
      ]),
    );
  });

  it('refuses duplicate disk ids and share tags', () => {
    const errs = fields({
      ...minimal,
      disks: [{ id: 'a', path: '1.qcow2' }, { id: 'a', path: '2.qcow2' }],
      sharedFolders: [{ tag: 's', hostPath: '/a' }, { tag: 's', hostPath: '/b' }],
    });
    expect(errs).toEqual(expect.arrayContaining([expect.stringMatching(/^disks\.1\.id: .*twice/), expect.stringMatching(/^sharedFolders\.1\.tag: .*twice/)]));
  });

  it('Secure Boot needs q35', () => {
    expect(fields({ ...minimal, machine: 'pc', firmware: 'uefi-secure' })).toEqual([expect.stringMatching(/^firmware: .*q35/)]);
  });
});

describe('migrations', () => {
  it('upgrades step by step and validates the result', () => {
    const steps = { 0: (d: Record<string, unknown>) => ({ ...d, renamed: d.old }), 1: (d: Record<string, unknown>) => ({ ...d, added: true }) };
    expect(migrate({ old: 1 }, steps, 2)).toEqual({ old: 1, renamed: 1, added: true, schemaVersion: 2 });
  });

  it('refuses a document from a newer Guestbay instead of guessing', () => {
    expect(fields({ ...minimal, schemaVersion: VM_CONFIG_VERSION + 1 })).toEqual([expect.stringMatching(/^schemaVersion: written by a newer Guestbay/)]);
  });

  it('1 → 2: display.backend becomes viewer + window; Guestbay\'s view unless the config needed a window', () => {
    const v1 = (display: Record<string, unknown>) => parseVmConfig({ ...minimal, schemaVersion: 1, display }).display;
    expect(v1({ device: 'virtio-vga', backend: 'gtk', gl: false })).toMatchObject({ viewer: 'guestbay', window: 'gtk', gl: false });
    expect(v1({ device: 'std', backend: 'vnc', gl: false })).toMatchObject({ viewer: 'guestbay', window: 'gtk' });
    expect(v1({ device: 'std', backend: 'none', gl: false })).toMatchObject({ viewer: 'guestbay' });
    expect(v1({ device: 'virtio-vga', backend: 'sdl', gl: true })).toMatchObject({ viewer: 'window', window: 'sdl', gl: true });
    expect(v1({ device: 'qxl', backend: 'spice', gl: false })).toMatchObject({ viewer: 'window', window: 'spice' });
    expect(v1({ device: 'std', backend: 'gtk', gl: false })).not.toHaveProperty('backend');
    // A v1 document without a display section gets the v2 default.
    expect(parseVmConfig({ ...minimal, schemaVersion: 1 }).display).toMatchObject({ viewer: 'guestbay', window: 'gtk' });
  });

  it('refuses what is not an object', () => {
    expect(fields([1, 2])).toEqual([expect.stringContaining('JSON object')]);
  });

  it('1 → 3 and 2 → 3: media drives get the ids the launch plan gave them, so QEMU\'s drive names stay; new settings their defaults', () => {
    const media = [
      { role: 'bootloader', path: 'OpenCore.qcow2', format: 'qcow2', as: 'disk' },
      { role: 'install', path: '/isos/a.iso' },
      { role: 'drivers', path: '/isos/virtio-win.iso' },
    ];
    const v1 = { ...minimal, schemaVersion: 1, media, display: { device: 'virtio-vga', backend: 'sdl', gl: true } };
    const v2 = { ...minimal, schemaVersion: 2, media, display: { device: 'virtio-vga', viewer: 'window', window: 'sdl', gl: true } };
    for (const doc of [v1, v2]) {
      const c = parseVmConfig(doc);
      expect(c.schemaVersion).toBe(VM_CONFIG_VERSION);
      expect(c.media.map((m) => m.id)).toEqual(['boot0', 'install0', 'drivers1']);
      // Both steps ran from v1: the display is v2's, the media v3's.
      expect(c.display).toEqual({ device: 'virtio-vga', viewer: 'window', window: 'sdl', gl: true });
      expect(c).toMatchObject({ cpu: { threads: 1 }, autostart: false });
      expect(c.bootOrder).toBeUndefined();
    }
    // Ids a drive already has are kept (a v2 document written with them).
    expect(parseVmConfig({ ...v2, media: [{ id: 'cd7', role: 'install', path: '/isos/a.iso' }] }).media[0]!.id).toBe('cd7');
    // A v2 document written while version 2 still had display.backend gets the display step too.
    expect(parseVmConfig({ ...minimal, schemaVersion: 2, display: { device: 'qxl', backend: 'spice', gl: false } }).display).toMatchObject({ viewer: 'window', window: 'spice' });
    expect(parseVmConfig({ ...minimal, schemaVersion: 2, display: { device: 'qxl', backend: 'spice', gl: false } }).display).not.toHaveProperty('backend');
  });

  it('an empty drive is a CD/DVD drive; drive ids are unique; the boot order names what exists', () => {
    const base = { ...minimal, disks: [{ id: 'system', path: 'a.qcow2' }] };
    expect(fields({ ...base, media: [{ id: 'cd0', role: 'install' }] })).toEqual([]);
    expect(fields({ ...base, media: [{ id: 'r0', role: 'recovery', as: 'disk' }] })).toEqual(['media.0.path: Only a CD/DVD drive can be empty: give this drive an image.']);
    expect(fields({ ...base, media: [{ id: 'cd0', role: 'install' }, { id: 'cd0', role: 'install' }] })).toEqual(['media.1.id: The drive id "cd0" is used twice: give each drive its own.']);
    expect(fields({ ...base, bootOrder: ['disk:system', 'media:cd9', 'network'] })).toEqual(['bootOrder.1: The boot order names drive "cd9", which this guest does not have.']);
  });
});
