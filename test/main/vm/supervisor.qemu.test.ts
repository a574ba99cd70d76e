// The supervisor with real guests under TCG: start, what the guest sees, ACPI stop, crashes,
// re-attach after the supervisor dies, save/restore, switching, and the failures around them.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../../src/main/vm/process-info';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { savedPaths } from '../../../src/main/vm/saved-state';
import { GuestBusyError, GuestStateError, type GuestState, type GuestStatus } from '../../../src/main/vm/supervisor';
import { GuestNotFoundError } from '../../../src/main/vm/store';
import { ROOT } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-sup-');
});
afterAll(() => w.cleanup());

const poll = { timeout: 90_000, interval: 100 };

async function sidecarPids(name: string): Promise<number[]> {
  return ((await readRecord(w.store.dirs(name).runtimeDir))?.sidecars ?? []).map((s) => s.pid);
}

describe('supervisor with a real guest', () => {
  it('starts a guest that sees its disk, network and share; ACPI stop ends it with its own shutdown', async () => {
    const sup = w.supervisor();
    const { share } = await w.create('alpha', { share: true });
    const states: GuestState[] = [];
    sup.onEvent((e) => e.type === 'state' && e.status.name === 'alpha' && states.push(e.status.state));
    const st = await sup.start('alpha', { headless: true });
    expect(st.state).toBe('running');
    const vfs = await sidecarPids('alpha');
    expect(vfs).toHaveLength(1);

    await expect.poll(() => w.serial('alpha'), poll).toContain('GB:SHARE-WROTE');
    const log = await w.serial('alpha');
    expect(log).toContain('GB:DISK vda 67108864');
    expect(log).toMatch(/GB:NET eth0 10\.0\.2\.15\/24/);
    expect(log).toContain('GB:SHARE-READ share-alpha hello from the host to alpha');
    expect(await readFile(join(share, 'from-guest.txt'), 'utf8')).toContain('written by guest');
    await expect.poll(() => w.serial('alpha'), poll).toContain('GB:READY');

    const stopped = await sup.stop('alpha');
    expect(stopped).toMatchObject({ state: 'stopped', detail: 'the guest shut down' });
    expect(await w.serial('alpha')).toContain('GB:POWEROFF');
    expect(states).toEqual(expect.arrayContaining(['starting', 'running', 'stopping', 'stopped']));
    for (const pid of vfs) expect(isAlive(pid)).toBe(false);
    expect((await sup.status('alpha')).state).toBe('stopped');
  });

  it('kill -9 of QEMU: crashed with the log tail, virtiofsd ended, and the guest starts again', async () => {
    const sup = w.supervisor();
    const events: GuestStatus[] = [];
    sup.onEvent((e) => e.type === 'state' && events.push(e.status));
    await sup.start('alpha', { headless: true });
    const pid = (await readRecord(w.store.dirs('alpha').runtimeDir))!.qemuPid;
    const vfs = await sidecarPids('alpha');
    process.kill(pid, 'SIGKILL');
    await expect.poll(async () => (await sup.status('alpha')).state, poll).toBe('crashed');
    const st = await sup.status('alpha');
    expect(st.detail).toMatch(/SIGKILL|ended without shutting down/);
    expect(st.logTail).toContain('===');
    // The state event carries the whole status, the crash's log tail included.
    expect(events.find((e) => e.state === 'crashed')).toMatchObject({ name: 'alpha', detail: st.detail, logTail: expect.stringContaining('===') });
    await expect.poll(() => vfs.every((p) => !isAlive(p)), poll).toBe(true);
    // A new supervisor (the app restarted) still knows it crashed.
    expect((await w.supervisor().status('alpha')).state).toBe('crashed');
    expect((await sup.start('alpha', { headless: true })).state).toBe('running');
    // One status per guest: a pause answers with the status status() gives (savable included),
    // and the event says the same.
    const paused = await sup.pause('alpha');
    expect(paused).toMatchObject({ state: 'paused', pid: expect.any(Number), accel: expect.any(String), savable: { ok: expect.any(Boolean) } });
    expect(paused).toEqual(await sup.status('alpha'));
    expect(events.at(-1)).toEqual(paused);
    await sup.stop('alpha', { force: true });
  });

  it('the supervisor process killed while a guest runs: a new one re-attaches, and stop works', async () => {
    const holder = execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), 'start', 'alpha', '--headless', '--wait'], { env: w.env, reject: false, all: true });
    let out = '';
    holder.all!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, poll).toMatch(/alpha: running/);
    holder.kill('SIGKILL');
    await holder;
    const sup = w.supervisor();
    const st = await sup.status('alpha');
    expect(st.state).toBe('running');
    await expect.poll(() => w.serial('alpha'), poll).toContain('GB:READY');
    expect(await sup.stop('alpha')).toMatchObject({ state: 'stopped', detail: 'the guest shut down' });
  });
});

describe('save and restore', () => {
  it('saves the whole guest to a file and restores it without a fresh boot (uptime continues)', async () => {
    const sup = w.supervisor();
    const caps = await w.probe();
    // With a virtiofs share where this virtiofsd can migrate (Rust), without one otherwise.
    const withShare = caps.virtiofsd?.flavour === 'rust';
    await w.create('beta', { share: withShare });
    await sup.start('beta', { headless: true });
    await expect.poll(() => w.lastTick('beta'), poll).toBeGreaterThan(1);
    const before = await w.lastTick('beta');
    const saved = await sup.save('beta');
    expect(saved.state).toBe('saved');
    expect((await stat(savedPaths(w.store.dirs('beta').dir).state)).size).toBeGreaterThan(1_000_000);
    expect((await sup.status('beta')).state).toBe('saved');

    const restored = await sup.restore('beta', { headless: true });
    expect(restored.state).toBe('running');
    await expect.poll(() => w.lastTick('beta'), poll).toBeGreaterThan(before);
    const log = await w.serial('beta');
    // Continued, not rebooted: no boot banner in this run's log, and the first tick follows on.
    expect(log).not.toContain('GB:BOOT');
    const first = Number(/GB:TICK (\d+(?:\.\d+)?)/.exec(log)![1]);
    expect(first).toBeGreaterThanOrEqual(before);
    if (withShare) {
      // The share still works after the restore, both ways.
      await writeFile(join(w.home, 'share-beta', 'ping'), 'after-restore\n');
      await expect.poll(() => w.serial('beta'), poll).toContain('GB:SHARE-PONG share-beta after-restore');
      expect(await readFile(join(w.home, 'share-beta', 'pong'), 'utf8')).toBe('pong after-restore\n');
    }
    expect(await stat(savedPaths(w.store.dirs('beta').dir).dir).catch(() => null)).toBeNull();
    await sup.stop('beta', { force: true });
  });

  it('with the C virtiofsd a guest with a share is refused with the reason, and keeps running', async () => {
    const caps = await w.probe();
    if (caps.virtiofsd?.flavour !== 'c') return; // QEMU 10 + Rust daemon: covered above
    const sup = w.supervisor();
    await w.create('gamma', { share: true });
    await sup.start('gamma', { headless: true });
    await expect(sup.save('gamma')).rejects.toThrow(/cannot be saved: .*virtiofsd cannot migrate/);
    expect((await sup.status('gamma')).state).toBe('running');
    await sup.stop('gamma', { force: true });
  });

  it('refuses to restore onto a disk that changed since the save', async () => {
    const sup = w.supervisor();
    await w.create('delta');
    await sup.start('delta', { headless: true });
    await sup.save('delta');
    const disk = join(w.store.dirs('delta').dir, 'disk.qcow2');
    await execa('qemu-img', ['resize', '-q', disk, '128M']);
    await expect(sup.restore('delta', { headless: true })).rejects.toThrow(/disk\.qcow2 changed since the guest was saved/);
    expect((await sup.status('delta')).state).toBe('saved');
  });
});

describe('switching', () => {
  it('between two guests declaring the same USB device: the first is saved, the second runs; and back', async () => {
    const sup = w.supervisor();
    const usb = [{ vendorId: '1d6b', productId: '0104' }];
    await w.create('win', { usb });
    await w.create('mac', { usb });
    await sup.start('win', { headless: true });
    const there = await sup.switchTo('mac', { headless: true });
    expect(there.decision.evict).toEqual([expect.objectContaining({ guest: 'win', action: 'save', because: expect.stringContaining('1d6b:0104') })]);
    expect((await sup.status('win')).state).toBe('saved');
    expect((await sup.status('mac')).state).toBe('running');
    expect(there.decision.summary).toMatch(/Save .*then start/);

    const back = await sup.switchTo('win', { headless: true });
    expect(back.decision.then).toBe('restore');
    expect((await sup.status('mac')).state).toBe('saved');
    expect((await sup.status('win')).state).toBe('running');
    await sup.stop('win', { force: true });
  });
});

describe('failures are clear and leave nothing behind', () => {
  it('two starts of the same guest at once: one runs, the other is refused', async () => {
    const sup = w.supervisor();
    await w.create('twice');
    const results = await Promise.allSettled([sup.start('twice', { headless: true }), sup.start('twice', { headless: true })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(GuestBusyError);
    // From another process too.
    const other = await execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), 'start', 'twice', '--headless'], { env: w.env, reject: false });
    expect(other.exitCode).toBe(1);
    expect(other.stderr).toMatch(/already running/);
    const qemus = (await execa('pgrep', ['-f', `guestbay/twice/run-[0-9a-f]*/qemu.pid`], { reject: false })).stdout.trim().split('\n').filter(Boolean);
    expect(qemus).toHaveLength(1);
    await sup.stop('twice', { force: true });
  });

  it('a missing guest, a missing QEMU, and a deleted share folder: each a clear error, no process', async () => {
    const sup = w.supervisor();
    await expect(sup.start('nobody')).rejects.toBeInstanceOf(GuestNotFoundError);

    const { share } = await w.create('lonely', { share: true });
    await rm(share, { recursive: true });
    await expect(sup.start('lonely', { headless: true })).rejects.toThrow(/shared folder .*share-lonely.* no longer exists/);
    expect(await readRecord(w.store.dirs('lonely').runtimeDir)).toBeNull();

    const noQemu = await execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), 'start', 'alpha', '--headless'], {
      env: { ...w.env, PATH: '/nonexistent', XDG_CACHE_HOME: join(w.home, 'empty-cache') },
      reject: false,
    });
    expect(noQemu.exitCode).toBe(1);
    expect(noQemu.stderr).toMatch(/QEMU was not found/);
    expect(await readRecord(w.store.dirs('alpha').runtimeDir)).toBeNull();
    expect((await sup.status('alpha')).state).not.toBe('running');
  });

  it('stop, pause and save of a guest that is not running say so', async () => {
    const sup = w.supervisor();
    await expect(sup.save('alpha')).rejects.toBeInstanceOf(GuestStateError);
    await expect(sup.pause('alpha')).rejects.toThrow(/not running/);
  });
});

describe('the CLI over the supervisor', () => {
  it('start, status, screenshot, pause, resume, logs and stop, as a user types them', async () => {
    await w.create('cli');
    const gb = (...args: string[]) => execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), ...args], { env: w.env, reject: false, cwd: w.home });
    expect((await gb('start', 'cli', '--headless')).stdout).toMatch(/^cli: running \(pid \d+/);
    expect(JSON.parse((await gb('status', 'cli', '--json')).stdout)).toMatchObject({ name: 'cli', state: 'running' });
    await expect.poll(() => w.serial('cli'), poll).toContain('GB:READY');
    const shot = await gb('screenshot', 'cli', 'screen.png');
    expect(shot.exitCode, shot.stderr).toBe(0);
    expect((await readFile(join(w.home, 'screen.png'))).subarray(1, 4).toString()).toBe('PNG');
    expect((await gb('pause', 'cli')).stdout).toMatch(/cli: paused/);
    expect((await gb('resume', 'cli')).stdout).toMatch(/cli: running/);
    expect((await gb('logs', 'cli')).stdout).toMatch(/serial\.log <==[\s\S]*GB:READY/);
    expect((await gb('stop', 'cli')).stdout).toMatch(/cli: stopped \(the guest shut down\)/);
    expect((await gb('status')).stdout).toMatch(/cli: stopped/);
  });

  it('GUESTBAY_QMP_TRACE=1: each command\'s QMP conversation lands, timestamped, in the guest\'s logs/qmp-trace.log', async () => {
    await w.create('traced');
    const env = { ...w.env, GUESTBAY_QMP_TRACE: '1' };
    const gb = (...args: string[]) => execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), ...args], { env, reject: false, cwd: w.home });
    expect((await gb('start', 'traced', '--headless', '--paused')).stdout).toMatch(/^traced: paused/);
    expect((await gb('stop', 'traced', '--force')).stdout).toMatch(/traced: stopped/);
    const trace = await readFile(join(w.store.dirs('traced').logDir, 'qmp-trace.log'), 'utf8');
    const at = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z qmp\\.sock';
    // Two processes (start, then stop), each from its greeting on; QEMU's answers and events too.
    expect(trace.match(new RegExp(`^${at} <- \\{"QMP": ?\\{`, 'gm'))).toHaveLength(2);
    expect(trace).toMatch(new RegExp(`^${at} -> \\{"execute":"qmp_capabilities","id":1\\}$`, 'm'));
    expect(trace).toMatch(new RegExp(`^${at} -> \\{"execute":"quit","id":\\d+\\}$`, 'm'));
    expect(trace).toMatch(new RegExp(`^${at} <- \\{.*"event": ?"SHUTDOWN"`, 'm'));
  });
});
