// Parsers against output saved from QEMU 7.2 (Debian 12) and QEMU 10.0 (Debian 13).
import { describe, expect, it } from 'vitest';
import {
  parseAudiodevHelp,
  parseDeviceHelp,
  parseMachineAliases,
  parseNameList,
  parseQemuVersion,
} from '../../../../src/main/qemu/probe/help';
import { hasFileMigration, parseQmpSchema } from '../../../../src/main/qemu/probe/qmp-schema';
import { readFixture } from '../../host/helpers';

const q = (v: string, f: string) => readFixture('qemu', v, f);

describe('QEMU 7.2 listings', () => {
  it('version', async () => {
    expect(parseQemuVersion(await q('7.2', 'version.txt'))).toEqual({ version: '7.2.22', major: 7, minor: 2 });
  });

  it('-device help: names only', async () => {
    const devices = parseDeviceHelp(await q('7.2', 'device-help.txt'));
    expect(devices).toEqual(expect.arrayContaining(['virtio-net-pci', 'vhost-user-fs-pci', 'qxl-vga', 'tpm-crb', 'usb-tablet', 'pcie-root-port', 'isa-debug-exit']));
    expect(devices).not.toContain('virtio-sound-pci'); // QEMU 8.2+
    expect(devices.every((d) => !d.includes('"') && !d.includes(' '))).toBe(true);
  });

  it('-machine help: aliases', async () => {
    expect(parseMachineAliases(await q('7.2', 'machine-help.txt'))).toEqual({ pc: 'pc-i440fx-7.2', q35: 'pc-q35-7.2' });
  });

  it('backends missing as modules (gtk, sdl, pa) are left out', async () => {
    expect(parseNameList(await q('7.2', 'accel-help.txt'))).toEqual(['tcg', 'kvm']);
    expect(parseNameList(await q('7.2', 'display-help.txt'))).toEqual(['none', 'egl-headless', 'curses', 'spice-app', 'dbus']);
    expect(parseNameList(await q('7.2', 'netdev-help.txt'))).toContain('user');
    expect(parseAudiodevHelp(await q('7.2', 'audiodev-help.txt'), await q('7.2', 'audiodev-help.stderr.txt'))).toEqual([
      'none', 'alsa', 'dbus', 'oss', 'sndio', 'spice', 'wav',
    ]);
  });

  it('QMP schema: no file: migration transport', async () => {
    const schema = parseQmpSchema(await q('7.2', 'qmp-schema.jsonl'));
    expect(schema?.length).toBeGreaterThan(50);
    expect(hasFileMigration(schema ?? [])).toBe(false);
  });
});

describe('QEMU 10.0 listings', () => {
  it('version, devices and aliases', async () => {
    expect(parseQemuVersion(await q('10.0', 'version.txt'))).toEqual({ version: '10.0.13', major: 10, minor: 0 });
    expect(parseDeviceHelp(await q('10.0', 'device-help.txt'))).toContain('virtio-sound-pci');
    expect(parseMachineAliases(await q('10.0', 'machine-help.txt'))).toEqual({ pc: 'pc-i440fx-10.0', q35: 'pc-q35-10.0' });
  });

  it('-display help stops before the prose QEMU 10 appends', async () => {
    expect(parseNameList(await q('10.0', 'display-help.txt'))).toEqual(['none', 'curses']);
    expect(parseAudiodevHelp(await q('10.0', 'audiodev-help.txt'), '')).toEqual(['none', 'alsa', 'oss', 'wav']);
  });

  it('QMP schema: the migration transport enum has file', async () => {
    expect(hasFileMigration(parseQmpSchema(await q('10.0', 'qmp-schema.jsonl')) ?? [])).toBe(true);
  });
});

describe('robustness', () => {
  it('-audiodev help without the list header: known driver words, minus missing modules', () => {
    const stderr = "qemu: module audio-audio-pa not found\nqemu-system-x86_64: -audiodev help: Parameter 'id' is missing\n";
    expect(parseAudiodevHelp('none\nalsa\npa\nwav\n', stderr)).toEqual(['none', 'alsa', 'wav']);
    expect(parseAudiodevHelp('', "-audiodev help: invalid option\n")).toEqual([]);
  });

  it('members-style enums (values dropped) are read too', () => {
    const schema = [{ 'meta-type': 'enum', members: [{ name: 'socket' }, { name: 'exec' }, { name: 'file' }] }];
    expect(hasFileMigration(schema)).toBe(true);
    expect(hasFileMigration([{ 'meta-type': 'enum', values: ['file', 'serial', 'pipe'] }])).toBe(false);
  });

  it('a QMP conversation cut short has no schema', () => {
    expect(parseQmpSchema('{"QMP": {}}\n{"return": {}}\n{"return": [{"name": "query-status", "meta-type": "com')).toBeNull();
  });

  it('version strings without a micro number', () => {
    expect(parseQemuVersion('QEMU emulator version 9.1')).toEqual({ version: '9.1', major: 9, minor: 1 });
    expect(parseQemuVersion('garbage')).toBeNull();
  });
});
