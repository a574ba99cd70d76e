// The tiny guest driven only through the API: state events, the serial console both ways,
// a thumbnail, stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../../src/shared/contract';
import { ensureTestGuest } from '../../guest/guest';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
const events: EventMessage[] = [];
beforeAll(async () => {
  w = await apiWorld('gb-api-q-');
  w.api.onEvent((m) => events.push(m));
});
afterAll(() => w.cleanup());

describe('api with a real guest', () => {
  it('starts, streams state and serial output, takes a thumbnail, stops', async () => {
    const g = await ensureTestGuest();
    const created = await w.call('guests.create', { preset: 'linux', name: 'tiny', diskSize: '64M', kernel: g.kernel, initrd: g.initrd, append: 'console=ttyS0 quiet panic=-1', overrides: { memoryMiB: 256, cores: 1 } });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const started = await w.call('guests.start', { name: 'tiny', headless: true });
    expect(started).toMatchObject({ ok: true, output: { state: 'running' } });
    expect(await w.call('serial.open', { name: 'tiny' })).toEqual({ ok: true, output: { ok: true } });
    const serial = () => events.filter((e) => e.event === 'serial.data').map((e) => (e.payload as { data: string }).data).join('');
    await expect.poll(serial, { timeout: 60_000 }).toMatch(/GB:TICK/);
    expect(await w.call('serial.write', { name: 'tiny', data: '\n' })).toMatchObject({ ok: true });
    const shot = await w.call('guests.screenshot', { name: 'tiny', maxWidth: 160, maxHeight: 120 });
    if (!shot.ok) throw new Error(shot.error.message);
    const png = Buffer.from((shot.output as { png: string }).png, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect((shot.output as { width: number }).width).toBeLessThanOrEqual(160);
    const cmd = await w.call('guests.cmdline', { name: 'tiny' });
    expect(cmd).toMatchObject({ ok: true, output: { command: expect.stringContaining('-kernel') } });
    expect(await w.call('guests.stop', { name: 'tiny' })).toMatchObject({ ok: true, output: { state: 'stopped' } });
    const states = events.filter((e) => e.event === 'guest.state').map((e) => (e.payload as { state: string }).state);
    expect(states).toEqual(expect.arrayContaining(['starting', 'running', 'stopping', 'stopped']));
    const logs = await w.call('guests.logs', { name: 'tiny', lines: 50 });
    expect(logs).toMatchObject({ ok: true, output: expect.arrayContaining([expect.objectContaining({ file: 'serial.log' })]) });
  });
});
