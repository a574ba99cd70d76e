import { describe, expect, it } from 'vitest';
import { macosPreflight, type PreflightFacts } from '../../../src/main/macos/preflight';
import { macosRelease } from '../../../src/shared/os/macos-releases';
import { hostFixture } from '../../fixtures/caps/hosts';

const GiB = 2 ** 30;
function facts(kind: 'amd-kvm' | 'intel-kvm' | 'amd-tcg', release = 'sonoma', over: Partial<PreflightFacts> = {}): PreflightFacts {
  return { caps: hostFixture('qemu-10.0', kind), release: macosRelease(release)!, freeDiskBytes: 500 * GiB, clocksource: 'tsc', hasMtools: true, ...over };
}
const byId = (f: ReturnType<typeof macosPreflight>) => Object.fromEntries(f.map((x) => [x.id, x]));

describe('macOS preflight', () => {
  it('a well-prepared AMD host with KVM: all good, with the CPU model and what AMD cannot do', () => {
    const f = byId(macosPreflight(facts('amd-kvm')));
    expect(Object.values(f).filter((x) => x.status === 'missing')).toEqual([]);
    expect(f['macos-cpu-model']!.detail).toMatch(/vendor=GenuineIntel/);
    expect(f['macos-amd-limits']!.status).toBe('warning');
    expect(f['macos-kvm']!.status).toBe('ok');
  });

  it('without KVM: allowed, but loudly', () => {
    const f = byId(macosPreflight(facts('amd-tcg')));
    expect(f['macos-kvm']).toMatchObject({ status: 'warning', title: expect.stringMatching(/extremely slow/) });
    // Emulated CPU features and MSRs are not the host's business under TCG.
    expect(f['macos-cpu-features']!.status).toBe('ok');
    expect(f['macos-msrs']).toBeUndefined();
  });

  it('ignore_msrs off under KVM: the immediate command and the persistent modprobe line', () => {
    const caps = hostFixture('qemu-10.0', 'amd-kvm');
    const f = byId(macosPreflight(facts('amd-kvm', 'sonoma', { caps: { ...caps, kvm: { ...caps.kvm, ignoreMsrs: false } } })));
    expect(f['macos-msrs']).toMatchObject({ status: 'missing', fix: { needsRoot: true } });
    expect(f['macos-msrs']!.fix!.command).toContain('/sys/module/kvm/parameters/ignore_msrs');
    expect(f['macos-msrs']!.fix!.command).toContain('options kvm ignore_msrs=1 report_ignored_msrs=0');
  });

  it('a KVM host without AVX2 cannot run Ventura or later, and is told what can', () => {
    const caps = hostFixture('qemu-10.0', 'intel-kvm');
    const noAvx2 = { ...caps, cpu: { ...caps.cpu, flags: caps.cpu.flags.filter((x) => x !== 'avx2') } };
    expect(byId(macosPreflight(facts('intel-kvm', 'ventura', { caps: noAvx2 })))['macos-cpu-features']).toMatchObject({ status: 'missing', fix: { text: expect.stringMatching(/Monterey/) } });
    expect(byId(macosPreflight(facts('intel-kvm', 'monterey', { caps: noAvx2 })))['macos-cpu-features']!.status).toBe('ok');
  });

  it('warns about a non-TSC clocksource on AMD for Ventura and later', () => {
    expect(byId(macosPreflight(facts('amd-kvm', 'sequoia', { clocksource: 'hpet' })))['macos-clocksource']).toMatchObject({ status: 'warning', fix: { text: expect.stringContaining('tsc=reliable') } });
    expect(byId(macosPreflight(facts('amd-kvm', 'big-sur', { clocksource: 'hpet' })))['macos-clocksource']).toBeUndefined();
  });

  it('judges disk space against the disk asked for, not only the release\'s recommendation', () => {
    expect(byId(macosPreflight(facts('amd-kvm', 'sonoma', { freeDiskBytes: 10 * GiB })))['macos-disk']).toMatchObject({ status: 'missing' });
    expect(byId(macosPreflight(facts('amd-kvm', 'sonoma', { freeDiskBytes: 10 * GiB, diskGiB: 2 })))['macos-disk']).toMatchObject({ status: 'ok', detail: expect.stringContaining("guest's 2 GiB disk") });
  });

  it('too little disk or RAM, no mtools, no applesmc, no OVMF: each missing with its fix', () => {
    const caps = hostFixture('qemu-10.0', 'amd-kvm');
    const f = byId(
      macosPreflight(
        facts('amd-kvm', 'sonoma', {
          freeDiskBytes: 10 * GiB,
          hasMtools: false,
          caps: { ...caps, memory: { totalMiB: 4096, availableMiB: 2048 }, firmware: [], qemu: { ...caps.qemu!, devices: caps.qemu!.devices.filter((d) => d !== 'isa-applesmc') } },
        }),
      ),
    );
    for (const id of ['macos-disk', 'macos-ram', 'macos-mtools', 'macos-applesmc', 'macos-ovmf']) expect(f[id], id).toMatchObject({ status: 'missing', fix: expect.anything() });
    expect(f['macos-mtools']!.fix!.command).toBe('sudo pacman -S --needed mtools');
  });
});
