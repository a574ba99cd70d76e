// "Memory in a file" (issue 18): the plan's memory backend, the probe's question, the file a
// fresh start makes, and the fingerprint a saved state keeps of it. The save and restore through
// real QEMU are in save-restore-memory.qemu.test.ts.
import { execa } from 'execa';
import { mkdtemp, open, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLaunchPlan, PlanError } from '../../../src/main/qemu/plan';
import { hasRamFileSave, parseQmpSchema } from '../../../src/main/qemu/probe/qmp-schema';
import { prepareAsShell, runPrepare } from '../../../src/main/vm/prepare';
import { fingerprintRamFile, restoreBlocker, type SavedStateMeta } from '../../../src/main/vm/saved-state';
import { ramFileSpaceProblem } from '../../../src/shared/disk-space';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import type { HostCaps } from '../../../src/shared/host-caps';
import { hostFixture } from '../../fixtures/caps/hosts';

const ctx = { vmDir: '/vms/g', runtimeDir: '/run/gb/g', logDir: '/vms/g/logs' };
const withRamFile = (c: HostCaps): HostCaps => ({ ...c, qemu: { ...c.qemu!, ramFile: true } });
const values = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

function linux(extra: Record<string, unknown> = {}) {
  const { config } = buildPreset('linux', { name: 'g', host: { threads: 16, memoryMiB: 32768 } });
  return parseVmConfig({ ...config, ...extra });
}

describe('memory in a file: the plan', () => {
  it('backs the guest RAM with memory.ram in its folder, shared, as the machine\'s memory; off (absent) leaves RAM anonymous', () => {
    const caps = withRamFile(hostFixture('qemu-10.0', 'amd-kvm'));
    const plan = buildLaunchPlan(linux({ memoryFile: true }), caps, ctx);
    expect(values(plan.args, '-object')).toContain('memory-backend-file,id=mem,mem-path=/vms/g/memory.ram,size=4096M,share=on');
    expect(values(plan.args, '-machine')[0]).toContain('memory-backend=mem');
    expect(values(plan.args, '-object').some((o) => o.startsWith('memory-backend-memfd'))).toBe(false);
    expect(plan.ramFile).toBe('/vms/g/memory.ram');
    expect(plan.prepare).toContainEqual(expect.objectContaining({ kind: 'ram-file', path: '/vms/g/memory.ram', sizeMiB: 4096 }));
    expect(plan.savable.ok).toBe(true);

    const off = buildLaunchPlan(linux(), caps, ctx);
    expect(off.ramFile).toBeUndefined();
    expect(values(off.args, '-object').some((o) => o.includes('memory.ram'))).toBe(false);
    expect(off.argsDigest).not.toBe(plan.argsDigest);
  });

  it('a restore finds the file as the save left it: never made anew', () => {
    const plan = buildLaunchPlan(linux({ memoryFile: true }), withRamFile(hostFixture('qemu-7.2', 'amd-tcg')), { ...ctx, incoming: true });
    expect(plan.prepare.some((p) => p.kind === 'ram-file')).toBe(false);
    expect(plan.prepare).toContainEqual(expect.objectContaining({ kind: 'exists', path: '/vms/g/memory.ram' }));
  });

  it('is refused, with the reason, by a QEMU without x-ignore-shared', () => {
    expect(() => buildLaunchPlan(linux({ memoryFile: true }), hostFixture('qemu-10.0', 'amd-kvm'), ctx)).toThrow(PlanError);
    expect(() => buildLaunchPlan(linux({ memoryFile: true }), hostFixture('qemu-10.0', 'amd-kvm'), ctx)).toThrow(/x-ignore-shared/);
  });
});

describe('memory in a file: the probe', () => {
  it.each(['7.2', '10.0'])('QEMU %s\'s schema has memory-backend-file and x-ignore-shared', async (v) => {
    const schema = parseQmpSchema(await readFile(join(__dirname, `../../fixtures/host/qemu/${v}/qmp-schema.jsonl`), 'utf8'));
    expect(hasRamFileSave(schema)).toBe(true);
  });

  it('one of the two missing is no', () => {
    expect(hasRamFileSave([{ name: 'a', 'meta-type': 'enum', values: ['memory-backend-file'] }])).toBe(false);
    expect(hasRamFileSave([{ name: 'a', 'meta-type': 'enum', values: ['x-ignore-shared'] }])).toBe(false);
    expect(hasRamFileSave(null)).toBe(false);
  });
});

describe('memory in a file: the file and its fingerprint', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gb-ramfile-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a fresh start makes the file anew: empty, 0600, its size, a new inode (a stale RAM never reaches a new boot)', async () => {
    const path = join(dir, 'memory.ram');
    await writeFile(path, Buffer.alloc(8192, 0xaa), { mode: 0o644 });
    const before = await stat(path);
    await runPrepare({ prepare: [{ kind: 'ram-file', path, sizeMiB: 2, why: '' }] });
    const after = await stat(path);
    expect(after.mode & 0o777).toBe(0o600);
    expect(after.size).toBe(2 * 2 ** 20);
    expect(after.ino).not.toBe(before.ino);
    expect((await readFile(path)).every((b) => b === 0)).toBe(true);
  });

  it('a start is refused when the whole memory cannot fit on the disk (QEMU would die when it filled up)', async () => {
    expect(ramFileSpaceProblem(4 * 2 ** 30, 8 * 2 ** 30, '/vms/g')).toBeNull();
    expect(ramFileSpaceProblem(4 * 2 ** 30, 3 * 2 ** 30, '/vms/g')).toBe('"Memory in a file" needs room for the guest\'s whole memory (4 GiB), and /vms/g has 3 GiB free: QEMU would die when the disk filled up. Free some space there, or turn "memory in a file" off.');
    // More than any disk here has: refused, and nothing made.
    const path = join(dir, 'memory.ram');
    await expect(runPrepare({ prepare: [{ kind: 'ram-file', path, sizeMiB: 2 ** 30, why: '' }] })).rejects.toThrow(/needs room for the guest's whole memory \(1 PiB\)/);
    expect(await stat(path).catch(() => null)).toBeNull();
  });

  it('the pasted command makes it the same way', async () => {
    const path = join(dir, "it's memory.ram");
    await writeFile(path, 'stale');
    const [line] = prepareAsShell({ prepare: [{ kind: 'ram-file', path, sizeMiB: 3, why: '' }] });
    await execa('bash', ['-c', `umask 022; ${line}`]);
    const s = await stat(path);
    expect([s.size, s.mode & 0o777]).toEqual([3 * 2 ** 20, 0o600]);
    expect((await readFile(path)).subarray(0, 5).every((b) => b === 0)).toBe(true);
  });

  async function savedWith(path: string): Promise<SavedStateMeta> {
    return { savedAt: '', qemuVersion: '10.0.0', argsDigest: 'd', wasPaused: false, bytes: 1, disks: [], format: 'ram-file', ramFile: await fingerprintRamFile(path) };
  }
  const qemu = { mappedRam: true, ramFile: true };

  it('a restore is refused when the RAM file is gone, replaced, or changed — even with its times put back', async () => {
    const path = join(dir, 'memory.ram');
    await runPrepare({ prepare: [{ kind: 'ram-file', path, sizeMiB: 4, why: '' }] });
    const f = await open(path, 'r+');
    await f.write(Buffer.alloc(4096, 7), 0, 4096, 0);
    await f.close();
    const meta = await savedWith(path);
    expect(await restoreBlocker(meta, { argsDigest: 'd' }, qemu)).toBeNull();

    // Changed in place, its time put back: the sampled pages tell.
    const g = await open(path, 'r+');
    await g.write(Buffer.alloc(4096, 9), 0, 4096, 0);
    await g.close();
    await utimes(path, new Date(meta.ramFile!.mtimeMs), new Date(meta.ramFile!.mtimeMs));
    expect(await restoreBlocker(meta, { argsDigest: 'd' }, qemu)).toMatch(/memory file .* changed since it was saved/);

    // Touched only.
    const m2 = await savedWith(path);
    await utimes(path, new Date(), new Date(Date.now() + 5000));
    expect(await restoreBlocker(m2, { argsDigest: 'd' }, qemu)).toMatch(/changed since it was saved/);

    // Replaced by another file of the same content.
    const m3 = await savedWith(path);
    await writeFile(`${path}.new`, await readFile(path));
    await rename(`${path}.new`, path);
    expect(await restoreBlocker(m3, { argsDigest: 'd' }, qemu)).toMatch(/replaced since it was saved/);

    await rm(path);
    expect(await restoreBlocker(m3, { argsDigest: 'd' }, qemu)).toMatch(/memory file .* is gone/);
  });

  it('a QEMU without x-ignore-shared cannot restore such a state', async () => {
    const path = join(dir, 'memory.ram');
    await writeFile(path, 'x');
    expect(await restoreBlocker(await savedWith(path), { argsDigest: 'd' }, { mappedRam: true, ramFile: false })).toMatch(/memory in a file/);
  });
});
