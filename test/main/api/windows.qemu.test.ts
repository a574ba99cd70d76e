// The app's side of preparing a Windows guest, through the real API (as the renderer calls it):
// the ISO read; bad input and preflight blockers fail the call itself with nothing written; the
// job then runs the same prepare code as the CLI, followed by `windows.job` events that never
// carry the password, with a cancel that leaves no guest; and the guest it makes is started
// paused by this machine's QEMU (7.2 here, 10 in the chroot) and stopped.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowsJob } from '../../../src/shared/contract';
import { apiWorld } from '../../helpers/api';
import { sha256, startRangeServer, type RangeServer } from '../../helpers/range-server';
import { buildVirtioWinIso, VIRTIO_WIN_ARCHIVE_PATH } from '../../helpers/virtio-win-iso';
import { buildWindowsIso } from '../../helpers/windows-iso';
import { readFile } from 'node:fs/promises';

let w: Awaited<ReturnType<typeof apiWorld>>;
let srv: RangeServer;
const jobs: WindowsJob[] = [];
const iso = () => join(w.home, 'Win11.iso');
const virtio = () => join(w.home, 'virtio-win.iso');
const PASSWORD = 'S3cret & <pw>';

beforeAll(async () => {
  srv = await startRangeServer();
  w = await apiWorld('gb-api-windows-', { windowsSources: { virtioWinUrl: `${srv.base}${VIRTIO_WIN_ARCHIVE_PATH}`, virtioWinPin: { what: 'the virtio-win drivers ISO', version: '0.1.285', file: 'virtio-win-0.1.285.iso', url: 'x', sha256: null, maxBytes: 2 ** 30 }, retryDelayMs: 50 } });
  w.api.onEvent((m) => m.event === 'windows.job' && jobs.push(m.payload as WindowsJob));
  // The chroot has no wimtools: the stand-in WIM carries only the header and XML metadata.
  await buildWindowsIso(iso(), { label: 'CCCOMA_X64FRE_EN-US_DV9', wimtools: false, editions: [{ name: 'Windows 11 Pro', editionId: 'Professional', build: 26100 }] });
  await buildVirtioWinIso(virtio());
  // Slow enough to be cancelled mid-way.
  srv.files.set(VIRTIO_WIN_ARCHIVE_PATH, { body: await readFile(virtio()), bytesPerSecond: 256 * 1024 });
}, 120_000);
afterAll(async () => {
  await w?.call('guests.stop', { name: 'win11', force: true });
  await w?.cleanup();
  await srv?.stop();
});

const vms = () => join(w.env.XDG_DATA_HOME!, 'guestbay/vms');
const guests = async () => (await readdir(vms()).catch(() => [])).filter((f) => !f.startsWith('.'));
const lastJob = (name: string) => jobs.filter((j) => j.name === name).at(-1);
async function settled(name: string): Promise<WindowsJob> {
  await expect.poll(() => lastJob(name)?.state, { timeout: 120_000 }).not.toBe('running');
  return lastJob(name)!;
}
const req = (o: Record<string, unknown> = {}) => ({ name: 'win11', iso: iso(), virtioWin: virtio(), user: 'ada', password: PASSWORD, allowTcg: true, ...o });

describe('windows.* calls', () => {
  it('reads the ISO; refuses bad input and a missing TCG choice in the call itself, with nothing written', async () => {
    const info = await w.call('windows.inspect', { path: iso() });
    expect(info).toMatchObject({ ok: true, output: { version: '11', source: 'install.wim', picked: { name: 'Windows 11 Pro' } } });
    const notIso = await w.call('windows.inspect', { path: join(w.home, '.') });
    expect(notIso.ok).toBe(false);

    const user = await w.call('windows.prepare', req({ user: 'Administrator' }));
    expect(user).toMatchObject({ ok: false, error: { fields: [{ field: 'user' }] } });
    const edition = await w.call('windows.prepare', req({ edition: 'Enterprise' }));
    expect(edition).toMatchObject({ ok: false, error: { fields: [{ field: 'edition', message: expect.stringMatching(/not on this ISO; it has: Windows 11 Pro/) }] } });
    const caps = await w.call('host.probe', {});
    if (caps.ok && (caps.output as { accel: string }).accel !== 'kvm') {
      const tcg = await w.call('windows.prepare', req({ allowTcg: false }));
      expect(tcg).toMatchObject({ ok: false, error: { message: expect.stringMatching(/No KVM: Windows will be extremely slow(.|\n)*the checkbox in the app/) } });
    }
    expect(jobs).toEqual([]);
    expect(await guests()).toEqual([]);
  });

  it('a cancel mid-download leaves no guest; then a preparation ends in a guest QEMU starts paused', async () => {
    const started = await w.call('windows.prepare', req({ virtioWin: undefined }));
    expect(started).toMatchObject({ ok: true, output: { name: 'win11', state: 'running' } });
    await expect.poll(() => lastJob('win11')?.download?.bytes ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    const cancelled = await w.call('windows.cancel', { name: 'win11' });
    expect(cancelled).toMatchObject({ ok: true, output: { state: 'cancelled' } });
    expect(await guests()).toEqual([]);

    // Again, the download resumed to the end (trust on first use, its hash in the job's notes).
    srv.files.get(VIRTIO_WIN_ARCHIVE_PATH)!.bytesPerSecond = undefined;
    expect((await w.call('windows.prepare', req({ virtioWin: undefined }))).ok).toBe(true);
    const done = await settled('win11');
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({ state: 'done', step: 'create' });
    expect(done.message).toMatch(/"win11" is ready to start: Windows 11, Windows 11 Pro, account ada/);
    expect(done.notes.join('\n')).toContain(`recorded its SHA-256 ${sha256(await readFile(virtio()))}`);
    expect(JSON.stringify(jobs)).not.toContain('S3cret');
    const listed = await w.call('windows.jobs', {});
    expect(listed.ok && (listed.output as WindowsJob[]).map((j) => j.state)).toEqual(['done']);
    const source = await w.call('windows.virtioWin', {});
    expect(source).toMatchObject({ ok: true, output: { sha256: null, cached: true, firstSeen: { sha256: sha256(await readFile(virtio())) } } });

    expect(await guests()).toEqual(['win11']);
    const start = await w.call('guests.start', { name: 'win11', paused: true, headless: true });
    expect(start, JSON.stringify(start)).toMatchObject({ ok: true, output: { state: 'paused' } });
    const stop = await w.call('guests.stop', { name: 'win11', force: true });
    expect(stop).toMatchObject({ ok: true, output: { state: 'stopped' } });
  }, 300_000);
});
