// What a running guest runs with (issue 14: the header's "cores · memory" must not show the saved
// config while the guest still runs the old one): pendingChanges answers the run record's cores
// and memory, or those of the live config once something was changed live.
import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../src/shared/presets';
import { buildLaunchPlan } from '../../../src/main/qemu/plan';
import { pendingChanges } from '../../../src/main/vm/edit/pending';
import { hostFixture } from '../../fixtures/caps/hosts';

const dirs = { vmDir: '/vms/g', runtimeDir: '/run/gb/g', logDir: '/vms/g/logs' };

describe('pendingChanges: what the guest runs with', () => {
  it('is the run record\'s cores and memory, not the saved ones', () => {
    const caps = hostFixture('qemu-7.2', 'amd-tcg');
    const started = buildPreset('linux', { name: 'g', host: { threads: 4, memoryMiB: 8192 } }).config;
    const running = { ...started, cpu: { ...started.cpu, cores: 1 }, memoryMiB: 384 };
    const plan = { ...buildLaunchPlan(running, caps, dirs), config: running };
    const saved = { ...running, memoryMiB: 512 };
    const p = pendingChanges({ running: plan, live: null, saved, caps, dirs });
    expect(p?.runs).toEqual({ cores: 1, memoryMiB: 384 });
    expect(p?.changes.map((c) => c.field)).toEqual(['memoryMiB']);
    // Changed live meanwhile (a forward): the live config is what runs.
    const live = { ...running, cpu: { ...running.cpu, cores: 2 } };
    expect(pendingChanges({ running: plan, live, saved, caps, dirs })?.runs).toEqual({ cores: 2, memoryMiB: 384 });
    // Nothing differs: nothing pending, and the header shows the saved config, which is what runs.
    expect(pendingChanges({ running: plan, live: null, saved: running, caps, dirs })).toBeNull();
  });

  it('"memory in a file" turned on or off waits for the next start, named and in the command diff', () => {
    const caps = hostFixture('qemu-7.2', 'amd-tcg');
    const withFile = { ...caps, qemu: { ...caps.qemu!, ramFile: true } };
    const running = buildPreset('linux', { name: 'g', host: { threads: 4, memoryMiB: 8192 } }).config;
    const plan = { ...buildLaunchPlan(running, withFile, dirs), config: running };
    const p = pendingChanges({ running: plan, live: null, saved: { ...running, memoryFile: true }, caps: withFile, dirs });
    expect(p?.changes).toEqual([expect.objectContaining({ field: 'memoryFile', label: 'memory in a file' })]);
    expect(JSON.stringify(p)).toContain('memory-backend-file');
    // Absent and off are the same: nothing pending.
    expect(pendingChanges({ running: plan, live: null, saved: { ...running, memoryFile: false }, caps: withFile, dirs })).toBeNull();
  });
});
