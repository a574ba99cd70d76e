// The QEMU guest agent with a real guest under TCG (qemu-ga from Debian's package in the test
// initramfs, started by `gb.qga`): its OS and address reported, its clock set after a restore,
// a shutdown the guest's ACPI ignores completed through it, file systems frozen and thawed.
// And a guest without an agent: nothing waits on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestTimeMs, setGuestTime, withAgent } from '../../../src/main/qemu/qga/commands';
import { agentSocket } from '../../../src/main/vm/guest-agent';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-qga-');
});
afterAll(() => w.cleanup());

const poll = { timeout: 120_000, interval: 200 };

async function qgaSocket(name: string): Promise<string> {
  return (await readRecord(w.store.dirs(name).runtimeDir))!.plan.runtime.qgaSocket!;
}

describe('guest agent', () => {
  it('with an agent: OS and address, clock set after a restore, freeze/thaw, and a shutdown that ACPI ignores', async () => {
    const sup = w.supervisor();
    await w.create('agent', { append: 'gb.qga gb.noacpi' });
    await sup.start('agent', { headless: true });
    await expect.poll(() => w.serial('agent'), poll).toContain('GB:READY');
    expect(await w.serial('agent')).toMatch(/GB:QGA \/dev\/vport\d+p\d+/);
    expect(await w.serial('agent')).toContain('GB:ACPI-IGNORED');

    // The page's and `status --json`'s report: the OS from /etc/os-release, the user-net address.
    await expect.poll(async () => (await sup.agent('agent')).connected, poll).toBe(true);
    const info = await sup.agent('agent');
    expect(info.os?.name).toBe('Guestbay test guest');
    expect(info.addresses).toContainEqual(expect.objectContaining({ iface: 'eth0', family: 'ipv4', address: '10.0.2.15', prefix: 24 }));

    // File systems frozen around an operation and thawed after it, through the agent.
    const frozen = await sup.withFrozenFilesystems('agent', async () => 'done');
    expect(frozen).toEqual({ value: 'done', frozen: true });
    const socket = await qgaSocket('agent');
    expect(await withAgent(socket, (q) => q.execute<string>('guest-fsfreeze-status'))).toBe('thawed');

    // "Saved 60 s earlier" without waiting 60 s: the guest's clock is set 60 s back before the
    // save, which is where a guest saved a minute ago stands when it is restored (its clock
    // stops with it). Without the restore's clock setting it would still be ~60 s behind.
    await withAgent(socket, (q) => setGuestTime(q, Date.now() - 60_000));
    const behind = Date.now() - (await withAgent(socket, (q) => guestTimeMs(q)));
    expect(behind).toBeGreaterThan(55_000);
    expect((await sup.save('agent')).state).toBe('saved');
    expect((await sup.start('agent', { headless: true })).state).toBe('running');
    const afterRestore = await withAgent(await qgaSocket('agent'), (q) => guestTimeMs(q));
    expect(Math.abs(Date.now() - afterRestore)).toBeLessThan(2000);

    // The guest ignores the power button (gb.noacpi): its agent shuts it down, before the quit.
    const progress: string[] = [];
    sup.onEvent((e) => e.type === 'progress' && e.name === 'agent' && progress.push(e.message));
    const stopped = await sup.stop('agent', { timeoutMs: 30_000 });
    expect(stopped).toMatchObject({ state: 'stopped', detail: 'the guest shut down' });
    const log = await w.serial('agent');
    expect(log).not.toContain('GB:POWEROFF');
    expect(log).toContain('GB:AGENT-SHUTDOWN');
    expect(progress.join('\n')).toContain('asking its agent');
    expect(progress.join('\n')).not.toContain('quitting QEMU');
  });

  it('without an agent: nothing asks it, the report is empty at once, and stop and save behave as before', async () => {
    const sup = w.supervisor();
    await w.create('plain');
    await sup.start('plain', { headless: true });
    await expect.poll(() => w.serial('plain'), poll).toContain('GB:READY');
    const s = { plan: (await readRecord(w.store.dirs('plain').runtimeDir))!.plan, client: await sup.monitor('plain') };
    // The gate every agent call goes through: the port is closed, so no connection is made.
    expect(await agentSocket(s)).toBeUndefined();
    // And the socket itself never answers: asking it directly ends at the deadline, not later.
    await expect(withAgent(s.plan.runtime.qgaSocket!, (q) => guestTimeMs(q), { syncTimeoutMs: 500 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(await sup.agent('plain')).toEqual({ connected: false, os: null, addresses: [], mounts: null });
    const frozen = await sup.withFrozenFilesystems('plain', async () => 1);
    expect(frozen.frozen).toBe(false);
    expect((await sup.save('plain')).state).toBe('saved');
    expect((await sup.start('plain', { headless: true })).state).toBe('running');
    const progress: string[] = [];
    sup.onEvent((e) => e.type === 'progress' && e.name === 'plain' && progress.push(e.message));
    expect(await sup.stop('plain')).toMatchObject({ state: 'stopped', detail: 'the guest shut down' });
    expect(progress.join('\n')).not.toContain('agent');
    expect(await w.serial('plain')).toContain('GB:POWEROFF');
  });
});
