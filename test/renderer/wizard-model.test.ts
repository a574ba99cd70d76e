// The wizard's model, directly: its defaults, checks and request come from the preset as
// `presets.list` describes it (here built the same way the API builds it), not from copies.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/presets';
import { describePreset } from '../../src/shared/presets/describe';
import {
  buildRequest,
  defaultFirmware,
  effectiveTpm,
  fieldKey,
  initialWizard,
  presetDefaults,
  requirements,
  stepOfField,
  validateStep,
  type WizardState,
} from '../../src/renderer/pages/wizard/model';

const presets = PRESETS.map((p) => describePreset(p, { threads: 8, memoryMiB: 16384 }));
const preset = (id: string) => presets.find((p) => p.id === id)!;
const state = (patch: Partial<WizardState>): WizardState => ({ ...initialWizard, name: 'g', ...patch });

describe('wizard model', () => {
  it('shows the preset\'s own defaults, and those for a kernel booted directly or a driver disc', () => {
    const linux = preset('linux');
    expect(presetDefaults(state({ os: 'linux' }), linux)).toBe(linux.defaults);
    expect(defaultFirmware(state({ os: 'linux' }), linux)).toBe('uefi');
    expect(defaultFirmware(state({ os: 'linux', kernel: '/boot/vmlinuz' }), linux)).toBe('bios');
    // A driver disc means nothing to Linux.
    expect(presetDefaults(state({ os: 'linux', driversIso: '/d.iso' }), linux)).toBe(linux.defaults);

    const w10 = preset('windows-10');
    expect(presetDefaults(state({ os: 'windows-10' }), w10)).toMatchObject({ diskBus: 'sata', nic: 'e1000e', shareMethod: 'smb' });
    expect(presetDefaults(state({ os: 'windows-10', driversIso: '/d.iso' }), w10)).toMatchObject({ diskBus: 'virtio', nic: 'virtio-net', shareMethod: 'virtiofs' });
    // A kernel means nothing to Windows.
    expect(defaultFirmware(state({ os: 'windows-10', kernel: '/k' }), w10)).toBe('uefi');
  });

  it('Windows 11\'s requirements come from its traits: the default and the check', () => {
    const w11 = preset('windows-11');
    expect(requirements(w11)).toBe('UEFI + Secure Boot and a TPM 2.0');
    expect(requirements(preset('windows-10'))).toBeNull();
    expect(defaultFirmware(state({ os: 'windows-11' }), w11)).toBe('uefi-secure');
    expect(effectiveTpm(state({ os: 'windows-11' }), w11)).toBe(true);
    expect(validateStep('firmware', state({ os: 'windows-11' }), w11)).toEqual({});
    expect(validateStep('firmware', state({ os: 'windows-11', tpm: false }), w11)).toEqual({ firmware: 'Windows 11 installs only with UEFI + Secure Boot and a TPM 2.0' });
    expect(validateStep('firmware', state({ os: 'windows-11', firmware: 'uefi' }), w11).firmware).toMatch(/Windows 11 installs only/);
    expect(validateStep('firmware', state({ os: 'windows-10', firmware: 'bios', tpm: false }), preset('windows-10'))).toEqual({});
  });

  it('checks kernel fields only for systems that boot a kernel directly', () => {
    expect(validateStep('media', state({ os: 'linux', initrd: '/i' }), preset('linux'))).toHaveProperty('initrd');
    expect(validateStep('media', state({ os: 'windows-10', initrd: '/i' }), preset('windows-10'))).toEqual({});
  });

  it('a disk size left empty is the preset\'s own: not checked, not sent', () => {
    const linux = preset('linux');
    expect(validateStep('resources', state({ os: 'linux' }), linux)).toEqual({});
    expect(validateStep('resources', state({ os: 'linux', diskSize: 'lots' }), linux).diskSize).toMatch(/not a size/);
    expect(buildRequest(state({ os: 'linux' }), linux).diskSize).toBeUndefined();
    expect(buildRequest(state({ os: 'linux', diskSize: ' 20G ' }), linux).diskSize).toBe('20G');
  });

  it('sends what the system takes: a driver disc only where it has one, a kernel only where it boots one, and only changed choices', () => {
    const all = { iso: '/i.iso', driversIso: '/d.iso', kernel: '/k', initrd: '/r', append: 'quiet' };
    expect(buildRequest(state({ os: 'linux', ...all }), preset('linux'))).toMatchObject({ preset: 'linux', driversIso: undefined, kernel: '/k', initrd: '/r', append: 'quiet', overrides: undefined });
    expect(buildRequest(state({ os: 'windows-11', ...all }), preset('windows-11'))).toMatchObject({ preset: 'windows-11', driversIso: '/d.iso', kernel: undefined, initrd: undefined });
    expect(buildRequest(state({ os: 'linux', nic: 'rtl8139', shareMethod: 'smb', cores: '3' }), preset('linux')).overrides).toEqual({ nic: 'rtl8139', shareMethod: 'smb', cores: 3 });
  });

  it('offers Linux every share method the OS table lists (SMB included), macOS no virtiofs', () => {
    expect(preset('linux').traits.shareMethods).toEqual(['virtiofs', '9p', 'smb']);
    expect(preset('macos-sonoma').traits.shareMethods).toEqual(['9p', 'smb']);
  });

  it('maps server fields onto steps and wizard fields', () => {
    expect(stepOfField('overrides.cores')).toBe('resources');
    expect(stepOfField('disks.0.bus')).toBe('devices');
    expect(stepOfField('sharedFolders.1.method')).toBe('shares');
    expect(stepOfField('nonsense')).toBeNull();
    expect(fieldKey('disks.0.size')).toBe('diskSize');
    expect(fieldKey('memoryMiB')).toBe('memoryGiB');
    expect(fieldKey('sharedFolders.2')).toBe('shares.2');
  });
});
