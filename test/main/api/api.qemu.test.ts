// The tiny guest driven only through the API: state events, the serial console as events,
// a thumbnail, stop — and the console closed with the guest.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventMessage, Reply } from '../../../src/shared/contract';
import { ensureTestGuest } from '../../guest/guest';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
const events: EventMessage[] = [];
const complaints = vi.spyOn(console, 'error').mockImplementation(() => {});
beforeAll(async () => {
  w = await apiWorld('gb-api-q-');
  // A listener that throws (a window gone mid-event) must not break the lifecycle.
  w.api.onEvent(() => {
    throw new Error('a broken listener');
  });
  w.api.onEvent((m) => events.push(m));
});
afterAll(async () => {
  await w.supervisor.stop('tiny', { force: true }).catch(() => {});
  await w.cleanup();
  complaints.mockRestore();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`);
  return r.output;
}

const serial = () => events.filter((e) => e.event === 'serial.data').map((e) => (e.payload as { name: string; data: string }).data).join('');
const states = () => events.filter((e) => e.event === 'guest.state').map((e) => (e.payload as { state: string }).state);

describe('api with a real guest', () => {
  it('starts, streams state and serial output, takes a thumbnail, stops', async () => {
    const g = await ensureTestGuest();
    ok(await w.call('guests.create', { preset: 'linux', name: 'tiny', diskSize: '64M', kernel: g.kernel, initrd: g.initrd, append: 'console=ttyS0 quiet panic=-1', overrides: { memoryMiB: 256, cores: 1, display: 'std' } }));
    expect(ok(await w.call('guests.start', { name: 'tiny', headless: true }))).toMatchObject({ name: 'tiny', state: 'running' });
    expect(complaints).toHaveBeenCalledWith('guestbay: an event listener failed:', expect.any(Error));
    expect(states()).toEqual(expect.arrayContaining(['starting', 'running']));
    expect(events.some((e) => e.event === 'progress' && (e.payload as { operation: string }).operation === 'start')).toBe(true);

    // Two windows opening the console at once share one connection.
    const [a, b] = await Promise.all([w.call('serial.open', { name: 'tiny' }), w.call('serial.open', { name: 'tiny' })]);
    expect([ok(a), ok(b)]).toEqual([{ ok: true }, { ok: true }]);
    await expect.poll(serial, { timeout: 60_000 }).toMatch(/GB:TICK/);
    expect(events.filter((e) => e.event === 'serial.data').every((e) => (e.payload as { name: string }).name === 'tiny')).toBe(true);
    expect(ok(await w.call('serial.write', { name: 'tiny', data: '\n' }))).toEqual({ ok: true });

    const shot = ok(await w.call('guests.screenshot', { name: 'tiny', maxWidth: 160, maxHeight: 120 }));
    const png = Buffer.from(shot.png, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(shot.width);
    expect(shot.width).toBeLessThanOrEqual(160);
    expect(shot.height).toBeLessThanOrEqual(120);

    expect(ok(await w.call('guests.cmdline', { name: 'tiny' })).command).toContain('-kernel');
    const list = ok(await w.call('guests.list', {}));
    expect(list).toEqual([expect.objectContaining({ name: 'tiny', status: expect.objectContaining({ state: 'running', accel: expect.any(String) }) })]);

    expect(ok(await w.call('guests.stop', { name: 'tiny', timeoutSeconds: 30 }))).toMatchObject({ state: 'stopped' });
    expect(states()).toEqual(expect.arrayContaining(['stopping', 'stopped']));
    expect(serial()).toMatch(/GB:POWEROFF/);
    // The console went with QEMU.
    expect(failed(await w.call('serial.write', { name: 'tiny', data: 'x' })).name).toBe('ApiStateError');
    expect(failed(await w.call('serial.open', { name: 'tiny' })).name).toBe('GuestStateError');

    const logs = ok(await w.call('guests.logs', { name: 'tiny', lines: 50 }));
    expect(logs).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'serial.log', text: expect.stringContaining('GB:') })]));
  });
});

function failed(r: Reply) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
}
