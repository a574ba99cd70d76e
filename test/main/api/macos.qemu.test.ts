// The app's side of preparing a macOS guest, through the real API (as the renderer calls it):
// bad input fails the call itself with nothing fetched or written; then the job runs on and is
// followed by `macos.job` events; a bad signature fails it in plain words; a cancel leaves no
// guest but keeps the verified download, which the next try resumes.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MacosJob } from '../../../src/shared/contract';
import { apiWorld } from '../../helpers/api';
import { startFakeSources, type FakeSources } from '../macos/fake-sources';
import { buildChunklist, makeTestKey, MiB } from '../macos/recovery/fake-apple';

let w: Awaited<ReturnType<typeof apiWorld>>;
let fake: FakeSources;
const jobs: MacosJob[] = [];

beforeAll(async () => {
  fake = await startFakeSources({ imageBytes: 6 * MiB + 5 });
  w = await apiWorld('gb-api-macos-', { macosSources: fake.sources });
  w.api.onEvent((m) => m.event === 'macos.job' && jobs.push(m.payload as MacosJob));
});
afterAll(async () => {
  await w.cleanup();
  await fake.stop();
});

const vms = () => join(w.env.XDG_DATA_HOME!, 'guestbay/vms');
const entries = async () => (await readdir(vms()).catch(() => [])).sort();
const lastJob = (name: string) => jobs.filter((j) => j.name === name).at(-1);
async function settled(name: string): Promise<MacosJob> {
  await expect.poll(() => lastJob(name)?.state, { timeout: 30_000 }).not.toBe('running');
  return lastJob(name)!;
}

describe('macos.* calls', () => {
  it('checks the release and the request before anything is fetched or written', async () => {
    const bad = await w.call('macos.preflight', { release: 'lion' });
    expect(bad).toMatchObject({ ok: false, error: { fields: [{ field: 'release' }] } });
    const pre = await w.call('macos.preflight', { release: 'sonoma' });
    expect(pre.ok && (pre.output as { id: string }[]).map((f) => f.id)).toEqual(expect.arrayContaining(['macos-kvm', 'macos-applesmc', 'macos-ovmf', 'macos-mtools']));

    const size = await w.call('macos.prepare', { release: 'sonoma', name: 'mac', diskSize: 'huge', allowTcg: true });
    expect(size).toMatchObject({ ok: false, error: { name: 'ConfigError', fields: [{ field: 'diskSize' }] } });
    const caps = await w.call('host.probe', {});
    if (caps.ok && (caps.output as { accel: string }).accel === 'tcg') {
      const tcg = await w.call('macos.prepare', { release: 'sonoma', name: 'mac' });
      expect(tcg).toMatchObject({ ok: false, error: { name: 'MacPrepareError' } });
      expect(!tcg.ok && tcg.error.message).toMatch(/No KVM(.|\n)*allow it/);
    }
    // A folder with disks kept from a deleted guest is never prepared into.
    await mkdir(join(vms(), 'kept'), { recursive: true });
    const kept = await w.call('macos.prepare', { release: 'sonoma', name: 'kept', allowTcg: true });
    expect(kept).toMatchObject({ ok: false, error: { fields: [{ field: 'name', message: expect.stringMatching(/already exists/) }] } });
    await rm(join(vms(), 'kept'), { recursive: true });
    expect(fake.apple.log).toEqual([]);
    expect(await entries()).toEqual([]);
  });

  it('runs one preparation per name, and one download per release at a time', async () => {
    fake.apple.knobs = { throttleBytesPerSecond: 2 * MiB };
    const [a, again] = await Promise.all([
      w.call('macos.prepare', { release: 'sonoma', name: 'one', diskSize: '1G', allowTcg: true }),
      w.call('macos.prepare', { release: 'sonoma', name: 'one', diskSize: '1G', allowTcg: true }),
    ]);
    expect(a).toMatchObject({ ok: true });
    expect(again).toMatchObject({ ok: false, error: { message: expect.stringMatching(/"one" is already being prepared/) } });
    await expect.poll(() => lastJob('one')?.step, { timeout: 10_000 }).toBe('recovery');
    await w.call('macos.prepare', { release: 'sonoma', name: 'two', diskSize: '1G', allowTcg: true });
    const two = await settled('two');
    expect(two).toMatchObject({ state: 'failed', error: expect.stringMatching(/Another preparation is downloading macOS Sonoma/) });
    expect((await w.call('macos.cancel', { name: 'one' }))).toMatchObject({ ok: true, output: { state: 'cancelled' } });
    expect(await entries()).toEqual([]);
    fake.apple.knobs = {};
  });

  it('reports a chunklist with a bad signature in plain words and leaves nothing behind', async () => {
    const other = makeTestKey();
    fake.apple.knobs = { chunklistOverride: buildChunklist(fake.image, MiB, other.privateKey) };
    const started = await w.call('macos.prepare', { release: 'sonoma', name: 'bad', diskSize: '1G', allowTcg: true });
    expect(started).toMatchObject({ ok: true, output: { name: 'bad', state: 'running' } });
    const end = await settled('bad');
    expect(end.state).toBe('failed');
    expect(end.step).toBe('recovery');
    expect(end.error).toMatch(/signature/i);
    expect(await entries()).toEqual([]);
    fake.apple.knobs = {};
  });

  it('cancels mid-download without a guest, then resumes the verified part to a finished guest', async () => {
    fake.apple.knobs = { throttleBytesPerSecond: 2 * MiB };
    await w.call('macos.prepare', { release: 'sonoma', name: 'mac', diskSize: '1G', allowTcg: true });
    await expect.poll(() => lastJob('mac')?.download?.bytes ?? 0, { timeout: 20_000 }).toBeGreaterThan(MiB);
    expect((await w.call('macos.jobs', {})).ok).toBe(true);
    const cancelled = await w.call('macos.cancel', { name: 'mac' });
    expect(cancelled).toMatchObject({ ok: true, output: { state: 'cancelled' } });
    expect(await entries()).toEqual([]);
    const cache = join(w.env.XDG_CACHE_HOME!, 'guestbay/macos-recovery/sonoma');
    expect(await readdir(cache)).toContain('BaseSystem.dmg.partial');

    fake.apple.knobs = {};
    const before = fake.apple.imageRequests().length;
    await w.call('macos.prepare', { release: 'sonoma', name: 'mac', diskSize: '1G', allowTcg: true });
    const end = await settled('mac');
    expect(end.state, end.error).toBe('done');
    // Resumed: the image request asks only for what was not verified yet.
    const resumed = fake.apple.imageRequests().slice(before);
    expect(resumed[0]?.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await entries()).toEqual(['mac']);
    const got = await w.call('guests.get', { name: 'mac' });
    expect(got).toMatchObject({ ok: true, output: { config: { media: [{ role: 'bootloader' }, { role: 'recovery' }] } } });
    const list = await w.call('macos.jobs', {});
    expect(list.ok && (list.output as MacosJob[]).find((j) => j.name === 'mac')?.state).toBe('done');
  });

  it('reuses the verified image for a second guest of the same release instead of downloading it again', async () => {
    const before = fake.apple.imageRequests().length;
    await w.call('macos.prepare', { release: 'sonoma', name: 'mac2', diskSize: '1G', allowTcg: true });
    const end = await settled('mac2');
    expect(end.state, end.error).toBe('done');
    expect(fake.apple.imageRequests().length).toBe(before);
    expect(await entries()).toEqual(['mac', 'mac2']);
  });
});
