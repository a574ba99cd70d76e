// The Guestbay folder through the contract (issue 17), over the real API in a private HOME; no
// guest is started. Its arguments and costs are shown before a start (guests.preview,
// guests.cmdline, guests.export), from the settings a start reads; the app's settings calls write
// the file `guestbay settings` reads; QEMU's one SMB share per guest is refused to a folder of the
// guest's own when the Guestbay folder takes it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, WireError } from '../../../src/shared/contract';
import type { HostCaps } from '../../../src/shared/host-caps';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

// QEMU 7.2's C virtiofsd, working (as root), and Samba: the same answers on every test machine.
const caps = (c: HostCaps): HostCaps => ({
  ...c,
  virtiofsd: { path: '/usr/lib/qemu/virtiofsd', flavour: 'c', version: '7.2', features: [], source: 'descriptor', sandbox: null, works: true, reason: null },
  tools: { ...c.tools, smbd: '/usr/sbin/smbd' },
});

let w: Awaited<ReturnType<typeof apiWorld>>;
const settingsFile = () => join(w.home, 'config', 'guestbay', 'settings.json');
const folder = () => join(w.home, 'Guestbay Shared');
beforeAll(async () => {
  w = await apiWorld('gb-folder-api-', { caps });
  // These guests get the folder, as a user's do (the suites' homes opt out: helpers/cli.ts).
  await writeFile(settingsFile(), '{}\n');
  await mkdir(join(w.home, 'Projects'));
});
afterAll(() => w.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.output;
}
function failed(r: Reply): WireError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output).slice(0, 300)}`);
  return r.error;
}
const folderWarnings = (ws: { id: string }[]) => ws.map((x) => x.id).filter((id) => id.startsWith('guestbay-folder'));

describe('the Guestbay folder before a start', () => {
  it('guests.preview: its arguments, its helper and its cost when on; none of them when off; its method either way', async () => {
    const on = ok(await w.call('guests.preview', { preset: 'linux', name: 'p', diskSize: '1G' }));
    expect(on.config.guestbayFolder).toBe(true);
    expect(on.plan.command).toContain('tag=guestbay');
    expect(on.plan.sidecars.some((s: { command: string }) => s.command.includes(folder()))).toBe(true);
    expect(on.plan.warnings.find((x: { id: string }) => x.id === 'guestbay-folder-cost').message).toMatch(/virtiofs.*cannot be saved/);
    expect(on.guestbayFolder).toMatchObject({ path: folder(), method: 'virtiofs' });

    const off = ok(await w.call('guests.preview', { preset: 'linux', name: 'p', diskSize: '1G', guestbayFolder: false }));
    expect(off.config.guestbayFolder).toBe(false);
    expect(off.plan.command).not.toContain('tag=guestbay');
    expect(folderWarnings(off.plan.warnings)).toEqual([]);
    expect(off.guestbayFolder).toMatchObject({ path: folder(), method: 'virtiofs' });

    // Windows without the drivers disc: SMB, which keeps save.
    const win = ok(await w.call('guests.preview', { preset: 'windows-11', name: 'win', diskSize: '64G' }));
    expect(win.guestbayFolder.method).toBe('smb');
    expect(win.plan?.command ?? '').toContain(`smb=${folder()}`);
  });

  it('follows the settings: a new folder and "new guests do not get it"', async () => {
    ok(await w.call('settings.set', { sharedFolder: join(w.home, 'Elsewhere') }));
    const moved = ok(await w.call('guests.preview', { preset: 'linux', name: 'p', diskSize: '1G' }));
    expect(moved.plan.sidecars.some((s: { command: string }) => s.command.includes(join(w.home, 'Elsewhere')))).toBe(true);
    ok(await w.call('settings.set', { newGuestsGetFolder: false }));
    const none = ok(await w.call('guests.preview', { preset: 'linux', name: 'p', diskSize: '1G' }));
    expect(none.config.guestbayFolder).toBe(false);
    expect(none.plan.command).not.toContain('tag=guestbay');
    ok(await w.call('settings.set', { sharedFolder: null, newGuestsGetFolder: true }));
  });

  it('guests.cmdline and guests.export build the plan a start builds', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'with', diskSize: '1G' }));
    ok(await w.call('guests.create', { preset: 'linux', name: 'without', diskSize: '1G', guestbayFolder: false }));
    const withIt = ok(await w.call('guests.cmdline', { name: 'with' }));
    expect(withIt.command).toContain('tag=guestbay');
    expect(withIt.paste).toContain(folder());
    expect(folderWarnings(withIt.warnings)).toEqual(['guestbay-folder-cost']);
    const withoutIt = ok(await w.call('guests.cmdline', { name: 'without' }));
    expect(withoutIt.command).not.toContain('tag=guestbay');
    expect(folderWarnings(withoutIt.warnings)).toEqual([]);
    const script = ok(await w.call('guests.export', { name: 'with', format: 'script' }));
    expect(script.text).toContain(folder());
    expect(script.notes.join('\n')).toMatch(/Guestbay folder.*virtiofs/);
  });
});

describe('settings.get / settings.set', () => {
  it('reads and writes the file `guestbay settings` reads; refuses bad folders at the field, writing nothing', async () => {
    expect(ok(await w.call('settings.get', {}))).toEqual({ sharedFolder: { path: folder(), isDefault: true, exists: false }, newGuestsGetFolder: true });
    const before = await readFile(settingsFile(), 'utf8');
    await writeFile(join(w.home, 'a-file'), 'x');
    const bad: [string, RegExp][] = [
      ['relative/dir', /absolute path/],
      ['/', /whole file system/],
      [join(w.home, 'a-file'), /is a file, not a folder/],
      [join(w.home, 'a-file', 'below'), /cannot make it: .*a-file is not a folder/],
      [`${w.home}/line\nbreak`, /control character/],
    ];
    for (const [path, message] of bad) {
      const e = failed(await w.call('settings.set', { sharedFolder: path }));
      expect(e.fields, path).toEqual([{ field: 'sharedFolder', message: expect.stringMatching(message) }]);
      expect(await readFile(settingsFile(), 'utf8')).toBe(before);
    }
    // A folder that does not exist yet but can be made is taken (made at the first start).
    const next = join(w.home, 'new', 'Shared');
    expect(ok(await w.call('settings.set', { sharedFolder: next }))).toEqual({ sharedFolder: { path: next, isDefault: false, exists: false }, newGuestsGetFolder: true });
    const r = await cli(['settings', '--json'], w.env);
    expect(JSON.parse(r.stdout).sharedFolder.path).toBe(next);
    ok(await w.call('settings.set', { sharedFolder: null }));
  });
});

describe('one SMB share per guest', () => {
  const share = () => join(w.home, 'Projects');

  it('create refuses a folder of the guest\'s own over SMB where the Guestbay folder takes SMB, and makes nothing', async () => {
    const e = failed(await w.call('guests.create', { preset: 'windows-11', name: 'w1', diskSize: '64G', shares: [share()] }));
    expect(e.fields).toEqual([{ field: 'shares.0', message: expect.stringMatching(/one SMB share per guest, and the Guestbay folder takes it \(Windows without the virtio-win drivers disc.*add the virtio-win drivers disc.*untick "Share the Guestbay folder"/) }]);
    expect(await w.store.exists('w1')).toBe(false);
    // The preview says it at the same field, so the wizard shows it on the shares step.
    expect(failed(await w.call('guests.preview', { preset: 'windows-11', name: 'w1', diskSize: '64G', shares: [share()] })).fields?.[0]?.field).toBe('shares.0');
    // Without the Guestbay folder, or with the drivers disc (both over virtiofs), it is fine.
    ok(await w.call('guests.preview', { preset: 'windows-11', name: 'w1', diskSize: '64G', shares: [share()], guestbayFolder: false }));
    // Asked for SMB on Linux, where the folder goes over virtiofs: no clash.
    ok(await w.call('guests.preview', { preset: 'linux', name: 'l1', diskSize: '1G', shares: [share()], overrides: { shareMethod: 'smb' } }));
  });

  it('guests.update refuses adding one, and changes nothing', async () => {
    ok(await w.call('guests.create', { preset: 'windows-11', name: 'w2', diskSize: '64G' }));
    const { config, revision } = ok(await w.call('guests.get', { name: 'w2' }));
    const before = await readFile(w.store.dirs('w2').configFile, 'utf8');
    const e = failed(await w.call('guests.update', { name: 'w2', revision, config: { ...config, sharedFolders: [{ tag: 'projects', hostPath: share(), method: 'smb', readOnly: false }] } }));
    expect(e.fields).toEqual([{ field: 'sharedFolders.0.method', message: expect.stringMatching(/one SMB share per guest, and the Guestbay folder takes it/) }]);
    expect(await readFile(w.store.dirs('w2').configFile, 'utf8')).toBe(before);
    // Without the folder, the same share is taken.
    ok(await w.call('guests.update', { name: 'w2', revision, config: { ...config, guestbayFolder: false, sharedFolders: [{ tag: 'projects', hostPath: share(), method: 'smb', readOnly: false }] } }));
  });
});
