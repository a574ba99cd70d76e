// Issue 17: file systems frozen and thawed around a live snapshot, with the test guest's agent
// (qemu-ga, `gb.qga`). The snapshot is taken frozen and the guest thawed right after; a revert
// to it brings back that frozen moment (memory and agent alike), so Guestbay thaws the reverted
// guest through its agent and says so. Without the freeze the revert has nothing to thaw (no
// note); without the thaw the guest stays frozen. qemu-ga freezes only file systems on block
// devices (and counts a freeze of none as no freeze), so the guest's disk holds ext4, mounted by
// `gb.disk`. One guest, one boot.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiskContext } from '../../../src/main/disks/context';
import { createSnapshot, revertSnapshot } from '../../../src/main/disks/snapshots';
import { withAgent } from '../../../src/main/qemu/qga/commands';
import { readRecord } from '../../../src/main/vm/runtime-files';
import type { Supervisor } from '../../../src/main/vm/supervisor';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let sup: Supervisor;
let ctx: DiskContext;
beforeAll(async () => {
  w = await guestWorld('gb-freeze-');
  sup = w.supervisor();
  ctx = { store: w.store, supervisor: sup };
});
afterAll(() => w.cleanup());

const poll = { timeout: 120_000, interval: 300 };

async function freezeStatus(name: string): Promise<string> {
  const socket = (await readRecord(w.store.dirs(name).runtimeDir))!.plan.runtime.qgaSocket!;
  return withAgent(socket, (q) => q.execute<string>('guest-fsfreeze-status'), { syncTimeoutMs: 5000 });
}

describe('a live snapshot with the guest agent', () => {
  it('is taken with the file systems frozen, and a revert to it thaws them', async () => {
    await w.create('frosty', { append: 'gb.qga gb.disk' });
    // An ext4 file system on the guest's disk, made without root.
    const raw = join(w.home, 'fs.raw');
    await execa('mkfs.ext4', ['-q', '-F', raw, '64M']);
    const disk = join(w.store.dirs('frosty').dir, 'disk.qcow2');
    await execa('rm', ['-f', disk]);
    await execa('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, disk]);
    await sup.start('frosty', { headless: true });
    await expect.poll(() => w.serial('frosty'), poll).toContain('GB:READY');
    expect(await w.serial('frosty')).toContain('GB:DISK-MOUNTED vda');
    await expect.poll(async () => (await sup.agent('frosty')).connected, poll).toBe(true);

    expect(await createSnapshot(ctx, 'frosty', 'cold')).toEqual({ tag: 'cold', live: true });
    expect(await freezeStatus('frosty')).toBe('thawed');

    const r = await revertSnapshot(ctx, 'frosty', 'cold', { confirm: true });
    expect(r.live).toBe(true);
    expect(r.notes.join('\n')).toContain('its agent has thawed them');
    expect(await freezeStatus('frosty')).toBe('thawed');
    // And the guest goes on (its console still ticks after the revert).
    const ticks = (await w.serial('frosty')).split('GB:TICK').length;
    await expect.poll(async () => (await w.serial('frosty')).split('GB:TICK').length, poll).toBeGreaterThan(ticks);
    await sup.stop('frosty', { force: true });
  });
});
