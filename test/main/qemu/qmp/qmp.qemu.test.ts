// The QMP client against a real QEMU (whichever qemu-system-x86_64 is on PATH: Debian's 7.2
// on the host, 10.x in the trixie chroot).

import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { QmpDisconnectedError, QmpError, type QmpEvent } from '../../../../src/main/qemu/qmp';
import { exitWithin, startQemu, type QemuRun } from './qemu-process';

let runs: QemuRun[] = [];

afterEach(async () => {
  await Promise.all(runs.map((r) => r.dispose()));
  runs = [];
});

async function paused(): Promise<QemuRun> {
  const run = await startQemu(['-m', '128', '-S']);
  runs.push(run);
  return run;
}

describe('QmpClient with QEMU', () => {
  it('reads the greeting version and answers query-status', async () => {
    const run = await paused();
    const client = await run.connect();
    const { stdout } = await execa('qemu-system-x86_64', ['--version'], { timeout: 10_000 });
    const [, major, minor] = /version (\d+)\.(\d+)/.exec(stdout) ?? [];
    expect(client.qemuVersion.major).toBe(Number(major));
    expect(client.qemuVersion.minor).toBe(Number(minor));
    expect(client.state).toBe('ready');
    const status = await client.execute<{ status: string; running: boolean }>('query-status');
    expect(status).toMatchObject({ status: 'prelaunch', running: false });
  });

  it('rejects with the QMP error class', async () => {
    const client = await (await paused()).connect();
    const err = await client.execute('device_del', { id: 'no-such-device' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect((err as QmpError).errorClass).toBe('DeviceNotFound');
    expect((err as QmpError).command).toBe('device_del');
    const unknown = await client.execute('no-such-command').catch((e: unknown) => e);
    expect((unknown as QmpError).errorClass).toBe('CommandNotFound');
    // The connection is still usable after errors.
    await expect(client.execute('query-status')).resolves.toMatchObject({ running: false });
  });

  it('delivers RESUME, STOP and POWERDOWN', async () => {
    const client = await (await paused()).connect();
    const stream = client.events({ names: ['RESUME', 'STOP', 'POWERDOWN'] });

    const resume = client.waitForEvent('RESUME', { timeoutMs: 10_000 });
    await client.execute('cont');
    await resume;
    const stop = client.waitForEvent('STOP', { timeoutMs: 10_000 });
    await client.execute('stop');
    await stop;
    await client.execute('cont');
    const powerdown = client.waitForEvent('POWERDOWN', { timeoutMs: 10_000 });
    await client.execute('system_powerdown');
    const ev = await powerdown;
    expect(ev.timestamp.seconds).toBeGreaterThan(1_600_000_000);

    const seen: QmpEvent[] = [];
    for await (const e of stream) {
      seen.push(e);
      if (seen.length === 4) break;
    }
    expect(seen.map((e) => e.event)).toEqual(['RESUME', 'STOP', 'RESUME', 'POWERDOWN']);
  });

  it('resolves concurrent commands to the right callers', async () => {
    const client = await (await paused()).connect();
    const [status, version, name, kvm] = await Promise.all([
      client.execute<{ status: string }>('query-status'),
      client.execute<{ qemu: { major: number } }>('query-version'),
      client.execute<Record<string, unknown>>('query-name'),
      client.execute<{ enabled: boolean }>('query-kvm'),
    ]);
    expect(status.status).toBe('prelaunch');
    expect(version.qemu.major).toBe(client.qemuVersion.major);
    expect(name).toEqual({});
    expect(kvm.enabled).toBe(false);
  });

  it('fails pending calls and resolves closed when QEMU is killed', async () => {
    const run = await paused();
    const client = await run.connect();
    // A stopped process reads nothing, so the call stays pending until the kill.
    run.proc.kill('SIGSTOP');
    const pending = client.execute('query-status').catch((e: unknown) => e);
    const waiter = client.waitForEvent('SHUTDOWN', { timeoutMs: 30_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    run.proc.kill('SIGKILL');
    expect(await pending).toBeInstanceOf(QmpDisconnectedError);
    expect(await waiter).toBeInstanceOf(QmpDisconnectedError);
    expect((await client.closed).by).toBe('server');
    expect(client.state).toBe('closed');
    expect((await exitWithin(run, 10_000)).signal).toBe('SIGKILL');
  });

  it('sees SHUTDOWN and the socket closing on quit', async () => {
    const run = await paused();
    const client = await run.connect();
    const shutdown = client.waitForEvent('SHUTDOWN', { timeoutMs: 10_000 });
    await client.execute('quit');
    expect((await shutdown).data).toMatchObject({ guest: false });
    expect(await client.closed).toEqual({ by: 'server' });
    expect((await exitWithin(run, 10_000)).exitCode).toBe(0);
  });
});
