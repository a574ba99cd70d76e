// Issue 17, items 2 and 4, with the test guest and its agent (qemu-ga, `gb.qga`) and the
// Guestbay folder (virtiofs; the guest mounts the tag "guestbay" at /mnt/guestbay by itself):
// - the shared folder's state through the agent: mounted → the call says so, with where;
//   unmounted in the guest → not mounted, with the exact one-line command for this guest;
// - the mount line of the tools disk's Linux setup (read off the disk with mtype), run inside
//   the guest, mounts the share, and the guest reads a file the host wrote;
// - `guestbay tools NAME --insert` plugs the disk into the running guest as a USB stick, and
//   again (pulled out and plugged in, never twice).
// One guest, one boot. (Without an agent nothing is asked of one: guest-agent.qemu.test.ts.)
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../src/main/api';
import { TOOLS_DISK_ID } from '../../../src/main/guest-tools/service';
import { ESP_START_LBA, SECTOR } from '../../../src/main/macos/disk/gpt';
import { guestExec, withAgent } from '../../../src/main/qemu/qga/commands';
import { guestbayFolder } from '../../../src/main/vm/app-settings';
import { readRecord } from '../../../src/main/vm/runtime-files';
import type { SharedFoldersStatus } from '../../../src/shared/contract-guest-tools';
import { cli } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
let api: Api;
// One supervisor for the test and the API: QEMU has two monitors, and the CLI below takes the other.
let sup: ReturnType<typeof w.supervisor>;
beforeAll(async () => {
  w = await guestWorld('gb-tools-');
  // The settings as a user has them: every new guest gets the Guestbay folder.
  await rm(join(w.home, 'config', 'guestbay', 'settings.json'), { force: true });
  sup = w.supervisor();
  api = createApi({ store: w.store, supervisor: sup, probe: w.probe, env: w.env, validateOutputs: true, watch: false });
});
afterAll(async () => {
  await api?.dispose();
  await w.cleanup();
});

const poll = { timeout: 120_000, interval: 500 };

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await api.dispatch(name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.output as T;
}

/** Runs a busybox applet in the guest through its agent (no shell unless asked for). */
async function inGuest(name: string, args: string[]) {
  const socket = (await readRecord(w.store.dirs(name).runtimeDir))!.plan.runtime.qgaSocket!;
  return withAgent(socket, (q) => guestExec(q, '/bin/busybox', args), { syncTimeoutMs: 3000, timeoutMs: 30_000 });
}

const folderState = async (name: string) => (await call<SharedFoldersStatus>('guests.sharedFolders', { name })).shares.find((s) => s.tag === 'guestbay');

describe('the guest tools and the shared folder in the guest', () => {
  it('says whether the folder is mounted, gives the command when not, and the tools disk mounts it', async () => {
    await w.create('tools', { append: 'gb.qga' });
    expect((await w.store.get('tools')).guestbayFolder).toBe(true);
    await sup.start('tools', { headless: true });
    await expect.poll(() => w.serial('tools'), poll).toContain('GB:READY');
    expect(await w.serial('tools')).toContain('GB:SHARE-WROTE guestbay');
    const folder = (await guestbayFolder(w.store.paths)).path;
    await writeFile(join(folder, 'from-host.txt'), 'written by the host\n');

    // Mounted at boot (the guest's init): the agent's mount table says so.
    await expect.poll(async () => (await folderState('tools'))?.mounted, poll).toBe(true);
    expect(await folderState('tools')).toMatchObject({ method: 'virtiofs', mountpoint: '/mnt/guestbay', target: '/mnt/guestbay' });

    // Unmounted in the guest: not mounted, with the exact command for a Linux guest over virtiofs.
    expect((await inGuest('tools', ['umount', '/mnt/guestbay'])).exitCode).toBe(0);
    const off = await folderState('tools');
    expect(off).toMatchObject({ mounted: false, mountpoint: null, command: 'sudo mkdir -p /mnt/guestbay && sudo mount -t virtiofs guestbay /mnt/guestbay' });
    expect((await inGuest('tools', ['cat', '/mnt/guestbay/from-host.txt'])).exitCode).not.toBe(0);

    // The tools disk, made for this guest: its Linux setup's mount line, read off the disk.
    const made = await call<{ path: string; files: string[] }>('guests.tools', { name: 'tools' });
    expect(made.files).toContain('linux/guestbay.mount');
    const setup = (await execa('mtype', ['-i', `${made.path}@@${ESP_START_LBA * SECTOR}`, '::/linux/setup.sh'])).stdout;
    const line = setup.split('\n').map((l) => l.trim()).find((l) => l.startsWith('mkdir -p /mnt/guestbay && mount '));
    expect(line).toBe('mkdir -p /mnt/guestbay && mount -t virtiofs guestbay /mnt/guestbay');
    // Run inside the guest, it mounts the share: the guest reads the host's file.
    const ran = await inGuest('tools', ['sh', '-c', line!]);
    expect(ran.exitCode, ran.stderr).toBe(0);
    const read = await inGuest('tools', ['cat', '/mnt/guestbay/from-host.txt']);
    expect(read.stdout).toBe('written by the host\n');
    expect(await folderState('tools')).toMatchObject({ mounted: true, mountpoint: '/mnt/guestbay' });

    // `guestbay tools NAME --insert`: plugged into the running guest as a USB stick; again: replaced, not doubled.
    for (let n = 0; n < 2; n++) {
      const r = await cli(['tools', 'tools', '--insert', '--json'], w.env);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { inserted: boolean; appliedLive: string[]; files: string[] };
      expect(out.inserted).toBe(true);
      expect(out.appliedLive).toContain(`Plugged in USB disk ${TOOLS_DISK_ID}`);
      const disks = (await w.store.get('tools')).disks.filter((d) => d.id === TOOLS_DISK_ID);
      expect(disks).toEqual([expect.objectContaining({ bus: 'usb', readOnly: true, format: 'raw', path: 'guest-tools.img' })]);
    }
    const blocks = await (await sup.monitor('tools')).execute<{ device: string; qdev?: string; inserted?: { file: string; ro: boolean } }[]>('query-block');
    const stick = blocks.filter((b) => b.inserted?.file.endsWith('guest-tools.img'));
    expect(stick).toHaveLength(1);
    expect(stick[0]!.inserted!.ro).toBe(true);
    await sup.stop('tools', { force: true });
  });

  it('a stopped guest: nobody can tell, and the command is there', async () => {
    const st = await call<SharedFoldersStatus>('guests.sharedFolders', { name: 'tools' });
    expect(st).toMatchObject({ running: false, agent: false });
    expect(st.shares.find((s) => s.tag === 'guestbay')).toMatchObject({ mounted: null, command: 'sudo mkdir -p /mnt/guestbay && sudo mount -t virtiofs guestbay /mnt/guestbay' });
  });
});
