// One set of limits and one wording: the wizard's model, the guest page and the API all ask
// src/shared/limits.ts, so the same value gets the same message wherever it is typed.
import { describe, expect, it } from 'vitest';
import { coresProblem, formatMemory, memoryProblem, parseCoresText, parseMemoryGiBText } from '../../src/shared/limits';
import { initialWizard, validateStep } from '../../src/renderer/pages/wizard/model';
import { PRESETS } from '../../src/shared/presets';
import { describePreset } from '../../src/shared/presets/describe';
import { hostFixture } from '../fixtures/caps/hosts';

const host = { threads: 2, memoryMiB: 24064 };
const linux = { family: 'linux' as const, version: 'generic' };

describe('limits', () => {
  it('hold cores to the host\'s threads and the OS table\'s minimum', () => {
    expect(coresProblem(2, linux, host)).toBeNull();
    expect(coresProblem(99, linux, host)).toBe('This computer has 2 threads: give the guest at most 2 cores.');
    expect(coresProblem(2, linux, { threads: 1, memoryMiB: 1024 })).toBe('This computer has 1 thread: give the guest at most 1 core.');
    expect(coresProblem(300, linux)).toBe('A guest can have at most 256 cores.');
    expect(coresProblem(0, linux)).toBe('A guest needs at least 1 core.');
    expect(coresProblem(1, { family: 'windows', version: '11' }, host)).toBe('Windows 11 needs at least 2 cores: give it 2 or more.');
    expect(coresProblem(1, { family: 'windows', version: '10' }, host)).toBeNull();
  });

  it('hold memory to the host\'s total and the OS table\'s minimum, in GiB as people count', () => {
    expect(memoryProblem(200 * 1024, linux, host)).toBe('This computer has 23.5 GiB of memory in all: give the guest less (11.5 GiB, half of it, keeps the computer responsive).');
    expect(memoryProblem(32, linux, host)).toBe('A guest needs at least 64 MiB of memory: give it 64 MiB or more.');
    expect(memoryProblem(2048, { family: 'macos', version: 'sonoma' }, host)).toBe('macOS Sonoma needs at least 4 GiB of memory: give it 4 GiB or more.');
    expect(memoryProblem(2048, { family: 'windows', version: '10' }, host)).toBeNull();
    expect(memoryProblem(1024, { family: 'windows', version: '10' }, host)).toBe('Windows 10 needs at least 2 GiB of memory: give it 2 GiB or more.');
    expect(formatMemory(512)).toBe('512 MiB');
  });

  it('read what a form holds, or say what to type', () => {
    expect(parseCoresText(' 4 ')).toEqual({ ok: true, cores: 4 });
    for (const bad of ['', 'two', '1.5', '-1']) expect(parseCoresText(bad)).toEqual({ ok: false, error: 'Cores must be a whole number, like 2.' });
    expect(parseMemoryGiBText('0.5')).toEqual({ ok: true, memoryMiB: 512 });
    expect(parseMemoryGiBText('23,5')).toEqual({ ok: true, memoryMiB: 24064 });
    for (const bad of ['', 'lots', '-4', '4 GiB']) expect(parseMemoryGiBText(bad)).toEqual({ ok: false, error: 'Memory must be a number of GiB, like 4 or 0.5.' });
  });

  it('are what the wizard says on its resources step', () => {
    const caps = { ...hostFixture('qemu-7.2', 'amd-tcg'), cpu: { ...hostFixture('qemu-7.2', 'amd-tcg').cpu, threads: 2 }, memory: { totalMiB: 24064, availableMiB: 1 } };
    // The wizard asks the chosen preset (as presets.list describes it) which system it makes.
    const preset = (id: string) => describePreset(PRESETS.find((p) => p.id === id)!, host);
    expect(validateStep('resources', { ...initialWizard, os: 'linux', cores: '99', memoryGiB: '200' }, preset('linux'), caps)).toEqual({
      cores: 'This computer has 2 threads: give the guest at most 2 cores.',
      memoryGiB: 'This computer has 23.5 GiB of memory in all: give the guest less (11.5 GiB, half of it, keeps the computer responsive).',
    });
    expect(validateStep('resources', { ...initialWizard, os: 'windows-11', cores: '1', memoryGiB: 'x' }, preset('windows-11'), caps)).toEqual({
      cores: 'Windows 11 needs at least 2 cores: give it 2 or more.',
      memoryGiB: 'Memory must be a number of GiB, like 4 or 0.5.',
    });
  });
});
