// Install once, reuse, against real qemu-img and QEMU (7.2 here, 10 in the chroot): a base and
// its linked clones, the chain seen from both ends, the rules (a base with clones is not changed,
// started or deleted; a disk in use by a running guest is not resized, committed, flattened or
// deleted), then commit and flatten with the data checked byte for byte.
import { execFile } from 'node:child_process';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneGuest, commitIntoBase, flattenDisks, makeBase, unmakeBase } from '../../../src/main/disks/bases';
import { type DiskContext, DiskRuleError } from '../../../src/main/disks/context';
import { compactGuestDisk, convertGuestDisk, guestDisksReport, resizeGuestDisk } from '../../../src/main/disks/guest-disks';
import { imageInfo } from '../../../src/main/images';
import type { Supervisor } from '../../../src/main/vm/supervisor';
import { cli } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

const run = promisify(execFile);
const MiB = 2 ** 20;
let w: Awaited<ReturnType<typeof guestWorld>>;
let sup: Supervisor;
let ctx: DiskContext;
const disk = (name: string) => join(w.store.dirs(name).dir, 'disk.qcow2');

/** Reads `length` bytes at `offset` of an image and says whether they all are `pattern`. */
async function holds(file: string, offset: number, length: number, pattern: number): Promise<boolean> {
  const r = await run('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', `read -P ${pattern} ${offset} ${length}`, file]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return !/Pattern verification failed/.test(r.stdout) && /read \d+\/\d+ bytes/.test(r.stdout);
}
async function write(file: string, offset: number, length: number, pattern: number) {
  await run('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} ${length}`, file]);
}

beforeAll(async () => {
  w = await guestWorld('gb-bases-');
  sup = w.supervisor();
  ctx = { store: w.store, supervisor: sup };
  await w.create('gold');
  await write(disk('gold'), 0, MiB, 0x11);
});
afterAll(() => w.cleanup());

describe('a base and its linked clones', () => {
  it('clones linked: the source becomes a read-only base, the clone an overlay naming it by a relative path', async () => {
    const r = await cloneGuest(ctx, 'gold', 'c1', { linked: true });
    expect(r).toMatchObject({ linked: true, madeBase: true });
    expect(r.notes.join(' ')).toMatch(/"gold" is now a read-only base/);
    expect((await w.store.get('gold')).base?.since).toBeTruthy();
    expect((await stat(disk('gold'))).mode & 0o222).toBe(0);
    const info = await imageInfo(disk('c1'), { format: 'qcow2' });
    // Relative: the chain survives moving the whole guests folder (docs/decisions.md).
    expect(info.backingFile).toBe('../gold/disk.qcow2');
    expect(info.qcow2?.extendedL2).toBe(true);
    expect(await holds(disk('c1'), 0, MiB, 0x11)).toBe(true);
    // Through the CLI, the second clone of the same base.
    const c = await cli(['clone', 'gold', 'c2', '--linked'], w.env);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/linked clone of "gold"/);
  });

  it('shows the chain from both ends (API report and `disk info`)', async () => {
    const clone = await guestDisksReport(ctx, 'c1');
    expect(clone.disks[0]!.chain).toEqual([expect.objectContaining({ guest: 'gold', format: 'qcow2' })]);
    const base = await guestDisksReport(ctx, 'gold');
    expect(base.base).toBeTruthy();
    expect(base.disks[0]!.clones.map((c) => c.guest).sort()).toEqual(['c1', 'c2']);
    const r = await cli(['disk', 'info', 'c1'], w.env);
    expect(r.stdout).toMatch(/└ on .*gold\/disk\.qcow2 \(qcow2, .* used, base "gold"\)/);
  });

  it('refuses to start, change, un-base or delete a base with clones, naming them', async () => {
    await expect(sup.start('gold', { accel: 'tcg', headless: true })).rejects.toThrow(/"gold" is a read-only base/);
    const resize = await resizeGuestDisk(ctx, 'gold', 128 * MiB).catch((e: Error) => e);
    expect(resize).toBeInstanceOf(DiskRuleError);
    expect((resize as Error).message).toMatch(/"gold" is the base of the linked clones "c1" \(disk system\), "c2" \(disk system\)/);
    await expect(compactGuestDisk(ctx, 'gold')).rejects.toThrow(/base of the linked clones/);
    await expect(unmakeBase(ctx, 'gold')).rejects.toThrow(/base of the linked clones "c1".*"c2"/);
    const del = await cli(['delete', 'gold', '--yes', '--delete-disks'], w.env);
    expect(del.code).toBe(1);
    expect(del.stderr).toMatch(/"gold" is the base of the linked clones "c1" \(disk system\), "c2" \(disk system\): deleting it would/);
    await access(disk('gold'));
    expect(await w.store.exists('gold')).toBe(true);
    await expect(commitIntoBase(ctx, 'c1')).rejects.toThrow(/also carries the linked clones "c2"/);
  });

  it('refuses to resize, commit, flatten, convert or delete a disk a running guest uses', async () => {
    await sup.start('c1', { accel: 'tcg', headless: true });
    const refusals = await Promise.all([
      resizeGuestDisk(ctx, 'c1', 128 * MiB).catch((e: Error) => e.message),
      commitIntoBase(ctx, 'c1').catch((e: Error) => e.message),
      flattenDisks(ctx, 'c1').catch((e: Error) => e.message),
      convertGuestDisk(ctx, 'c1', 'raw').catch((e: Error) => e.message),
    ]);
    for (const m of refusals) expect(m).toMatch(/"c1" is (running|starting): shut it down before/);
    const del = await cli(['delete', 'c1', '--yes', '--delete-disks'], w.env);
    expect(del.code).toBe(1);
    await access(disk('c1'));
    await sup.stop('c1', { force: true });
  });

  it('commits a clone into its base once it is the only one, and flattens another into a standalone disk', async () => {
    expect((await cli(['delete', 'c2', '--yes', '--delete-disks'], w.env)).code).toBe(0);
    await write(disk('c1'), 2 * MiB, MiB, 0x22);
    expect(await holds(disk('gold'), 2 * MiB, MiB, 0x22)).toBe(false);
    const r = await cli(['disk', 'commit', 'c1'], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(await holds(disk('gold'), 2 * MiB, MiB, 0x22)).toBe(true);
    expect((await stat(disk('gold'))).mode & 0o222).toBe(0);
    // Flatten: the clone's disk carries everything and names no base any more.
    await write(disk('c1'), 4 * MiB, MiB, 0x33);
    await flattenDisks(ctx, 'c1');
    const info = await imageInfo(disk('c1'), { format: 'qcow2' });
    expect(info.backingFile).toBeUndefined();
    for (const [off, p] of [[0, 0x11], [2 * MiB, 0x22], [4 * MiB, 0x33]] as const) expect(await holds(disk('c1'), off, MiB, p)).toBe(true);
    await expect(flattenDisks(ctx, 'c1')).rejects.toThrow(/standalone already/);
  });

  it('makes a full copy, and the base an ordinary guest again once no clone depends on it', async () => {
    const copy = await cloneGuest(ctx, 'gold', 'copy', { linked: false });
    expect(copy.madeBase).toBe(false);
    expect((await imageInfo(disk('copy'), { format: 'qcow2' })).backingFile).toBeUndefined();
    expect(await holds(disk('copy'), 2 * MiB, MiB, 0x22)).toBe(true);
    const again = await unmakeBase(ctx, 'gold');
    expect(again.base).toBeUndefined();
    expect((await stat(disk('gold'))).mode & 0o200).toBe(0o200);
    await expect(makeBase(ctx, 'nope')).rejects.toThrow(/no guest named "nope"/);
  });
});
