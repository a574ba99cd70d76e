// The disk, snapshot, clone, import and export calls through the contract (in-process dispatch,
// every output checked against its schema) on real qemu-img: what the app's disks section and
// snapshot tree use. No guest boots here; live snapshots are snapshots.qemu.test.ts's.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../src/shared/contract';
import { createApi, type Api } from '../../../src/main/api';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let api: Api;
const events: EventMessage[] = [];

async function ok<T = Record<string, unknown>>(call: string, input: unknown): Promise<T> {
  const r = await api.dispatch(call, input);
  if (!r.ok) throw new Error(`${call}: ${r.error.name}: ${r.error.message}`);
  return r.output as T;
}

beforeAll(async () => {
  w = await guestWorld('gb-disks-api-');
  api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env, validateOutputs: true });
  api.onEvent((m) => events.push(m));
  await w.create('gold');
});
afterAll(async () => {
  await api.dispose();
  await w.cleanup();
});

describe('disks and snapshots through the contract', () => {
  it('reports the disks; grows one; a shrink needs its confirmation, which says what is lost', async () => {
    const r = await ok<{ disks: { id: string; format: string; virtualSize: number }[] }>('disks.report', { name: 'gold' });
    expect(r.disks[0]).toMatchObject({ id: 'system', format: 'qcow2', virtualSize: 64 * 1024 ** 2 });
    expect(await ok('disks.resize', { name: 'gold', size: 128 * 1024 ** 2 })).toEqual({ disk: 'system', from: 64 * 1024 ** 2, to: 128 * 1024 ** 2 });
    const shrink = await api.dispatch('disks.resize', { name: 'gold', size: 64 * 1024 ** 2 });
    expect(shrink.ok).toBe(false);
    if (!shrink.ok) {
      expect(shrink.error.name).toBe('ConfirmationNeededError');
      expect(shrink.error.message).toMatch(/cuts off its last 64 MiB/);
    }
  });

  it('takes, lists as a tree, reverts and deletes snapshots of the stopped guest; a bad name is refused by field', async () => {
    expect(await ok('snapshots.create', { name: 'gold', tag: 'clean' })).toEqual({ tag: 'clean', live: false });
    expect(await ok('snapshots.create', { name: 'gold', tag: 'later' })).toEqual({ tag: 'later', live: false });
    const list = await ok<{ current: string; tree: { tag: string; children: { tag: string; current: boolean }[] }[] }>('snapshots.list', { name: 'gold' });
    expect(list.current).toBe('later');
    expect(list.tree).toEqual([expect.objectContaining({ tag: 'clean', children: [expect.objectContaining({ tag: 'later', current: true })] })]);
    expect(await ok('snapshots.revert', { name: 'gold', tag: 'clean' })).toMatchObject({ tag: 'clean', live: false });
    expect((await ok<{ current: string }>('snapshots.list', { name: 'gold' })).current).toBe('clean');
    await ok('snapshots.delete', { name: 'gold', tag: 'later' });
    await ok('snapshots.delete', { name: 'gold', tag: 'clean' });
    expect((await ok<{ tree: unknown[] }>('snapshots.list', { name: 'gold' })).tree).toEqual([]);
    const bad = await api.dispatch('snapshots.create', { name: 'gold', tag: 'no spaces' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields).toEqual([expect.objectContaining({ field: 'tag' })]);
  });

  it('clones linked (the source becomes a base) with progress events, and the base refuses to change', async () => {
    const r = await ok<{ linked: boolean; madeBase: boolean }>('guests.clone', { source: 'gold', name: 'twig', linked: true });
    expect(r).toMatchObject({ linked: true, madeBase: true });
    expect(events.some((e) => e.event === 'progress' && (e.payload as { operation: string }).operation === 'clone')).toBe(true);
    const report = await ok<{ disks: { chain: { guest?: string }[] }[] }>('disks.report', { name: 'twig' });
    expect(report.disks[0]!.chain[0]).toMatchObject({ guest: 'gold' });
    const grow = await api.dispatch('disks.resize', { name: 'gold', size: 256 * 1024 ** 2 });
    expect(grow.ok).toBe(false);
    if (!grow.ok) expect(grow.error.message).toMatch(/twig/);
  });

  it('imports a VirtualBox machine and exports a guest as a script and as libvirt XML', async () => {
    const dir = join(w.home, 'vbox');
    await mkdir(dir);
    await copyFile(join(__dirname, '../../fixtures/import/virtualbox-debian.vbox'), join(dir, 'deb.vbox'));
    await execa('qemu-img', ['create', '-q', '-f', 'vdi', join(dir, 'Debian 12.vdi'), '16M']);
    const imp = await ok<{ config: { name: string }; source: string; copied: string[] }>('guests.import', { path: join(dir, 'deb.vbox'), name: 'deb' });
    expect(imp).toMatchObject({ config: { name: 'deb' }, source: 'virtualbox', copied: [join(dir, 'Debian 12.vdi')] });
    const xml = await ok<{ text: string }>('guests.export', { name: 'deb', format: 'libvirt' });
    expect(xml.text).toMatch(/^<domain type='kvm'>/);
    const script = await ok<{ text: string }>('guests.export', { name: 'twig', format: 'script' });
    expect(script.text).toMatch(/^#!\/usr\/bin\/env bash\n[\s\S]*exec \S*qemu-system-x86_64 /);
  });
});
