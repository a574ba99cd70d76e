import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../../src/main/host/cpu';
import { parseMeminfo } from '../../../src/main/host/memory';
import { readFixture } from './helpers';

describe('parseCpuinfo', () => {
  it('reads the nested AMD EPYC of the build machine: no svm shown, hypervisor set', async () => {
    const cpu = parseCpuinfo(await readFixture('cpuinfo', 'amd-epyc-nested.txt'));
    expect(cpu.vendor).toBe('amd');
    expect(cpu.model).toBe('AMD EPYC');
    expect(cpu.threads).toBe(2);
    expect(cpu.flags).toEqual(expect.arrayContaining(['hypervisor', 'sse4_1', 'sse4_2', 'ssse3', 'avx', 'avx2', 'popcnt', 'aes', 'xsave', 'fma', 'bmi1', 'bmi2', 'constant_tsc', 'nonstop_tsc']));
    expect(cpu.flags).not.toContain('svm');
    // Irrelevant flags are not carried along.
    expect(cpu.flags).not.toContain('fpu');
  });

  it('reads an Intel desktop CPU with VT-x', async () => {
    const cpu = parseCpuinfo(await readFixture('cpuinfo', 'intel-i7-4790k.txt'));
    expect(cpu).toMatchObject({ vendor: 'intel', model: 'Intel(R) Core(TM) i7-4790K CPU @ 4.00GHz', threads: 8 });
    expect(cpu.flags).toEqual(expect.arrayContaining(['vmx', 'avx2', 'sse4_2', 'popcnt', 'x2apic', 'pdpe1gb']));
    expect(cpu.flags).not.toContain('hypervisor');
    expect(cpu.flags).not.toContain('avx512f');
  });

  it('survives an empty or foreign cpuinfo', () => {
    expect(parseCpuinfo('')).toEqual({ vendor: 'other', model: 'unknown', threads: 1, flags: [] });
    expect(parseCpuinfo('processor\t: 0\nvendor_id\t: HygonGenuine\n').vendor).toBe('other');
  });
});

describe('parseMeminfo', () => {
  it('reads total and available in MiB', async () => {
    expect(parseMeminfo(await readFixture('meminfo', 'debian12-24g.txt'))).toMatchObject({ totalMiB: 24105 });
  });

  it('estimates available memory on kernels without MemAvailable', () => {
    const m = parseMeminfo('MemTotal: 8192000 kB\nMemFree: 2048000 kB\nBuffers: 512000 kB\nCached: 1024000 kB\n');
    expect(m).toEqual({ totalMiB: 8000, availableMiB: 3500 });
  });
});
