// The generated config.plist, read back by an independent parser (Python's plistlib, the
// reference reader for Apple's XML plists) rather than by our own writer's assumptions.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openCoreConfig, openCoreConfigXml, plistXml, type PlistDict } from '../../../../src/main/macos/opencore/config-plist';
import { MACOS_RELEASES, type MacosReleaseKey } from '../../../../src/shared/os/macos-releases';
import { OPENCORE_DRIVERS } from '../../../../src/main/macos/opencore/release';
import type { MacIdentity } from '../../../../src/main/macos/identity';

const identity: MacIdentity = {
  model: 'iMacPro1,1',
  serial: 'C02C5DYRHX87',
  mlb: 'C02004310QXJG361F',
  rom: '028a8b9115c3',
  uuid: '5B0A5AAD-F1EC-4FA1-AB46-D764D80D0A37',
};

/** plistlib's reading as JSON: bytes become {"$data": base64}, so types stay visible. */
function parseWithPython(xml: string): any {
  const script = [
    'import plistlib, sys, json, base64',
    'def conv(v):',
    '    if isinstance(v, bytes): return {"$data": base64.b64encode(v).decode()}',
    '    if isinstance(v, bool): return v',
    '    if isinstance(v, int): return {"$int": v}',
    '    if isinstance(v, dict): return {k: conv(x) for k, x in v.items()}',
    '    if isinstance(v, list): return [conv(x) for x in v]',
    '    return v',
    'print(json.dumps(conv(plistlib.loads(sys.stdin.buffer.read()))))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: xml }).toString());
}

const int = (n: number) => ({ $int: n });
const data = (b: number[] | Buffer) => ({ $data: Buffer.from(b).toString('base64') });

describe('OpenCore config.plist', () => {
  const xml = openCoreConfigXml({ identity, resolution: { width: 1920, height: 1080 }, release: 'sonoma' });
  const p = parseWithPython(xml);

  it('is a valid XML plist with the guest identity in PlatformInfo/Generic', () => {
    expect(p.PlatformInfo.Automatic).toBe(true);
    expect(p.PlatformInfo.UpdateSMBIOS).toBe(true);
    expect(p.PlatformInfo.UpdateSMBIOSMode).toBe('Create');
    expect(p.PlatformInfo.Generic).toMatchObject({
      SystemProductName: 'iMacPro1,1',
      SystemSerialNumber: 'C02C5DYRHX87',
      MLB: 'C02004310QXJG361F',
      SystemUUID: '5B0A5AAD-F1EC-4FA1-AB46-D764D80D0A37',
      // Six raw bytes, not the hex text.
      ROM: data([0x02, 0x8a, 0x8b, 0x91, 0x15, 0xc3]),
      SpoofVendor: true,
    });
  });

  it('lets OpenCore find the FAT recovery partition and virtio disks, and load only signed DMGs', () => {
    expect(p.Misc.Security).toMatchObject({ ScanPolicy: int(0), DmgLoading: 'Signed', SecureBootModel: 'Disabled', Vault: 'Optional', HaltLevel: int(0x80000000) });
    expect(p.Misc.Boot).toMatchObject({ ShowPicker: true, Timeout: int(10), HideAuxiliary: false, PickerMode: 'Builtin', LauncherOption: 'Disabled' });
  });

  it('loads only OpenCorePkg drivers that exist in the release, in order', () => {
    expect(p.UEFI.Drivers.map((d: any) => d.Path)).toEqual(OPENCORE_DRIVERS.map((d) => d.file));
    expect(p.UEFI.Drivers.map((d: any) => d.Path)).toEqual(['OpenRuntime.efi', 'OpenHfsPlus.efi', 'OpenPartitionDxe.efi', 'ResetNvramEntry.efi']);
    for (const d of p.UEFI.Drivers) expect(d).toMatchObject({ Enabled: true, LoadEarly: false, Arguments: '' });
    expect(p.UEFI.ConnectDrivers).toBe(true);
  });

  it('sets the chosen resolution, a console GOP, and QEMU quirks', () => {
    expect(p.UEFI.Output).toMatchObject({ Resolution: '1920x1080@32', ProvideConsoleGop: true, TextRenderer: 'BuiltinGraphics' });
    expect(p.Booter.Quirks).toMatchObject({ AvoidRuntimeDefrag: true, EnableWriteUnprotector: true, ProvideCustomSlide: true, SetupVirtualMap: false, ResizeAppleGpuBars: int(-1) });
    expect(p.Kernel.Quirks).toMatchObject({ ProvideCurrentCpuInfo: true, PanicNoKextDump: true, PowerTimeoutKernelPanic: true, DisableIoMapper: false, DisableLinkeditJettison: true });
    expect(p.Kernel.Emulate).toMatchObject({ Cpuid1Data: data([]), DummyPowerManagement: true });
    // No CPU patches or kexts: the guest CPU comes from Guestbay's -cpu.
    expect(p.Kernel.Add).toEqual([]);
    expect(p.Kernel.Patch).toEqual([]);
    expect(p.UEFI.APFS).toMatchObject({ EnableJumpstart: true, MinDate: int(0), MinVersion: int(0) });
  });

  it('NVRAM: boot-args re-applied every boot, SIP on, csr-active-config as 4 bytes', () => {
    const apple = p.NVRAM.Add['7C436110-AB2A-4BBB-A880-FE41995C9F82'];
    expect(apple['boot-args']).toBe('keepsyms=1 debug=0x100');
    expect(apple['csr-active-config']).toEqual(data([0, 0, 0, 0]));
    expect(apple['prev-lang:kbd']).toEqual(data(Buffer.from('en-US:0')));
    expect(p.NVRAM.Delete['7C436110-AB2A-4BBB-A880-FE41995C9F82']).toEqual(['boot-args']);
    expect(p.NVRAM.WriteFlash).toBe(true);
  });

  it('options: verbose boot, timeout, old releases allow older APFS drivers', () => {
    const q = parseWithPython(openCoreConfigXml({ identity, resolution: { width: 1280, height: 800 }, release: 'mojave', verbose: true, timeoutSeconds: 0 }));
    expect(q.NVRAM.Add['7C436110-AB2A-4BBB-A880-FE41995C9F82']['boot-args']).toBe('-v keepsyms=1 debug=0x100');
    expect(q.Misc.Boot.Timeout).toEqual(int(0));
    expect(q.UEFI.APFS).toMatchObject({ MinDate: int(-1), MinVersion: int(-1) });
    expect(q.UEFI.Output.Resolution).toBe('1280x800@32');
  });

  it('the APFS driver age follows the release table: any age up to Catalina and for an unknown release, OpenCore\'s default after', () => {
    const apfs = (release?: MacosReleaseKey) => (openCoreConfig({ identity, resolution: { width: 1920, height: 1080 }, release }).UEFI as PlistDict).APFS;
    for (const r of MACOS_RELEASES) expect(apfs(r.key), r.key).toMatchObject(r.oldApfsDriver ? { MinDate: -1, MinVersion: -1 } : { MinDate: 0, MinVersion: 0 });
    expect(apfs('catalina')).toMatchObject({ MinDate: -1 });
    expect(apfs('big-sur')).toMatchObject({ MinDate: 0 });
    expect(apfs(undefined)).toMatchObject({ MinDate: -1 });
  });

  it('refuses malformed identities and sizes instead of writing undefined values for OpenCore', () => {
    const res = { width: 1920, height: 1080 };
    expect(() => openCoreConfig({ identity: { ...identity, rom: '0011223344' }, resolution: res })).toThrow(/ROM/);
    expect(() => openCoreConfig({ identity: { ...identity, serial: 'c02c5dyrhx87' }, resolution: res })).toThrow(/serial/);
    expect(() => openCoreConfig({ identity: { ...identity, uuid: 'nope' }, resolution: res })).toThrow(/UUID/);
    expect(() => openCoreConfig({ identity, resolution: { width: 1920.5, height: 1080 } })).toThrow(/resolution/);
    expect(() => openCoreConfig({ identity, resolution: res, timeoutSeconds: -1 })).toThrow(/timeout/);
  });

  it('the plist writer escapes text, encodes data as base64 and keeps key order', () => {
    const tricky = 'a < b && c > "d" \'e\' ü ∞ 🍎';
    const out = parseWithPython(plistXml({ 'k&<>': tricky, z: 1, a: [true, false, new Uint8Array([255, 0, 1])], empty: {}, none: [], n: -2147483648 }));
    expect(out).toEqual({ 'k&<>': tricky, z: int(1), a: [true, false, data([255, 0, 1])], empty: {}, none: [], n: int(-2147483648) });
    expect(Object.keys(out)).toEqual(['k&<>', 'z', 'a', 'empty', 'none', 'n']);
    expect(() => plistXml({ x: 1.5 })).toThrow(/not an integer/);
    expect(() => plistXml({ x: 'bell\u0007' })).toThrow(/control character/);
  });

  it('writes the top-level sections in the Sample.plist order', () => {
    expect(Object.keys(p)).toEqual(['#Generated', 'ACPI', 'Booter', 'DeviceProperties', 'Kernel', 'Misc', 'NVRAM', 'PlatformInfo', 'UEFI']);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"')).toBe(true);
  });
});
