// Snapshots on real QEMU (7.2 here, 10 in the chroot), on the tiny test guest booted through
// UEFI so its variable store is snapshotted too: live (QMP snapshot jobs, memory included) and
// offline (qemu-img), a file written after the snapshot gone after the revert both ways, a
// running guest's revert refused until confirmed, the tree, and a live snapshot refused when the
// guest's devices forbid saving it.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmationNeededError, type DiskContext, DiskRuleError } from '../../../src/main/disks/context';
import { createSnapshot, deleteSnapshot, listSnapshots, revertSnapshot } from '../../../src/main/disks/snapshots';
import { guestImages } from '../../../src/main/disks/guest-files';
import { imageInfo } from '../../../src/main/images';
import { parseVmConfig } from '../../../src/shared/migrations';
import { readRecord } from '../../../src/main/vm/runtime-files';
import type { Supervisor } from '../../../src/main/vm/supervisor';
import { cli } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let sup: Supervisor;
let ctx: DiskContext;
let serial: Socket | undefined;
const NAME = 'snappy';

async function waitFor(re: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = (await w.serial(NAME)).match(re);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no ${re} on the serial console; last lines:\n${(await w.serial(NAME)).split('\n').slice(-15).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function boot() {
  await sup.start(NAME, { accel: 'tcg', headless: true });
  const rec = await readRecord(w.store.dirs(NAME).runtimeDir);
  await waitFor(/GB:READY/);
  serial = connect(rec!.plan.runtime.serialSocket);
  await new Promise((r) => serial!.once('connect', r));
}

async function send(line: string) {
  serial!.write(`${line}\n`);
}

async function writeFile(file: string) {
  await send(`gb write ${file} hello`);
  await waitFor(new RegExp(`GB:FILE-WROTE ${file.replace('.', '\\.')}`));
}

async function files(): Promise<string[]> {
  const nonce = randomBytes(4).toString('hex');
  await send(`gb ls ${nonce}`);
  const m = await waitFor(new RegExp(`GB:FILE-LIST ${nonce}( [^\\r\\n]*)?`));
  return (m[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

async function shutdown() {
  serial?.destroy();
  serial = undefined;
  await sup.stop(NAME, { timeoutMs: 30_000 });
}

beforeAll(async () => {
  w = await guestWorld('gb-snap-');
  sup = w.supervisor();
  ctx = { store: w.store, supervisor: sup };
  await w.create(NAME);
  const config = await w.store.get(NAME);
  // An ext4 file system on the guest's disk (made without root), and UEFI, so the variable
  // store is one of the images every snapshot covers.
  const raw = join(w.home, 'fs.raw');
  await execa('mkfs.ext4', ['-q', '-F', raw, '64M']);
  const disk = join(w.store.dirs(NAME).dir, 'disk.qcow2');
  await execa('rm', ['-f', disk]);
  await execa('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, disk]);
  await w.store.update(parseVmConfig({ ...config, firmware: 'uefi', kernelBoot: { ...config.kernelBoot!, append: `${config.kernelBoot!.append} gb.disk` } }));
});
afterAll(async () => {
  serial?.destroy();
  await w.cleanup();
});

describe('live snapshots of the running guest', () => {
  it('takes one with memory in every image, the UEFI variables included', async () => {
    await boot();
    await waitFor(/GB:DISK-MOUNTED vda/);
    await writeFile('before.txt');
    const r = await createSnapshot(ctx, NAME, 'live1');
    expect(r).toEqual({ tag: 'live1', live: true });
    const images = await guestImages(w.store, await w.store.get(NAME));
    expect(images.map((i) => i.kind).sort()).toEqual(['disk', 'vars']);
    for (const i of images) {
      const snap = (await imageInfo(i.path, { format: 'qcow2' })).snapshots.find((s) => s.name === 'live1');
      expect(snap, i.path).toBeTruthy();
      if (i.kind === 'disk') expect(snap!.vmStateSize).toBeGreaterThan(0);
    }
    expect((await sup.status(NAME)).state).toBe('running');
  });

  it('refuses to revert the running guest until confirmed, saying what is lost; reverted, the later file is gone', async () => {
    await writeFile('after.txt');
    expect(await files()).toEqual(['after.txt', 'before.txt']);
    const err = await revertSnapshot(ctx, NAME, 'live1').catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfirmationNeededError);
    expect((err as Error).message).toMatch(/"snappy" is running: reverting it to "live1" .* Everything it did since is lost: .*every file written to its disks after that snapshot/);
    const cliRefusal = await cli(['snapshot', NAME, 'revert', 'live1'], w.env);
    expect(cliRefusal.code).toBe(1);
    expect(cliRefusal.stderr).toMatch(/Repeat with --yes to go on/);
    expect(await files()).toEqual(['after.txt', 'before.txt']);
    const r = await revertSnapshot(ctx, NAME, 'live1', { confirm: true });
    expect(r.live).toBe(true);
    expect((await sup.status(NAME)).state).toBe('running');
    expect(await files()).toEqual(['before.txt']);
    await expect(createSnapshot(ctx, NAME, 'live1')).rejects.toThrow(/already has a snapshot named "live1"/);
  });
});

describe('offline snapshots', () => {
  it('takes one of the shut-down guest and reverts to it: the file written since is gone', async () => {
    await shutdown();
    const r = await cli(['snapshot', NAME, 'create', 'off1'], w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/disks only/);
    await boot();
    await writeFile('late.txt');
    expect(await files()).toContain('late.txt');
    await shutdown();
    const back = await revertSnapshot(ctx, NAME, 'off1');
    expect(back.live).toBe(false);
    await boot();
    expect(await files()).toEqual(['before.txt']);
  });

  it('lists them as a tree, refuses a memory-less revert of the running guest, deletes', async () => {
    const list = await listSnapshots(ctx, NAME);
    expect(list.current).toBe('off1');
    expect(list.tree).toEqual([expect.objectContaining({ tag: 'live1', live: true, children: [expect.objectContaining({ tag: 'off1', live: false, current: true, images: { have: 2, of: 2 } })] })]);
    const text = await cli(['snapshot', NAME, 'list'], w.env);
    expect(text.stdout).toMatch(/└─ live1 .*with memory[\s\S]*└─ off1  ← now  \(.*disks only\)/);
    await expect(revertSnapshot(ctx, NAME, 'off1', { confirm: true })).rejects.toThrow(/taken while "snappy" was shut down, so it holds no memory/);
    // Deleting while it runs goes through QMP's snapshot-delete job.
    await deleteSnapshot(ctx, NAME, 'live1');
    const after = await listSnapshots(ctx, NAME);
    expect(after.tree.map((n) => n.tag)).toEqual(['off1']);
    await shutdown();
    await deleteSnapshot(ctx, NAME, 'off1');
    expect((await listSnapshots(ctx, NAME)).tree).toEqual([]);
  });
});

describe('a live snapshot the guest\'s devices forbid', () => {
  it('is refused with the reason when the guest cannot be saved (a share served by the C virtiofsd)', async () => {
    const caps = await w.probe();
    const c = await w.create('shared', { share: true });
    void c;
    await sup.start('shared', { accel: 'tcg', headless: true });
    try {
      const st = await sup.status('shared');
      if (caps.virtiofsd?.flavour === 'c') {
        expect(st.savable?.ok).toBe(false);
        const err = await createSnapshot(ctx, 'shared', 'nope').catch((e: Error) => e);
        expect(err).toBeInstanceOf(DiskRuleError);
        expect((err as Error).message).toMatch(/"shared" cannot be snapshotted while it runs, for the reason it cannot be saved: this virtiofsd cannot migrate its state/);
        expect((await listSnapshots(ctx, 'shared')).tree).toEqual([]);
      } else {
        // The Rust virtiofsd migrates its state (QEMU 10 here): the guest can be saved, so it
        // can be snapshotted live too.
        expect(st.savable?.ok).toBe(true);
        expect((await createSnapshot(ctx, 'shared', 'with-share')).live).toBe(true);
      }
    } finally {
      await sup.stop('shared', { force: true });
    }
  });
});
