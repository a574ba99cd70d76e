// The OS table answers the questions presets, the wizard and the launch plan ask; these tests
// pin the answers that decide a guest's devices, and that the presets take them from the table.
import { describe, expect, it } from 'vitest';
import { calls } from '../../../src/shared/contract';
import { MACOS_RELEASES } from '../../../src/shared/os/macos-releases';
import { osTraits } from '../../../src/shared/os/os-table';
import { buildPreset, PRESETS } from '../../../src/shared/presets';
import { describePreset } from '../../../src/shared/presets/describe';
import { autoDisplay } from '../../../src/shared/os/arch-table';

const host = { threads: 16, memoryMiB: 32768 };

describe('OS table', () => {
  it('every family can mount its own default share method, and Linux every method', () => {
    for (const [family, version] of [['linux', 'generic'], ['windows', '10'], ['windows', '11'], ['macos', 'sonoma'], ['other', 'x']] as const) {
      const t = osTraits(family, version);
      expect(t.shareMethods).toContain(t.builtIn.shareMethod);
      if (t.withDriverDisc) expect(t.shareMethods).toContain(t.withDriverDisc.shareMethod);
    }
    expect(osTraits('linux', 'generic').shareMethods).toEqual(['virtiofs', '9p', 'smb']);
    expect(osTraits('macos', 'sonoma').shareMethods).not.toContain('virtiofs');
  });

  it('Windows: emulated devices and SMB without the driver disc, virtio with it; 11 requires Secure Boot and a TPM', () => {
    expect(osTraits('windows', '10').builtIn).toEqual({ diskBus: 'sata', nic: 'e1000e', shareMethod: 'smb' });
    expect(osTraits('windows', '10').withDriverDisc).toEqual({ diskBus: 'virtio', nic: 'virtio-net', shareMethod: 'virtiofs' });
    expect(osTraits('windows', '10').requires).toEqual({});
    expect(osTraits('windows', '11').requires).toEqual({ firmware: 'uefi-secure', tpm: true });
    expect(osTraits('linux', 'generic').withDriverDisc).toBeUndefined();
  });

  it('macOS: devices, CPU and core rule per release from the release table; unknown releases name no CPU', () => {
    for (const r of MACOS_RELEASES) {
      const t = osTraits('macos', r.key);
      expect(t.builtIn).toEqual({ diskBus: r.diskBus, nic: r.nic, shareMethod: '9p' });
      expect(t.namedCpu).toBe(r.cpu);
      expect(t.powerOfTwoCores).toBe(r.maxCoresPowerOfTwo);
      expect(t.apple).toBe(true);
    }
    expect(osTraits('macos', 'snow-leopard').namedCpu).toBeUndefined();
    expect(osTraits('linux', 'generic').namedCpu).toBeUndefined();
  });

  it('the presets take their devices, display and requirements from the table', () => {
    for (const p of PRESETS) {
      const t = osTraits(p.family, p.version);
      for (const drivers of [false, true]) {
        const { config: c } = buildPreset(p.id, { name: 'g', host, shares: ['/s'], driversIso: drivers ? '/d.iso' : undefined });
        const dev = (drivers && t.withDriverDisc) || t.builtIn;
        expect([c.disks[0]!.bus, c.network.nic, c.sharedFolders[0]!.method]).toEqual([dev.diskBus, dev.nic, dev.shareMethod]);
        // The OS's display, on a board that has it (an ARM or RISC-V guest has no VGA: the arch table's).
        expect(c.display.device).toBe(autoDisplay(c.arch, t.display));
        if (t.requires.firmware) expect(c.firmware).toBe(t.requires.firmware);
        expect(c.tpm.enabled).toBe(t.requires.tpm ?? false);
      }
    }
  });
});

describe('presets as presets.list describes them', () => {
  const described = PRESETS.map((p) => describePreset(p, host));
  const byId = (id: string) => described.find((d) => d.id === id)!;

  it('match the contract, and say what the preset really makes here', () => {
    expect(calls['presets.list'].output.parse(described)).toEqual(described);
    for (const d of described) {
      const { config: c } = buildPreset(d.id, { name: 'g', host, shares: ['/s'] });
      expect(d.defaults).toEqual({
        firmware: c.firmware,
        tpm: c.tpm.enabled,
        cores: c.cpu.cores,
        memoryMiB: c.memoryMiB,
        diskSize: c.disks[0]!.size,
        diskBus: c.disks[0]!.bus,
        nic: c.network.nic,
        display: c.display.device,
        shareMethod: c.sharedFolders[0]!.method,
      });
      expect(d.traits.shareMethods).toEqual(osTraits(d.family, d.version).shareMethods);
    }
  });

  it('with a kernel (Linux: BIOS) and with a driver disc (Windows: virtio), where the OS has them', () => {
    expect(byId('linux').traits).toMatchObject({ kernelBoot: true, driverDisc: false, requires: {} });
    expect(byId('linux').defaults.firmware).toBe('uefi');
    expect(byId('linux').withKernel?.firmware).toBe('bios');
    expect(byId('linux').withDriverDisc).toBeUndefined();

    const w11 = byId('windows-11');
    expect(w11.traits).toMatchObject({ kernelBoot: false, driverDisc: true, requires: { firmware: 'uefi-secure', tpm: true } });
    expect(w11.defaults).toMatchObject({ diskBus: 'sata', nic: 'e1000e', shareMethod: 'smb', firmware: 'uefi-secure', tpm: true });
    expect(w11.withDriverDisc).toMatchObject({ diskBus: 'virtio', nic: 'virtio-net', shareMethod: 'virtiofs' });
    expect(w11.withKernel).toBeUndefined();
    expect(byId('windows-10').defaults).toMatchObject({ firmware: 'uefi', tpm: false });

    expect(byId('macos-mojave').defaults).toMatchObject({ diskBus: 'sata', nic: 'vmxnet3', shareMethod: '9p', display: 'vmware-svga' });
    expect(byId('macos-sonoma').defaults).toMatchObject({ diskBus: 'virtio', nic: 'virtio-net', cores: 8, memoryMiB: 8192 });
  });

  it('are sized by the host given', () => {
    const small = describePreset(PRESETS.find((p) => p.id === 'linux')!, { threads: 2, memoryMiB: 4096 });
    expect(small.defaults).toMatchObject({ cores: 1, memoryMiB: 2048 });
    expect(byId('linux').defaults).toMatchObject({ cores: 4, memoryMiB: 4096 });
  });
});
