import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FirmwareEntry } from '../../../src/shared/host-caps';
import { machineMatches, parseFirmwareDescriptor, pickFirmware, probeFirmware } from '../../../src/main/host/firmware';
import { resolveContext } from '../../../src/main/host/options';
import { makeHost } from './helpers';

const probe = async (tree: 'debian12' | 'arch') =>
  probeFirmware(resolveContext((await makeHost({ tree, cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt' })).options));

describe('firmware descriptors: Debian 12', () => {
  it('reads the three OVMF builds in file-name order', async () => {
    const fw = await probe('debian12');
    expect(fw.map((f) => f.descriptor)).toEqual([
      '/usr/share/qemu/firmware/40-edk2-x86_64-secure-enrolled.json',
      '/usr/share/qemu/firmware/50-edk2-x86_64-secure.json',
      '/usr/share/qemu/firmware/60-edk2-x86_64.json',
    ]);
    expect(fw[0]).toMatchObject({
      type: 'uefi',
      executable: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd',
      varsTemplate: '/usr/share/OVMF/OVMF_VARS_4M.ms.fd',
      format: 'raw',
      machines: ['pc-q35-*'],
      secureBoot: true,
      enrolledKeys: true,
      requiresSmm: true,
    });
    expect(fw[2]).toMatchObject({ machines: ['pc-i440fx-*', 'pc-q35-*'], secureBoot: false, requiresSmm: false });
  });

  it('picks what a user expects', async () => {
    const fw = await probe('debian12');
    const pick = (secureBoot: boolean, machine: string) => pickFirmware(fw, { type: 'uefi', secureBoot, machine })?.descriptor;
    // Windows 11: Secure Boot enforced with Microsoft keys, even though 40 also lists amd-sev.
    expect(pick(true, 'pc-q35-7.2')).toMatch(/40-edk2-x86_64-secure-enrolled/);
    // Plain UEFI: the build without Secure Boot, not the higher-priority 40/50.
    expect(pick(false, 'pc-q35-7.2')).toMatch(/60-edk2-x86_64/);
    expect(pick(false, 'pc-i440fx-7.2')).toMatch(/60-edk2-x86_64/);
    // Secure Boot needs SMM, which these builds only declare for q35.
    expect(pick(true, 'pc-i440fx-7.2')).toBeUndefined();
    // An unresolved alias matches no glob: the caller must resolve it first.
    expect(pick(false, 'q35')).toBeUndefined();
    // No BIOS descriptor: SeaBIOS is QEMU's default, so that is fine.
    expect(pickFirmware(fw, { type: 'bios', secureBoot: false, machine: 'pc-q35-7.2' })).toBeUndefined();
  });
});

describe('firmware descriptors: precedence (Arch + /etc + ~/.config)', () => {
  it('user and admin files override and mask the distribution', async () => {
    const fw = await probe('arch');
    expect(fw.map((f) => f.descriptor.replace(/^.*\/(home|etc|usr)\//, '$1/'))).toEqual([
      'home/.config/qemu/firmware/10-ovmf-git.json', // user's own build, sorted first
      'etc/qemu/firmware/50-edk2-ovmf-x86_64-secure-4m.json', // admin replaced the distro's
      'usr/share/qemu/firmware/81-edk2-ovmf-ia32-on-x86_64-4m.json',
    ]); // 70 masked by an empty file in /etc; 20 is i386-only
    expect(fw[0]).toMatchObject({ format: 'qcow2', varsTemplate: '/opt/ovmf-git/OVMF_VARS.qcow2' });
    expect(fw[1]).toMatchObject({ enrolledKeys: true, varsTemplate: '/opt/ovmf-git/OVMF_VARS.ms.fd' });
    expect(pickFirmware(fw, { type: 'uefi', secureBoot: false, machine: 'pc-q35-10.0' })?.descriptor).toMatch(/10-ovmf-git/);
    expect(pickFirmware(fw, { type: 'uefi', secureBoot: true, machine: 'pc-q35-10.0' })?.descriptor).toMatch(/etc\/qemu\/firmware\/50-/);
    expect(pickFirmware(fw, { type: 'uefi', secureBoot: false, machine: 'pc-i440fx-10.0' })?.descriptor).toMatch(/81-edk2/);
  });

  it('a descriptor whose files are gone is not firmware', async () => {
    const h = await makeHost({ tree: 'debian12', cpuinfo: 'amd-epyc-nested.txt', osRelease: 'debian12.txt' });
    const dir = join(h.root, 'home/.config/qemu/firmware');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, '05-removed.json'),
      JSON.stringify({
        'interface-types': ['uefi'],
        mapping: { device: 'flash', executable: { filename: '/gone/CODE.fd', format: 'raw' }, 'nvram-template': { filename: '/gone/VARS.fd' } },
        targets: [{ architecture: 'x86_64', machines: ['pc-q35-*'] }],
        features: [],
      }),
    );
    await writeFile(join(dir, '06-broken.json'), '{ not json');
    expect((await probeFirmware(resolveContext(h.options))).map((f) => f.descriptor)).toHaveLength(3);
  });
});

describe('parseFirmwareDescriptor', () => {
  const parse = (json: unknown) => parseFirmwareDescriptor({ path: '/d.json', json });
  const targets = [{ architecture: 'x86_64', machines: ['pc-i440fx-*', 'pc-q35-*'] }];

  it('SeaBIOS mapped as memory is a BIOS entry for -bios', () => {
    const e = parse({ description: 'SeaBIOS', 'interface-types': ['bios'], mapping: { device: 'memory', filename: '/usr/share/seabios/bios-256k.bin' }, targets, features: [] });
    expect(e).toMatchObject({ type: 'bios', executable: '/usr/share/seabios/bios-256k.bin', secureBoot: false });
    expect(e?.varsTemplate).toBeUndefined();
  });

  it('drops builds that cannot run a normal guest: memory-mapped or stateless UEFI, kernel mappings', () => {
    expect(parse({ 'interface-types': ['uefi'], mapping: { device: 'memory', filename: '/usr/share/edk2/ovmf/OVMF.amdsev.fd' }, targets, features: ['amd-sev', 'amd-sev-es'] })).toBeNull();
    expect(parse({ 'interface-types': ['uefi'], mapping: { device: 'flash', mode: 'stateless', executable: { filename: '/x.fd', format: 'raw' } }, targets, features: [] })).toBeNull();
    expect(parse({ 'interface-types': ['uefi'], mapping: { device: 'kernel', filename: '/x.fd' }, targets, features: ['amd-sev'] })).toBeNull();
    expect(parse({ 'interface-types': ['openfirmware'], mapping: { device: 'memory', filename: '/x' }, targets, features: [] })).toBeNull();
    expect(parse(null)).toBeNull();
  });

  it('globs', () => {
    expect(machineMatches('pc-q35-*', 'pc-q35-10.0')).toBe(true);
    expect(machineMatches('pc-q35-*', 'pc-i440fx-10.0')).toBe(false);
    expect(machineMatches('pc-q35-?.?', 'pc-q35-7.2')).toBe(true);
    expect(machineMatches('pc-q35-7.2', 'pc-q35-702')).toBe(false); // '.' is literal
  });
});

describe('pickFirmware without a build lacking Secure Boot', () => {
  const entry = (name: string, features: string[]): FirmwareEntry => ({
    descriptor: name,
    description: '',
    type: 'uefi',
    architecture: 'x86_64',
    machines: ['pc-q35-*'],
    features,
    executable: `/${name}.fd`,
    varsTemplate: '/VARS.fd',
    format: 'raw',
    secureBoot: features.includes('secure-boot'),
    enrolledKeys: features.includes('enrolled-keys'),
    requiresSmm: features.includes('requires-smm'),
  });
  const enrolled = entry('enrolled', ['secure-boot', 'enrolled-keys', 'requires-smm']);
  const emptyKeys = entry('empty-keys', ['secure-boot', 'requires-smm']);
  const want = { type: 'uefi' as const, machine: 'pc-q35-9.2' };

  it('Secure Boot off falls back to an SB build with no keys, never to one with keys enrolled', () => {
    expect(pickFirmware([enrolled, emptyKeys], { ...want, secureBoot: false })?.descriptor).toBe('empty-keys');
    expect(pickFirmware([enrolled], { ...want, secureBoot: false })).toBeUndefined();
  });

  it('Secure Boot on takes an empty key store when no build has keys', () => {
    expect(pickFirmware([emptyKeys, enrolled], { ...want, secureBoot: true })?.descriptor).toBe('enrolled');
    expect(pickFirmware([emptyKeys], { ...want, secureBoot: true })?.descriptor).toBe('empty-keys');
  });
});
