// The client against a scripted server: framing, ids, errors, events, disconnects and
// timeouts, with no QEMU (the real one is exercised in qmp.qemu.test.ts).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  QmpClient,
  QmpConnectError,
  QmpDisconnectedError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
  type QmpEvent,
} from '../../../../src/main/qemu/qmp';
import { FakeQmpServer, GREETING, type FakeConnection } from './fake-qmp';

let server: FakeQmpServer;
let clients: QmpClient[] = [];

beforeEach(async () => {
  server = await FakeQmpServer.create();
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await server.dispose();
});

async function connected(): Promise<{ client: QmpClient; conn: FakeConnection }> {
  await server.listen();
  const pending = QmpClient.connect(server.socketPath, { timeoutMs: 2000 });
  const conn = await server.connection();
  await conn.negotiate();
  const client = await pending;
  clients.push(client);
  return { client, conn };
}

const event = (name: string, data?: object): object => ({
  event: name,
  ...(data ? { data } : {}),
  timestamp: { seconds: 1700000000, microseconds: 5 },
});

describe('connect', () => {
  it('reads the greeting and negotiates before anything else', async () => {
    const { client, conn } = await connected();
    expect(client.state).toBe('ready');
    expect(client.qemuVersion).toEqual({ major: 9, minor: 2, micro: 3, package: 'fake 9.2.3' });
    expect(client.capabilities).toEqual(['oob']);
    expect(conn.received[0]).toMatchObject({ execute: 'qmp_capabilities' });
    expect(conn.received[0]).not.toHaveProperty('arguments');
  });

  it('copes with a greeting cut into pieces and followed by more in the same chunk', async () => {
    await server.listen(false);
    const pending = QmpClient.connect(server.socketPath, { timeoutMs: 2000 });
    const conn = await server.connection();
    const text = `${JSON.stringify(GREETING)}\r\n`;
    for (let i = 0; i < text.length; i += 7) {
      conn.sendRaw(text.slice(i, i + 7));
      await new Promise((r) => setTimeout(r, 1));
    }
    const cmd = await conn.nextCommand();
    conn.sendRaw(`${JSON.stringify({ return: {}, id: cmd.id })}\r\n`);
    const client = await pending;
    clients.push(client);
    expect(client.qemuVersion.major).toBe(9);
  });

  it('does not send commands before qmp_capabilities has been answered', async () => {
    await server.listen();
    const pending = QmpClient.connect(server.socketPath, { timeoutMs: 2000 });
    const conn = await server.connection();
    await new Promise((r) => setTimeout(r, 30));
    expect(conn.received.map((c) => c.execute)).toEqual(['qmp_capabilities']);
    await conn.negotiate();
    clients.push(await pending);
  });

  it('retries while the socket does not exist yet', async () => {
    const pending = QmpClient.connect(server.socketPath, { timeoutMs: 3000, retryForMs: 3000 });
    await new Promise((r) => setTimeout(r, 150));
    await server.listen();
    const conn = await server.connection();
    await conn.negotiate();
    clients.push(await pending);
  });

  it('fails at once without retry, naming the errno', async () => {
    const err = await QmpClient.connect(server.socketPath, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpConnectError);
    expect((err as QmpConnectError).code).toBe('ENOENT');
  });

  it('gives up retrying when the retry window ends', async () => {
    const t0 = Date.now();
    const err = await QmpClient.connect(server.socketPath, { timeoutMs: 5000, retryForMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(QmpConnectError);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('times out when no greeting comes (a second client waits silently on a QEMU socket)', async () => {
    await server.listen(false);
    const err = await QmpClient.connect(server.socketPath, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as Error).message).toMatch(/greeting/);
  });

  it('refuses a first message that is not a greeting', async () => {
    await server.listen(false);
    const pending = QmpClient.connect(server.socketPath, { timeoutMs: 2000 }).catch((e: unknown) => e);
    (await server.connection()).send({ return: {} });
    const err = await pending;
    expect(err).toBeInstanceOf(QmpProtocolError);
    expect((err as Error).message).toMatch(/greeting/);
  });

  it('fails negotiation with the server error', async () => {
    await server.listen();
    const pending = QmpClient.connect(server.socketPath, { timeoutMs: 2000 }).catch((e: unknown) => e);
    const conn = await server.connection();
    const cmd = await conn.nextCommand();
    conn.send({ error: { class: 'CommandNotFound', desc: 'nope' }, id: cmd.id });
    expect(await pending).toBeInstanceOf(QmpError);
  });

  it('can be aborted while retrying', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('qemu exited')), 50);
    const err = await QmpClient.connect(server.socketPath, {
      timeoutMs: 5000,
      retryForMs: 5000,
      signal: ac.signal,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('qemu exited');
  });

  it('refuses a socket path the kernel cannot hold', async () => {
    const err = await QmpClient.connect(`/tmp/${'x'.repeat(120)}`, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpConnectError);
  });
});

describe('execute', () => {
  it('sends arguments and resolves with the return value', async () => {
    const { client, conn } = await connected();
    const result = client.execute<{ status: string }>('query-status');
    const cmd = await conn.nextCommand();
    expect(cmd).toEqual({ execute: 'query-status', id: cmd.id });
    conn.send({ return: { status: 'running', running: true }, id: cmd.id });
    expect(await result).toEqual({ status: 'running', running: true });

    const withArgs = client.execute('device_del', { id: 'net0' });
    const cmd2 = await conn.nextCommand();
    expect(cmd2.arguments).toEqual({ id: 'net0' });
    expect(cmd2.id).not.toEqual(cmd.id);
    conn.send({ return: {}, id: cmd2.id });
    await withArgs;
  });

  it('routes answers by id, whatever their order', async () => {
    const { client, conn } = await connected();
    const a = client.execute('query-a');
    const b = client.execute('query-b');
    const c = client.execute('query-c');
    const [ca, cb, cc] = [await conn.nextCommand(), await conn.nextCommand(), await conn.nextCommand()];
    // All three answers in one chunk, in reverse order.
    conn.sendRaw(
      [
        { return: 'C', id: cc.id },
        { return: 'B', id: cb.id },
        { return: 'A', id: ca.id },
      ]
        .map((m) => `${JSON.stringify(m)}\r\n`)
        .join(''),
    );
    expect(await Promise.all([a, b, c])).toEqual(['A', 'B', 'C']);
  });

  it('rejects with the QMP error class, description and command', async () => {
    const { client, conn } = await connected();
    const p = client.execute('device_del', { id: 'nope' }).catch((e: unknown) => e);
    const cmd = await conn.nextCommand();
    conn.send({ error: { class: 'DeviceNotFound', desc: "Device 'nope' not found" }, id: cmd.id });
    const err = (await p) as QmpError;
    expect(err).toBeInstanceOf(QmpError);
    expect(err.errorClass).toBe('DeviceNotFound');
    expect(err.desc).toBe("Device 'nope' not found");
    expect(err.command).toBe('device_del');
    expect(err.message).toBe("device_del: Device 'nope' not found (DeviceNotFound)");
  });

  it('times out, and drops the late answer without disturbing the next call', async () => {
    const { client, conn } = await connected();
    const slow = client.execute('slow', undefined, { timeoutMs: 50 }).catch((e: unknown) => e);
    const slowCmd = await conn.nextCommand();
    const err = await slow;
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as QmpTimeoutError).operation).toBe('slow');
    conn.send({ return: 'late', id: slowCmd.id });
    const next = client.execute('next');
    const nextCmd = await conn.nextCommand();
    conn.send({ return: 'fresh', id: nextCmd.id });
    expect(await next).toBe('fresh');
    expect(client.state).toBe('ready');
  });

  it('can be aborted', async () => {
    const { client, conn } = await connected();
    const ac = new AbortController();
    const p = client.execute('x', undefined, { signal: ac.signal }).catch((e: unknown) => e);
    await conn.nextCommand();
    ac.abort(new Error('stop waiting'));
    expect(((await p) as Error).message).toBe('stop waiting');
  });

  it('treats an error without id as a broken stream', async () => {
    const { client, conn } = await connected();
    const p = client.execute('x').catch((e: unknown) => e);
    await conn.nextCommand();
    conn.send({ error: { class: 'GenericError', desc: 'JSON parse error' } });
    expect(await p).toBeInstanceOf(QmpDisconnectedError);
    const info = await client.closed;
    expect(info.by).toBe('error');
    expect(info.error).toBeInstanceOf(QmpProtocolError);
  });

  it('closes on garbage from the server', async () => {
    const { client, conn } = await connected();
    conn.sendRaw('this is not json\r\n');
    const info = await client.closed;
    expect(info.by).toBe('error');
    expect(info.error).toBeInstanceOf(QmpProtocolError);
  });
});

describe('disconnect', () => {
  it('fails every pending call, ends event streams and waiters, and resolves closed', async () => {
    const { client, conn } = await connected();
    const calls = [client.execute('a'), client.execute('b')].map((p) => p.catch((e: unknown) => e));
    const stream = client.events();
    const waiter = client.waitForEvent('SHUTDOWN', { timeoutMs: 5000 }).catch((e: unknown) => e);
    await conn.nextCommand();
    await conn.nextCommand();
    conn.send(event('STOP'));
    await new Promise((r) => setTimeout(r, 20));
    conn.socket.destroy();

    const errors = await Promise.all(calls);
    expect(errors.map((e) => (e as QmpDisconnectedError).operation)).toEqual(['a', 'b']);
    for (const e of errors) expect(e).toBeInstanceOf(QmpDisconnectedError);
    expect(await waiter).toBeInstanceOf(QmpDisconnectedError);
    expect(await client.closed).toEqual({ by: 'server' });
    expect(client.state).toBe('closed');
    // Queued events are still delivered, then the stream ends.
    const seen: string[] = [];
    for await (const ev of stream) seen.push(ev.event);
    expect(seen).toEqual(['STOP']);
    await expect(client.execute('after')).rejects.toBeInstanceOf(QmpDisconnectedError);
    await expect(client.waitForEvent('X', { timeoutMs: 10 })).rejects.toBeInstanceOf(QmpDisconnectedError);
  });

  it('close() fails pending calls and reports the client as the closer', async () => {
    const { client, conn } = await connected();
    const p = client.execute('a').catch((e: unknown) => e);
    await conn.nextCommand();
    await client.close();
    expect(await p).toBeInstanceOf(QmpDisconnectedError);
    expect(await client.closed).toEqual({ by: 'client' });
    await client.close(); // twice is fine
  });
});

describe('events', () => {
  it('gives each subscriber its own queue, from the moment it subscribes', async () => {
    const { client, conn } = await connected();
    const early = client.events();
    const stops = client.events({ names: ['STOP'] });
    const heard: string[] = [];
    const off = client.onEvent((ev) => heard.push(ev.event));

    conn.sendRaw(`${JSON.stringify(event('STOP'))}\r\n${JSON.stringify(event('RESUME'))}\r\n`);
    expect((await early.next()).value?.event).toBe('STOP');
    const late = client.events();
    conn.send(event('POWERDOWN'));
    conn.send(event('STOP', { reason: 'x' }));

    expect((await early.next()).value?.event).toBe('RESUME');
    expect((await early.next()).value?.event).toBe('POWERDOWN');
    expect((await late.next()).value?.event).toBe('POWERDOWN');
    const s1 = (await stops.next()).value as QmpEvent;
    const s2 = (await stops.next()).value as QmpEvent;
    expect([s1.data, s2.data]).toEqual([{}, { reason: 'x' }]);
    expect(s1.timestamp).toEqual({ seconds: 1700000000, microseconds: 5 });
    expect(heard).toEqual(['STOP', 'RESUME', 'POWERDOWN', 'STOP']);
    off();
    early.close();
    expect(await early.next()).toEqual({ value: undefined, done: true });
  });

  it('a listener that throws does not stop the others', async () => {
    const { client, conn } = await connected();
    client.onEvent(() => {
      throw new Error('boom');
    });
    const got = client.waitForEvent('RESUME', { timeoutMs: 1000 });
    conn.send(event('RESUME'));
    expect((await got).event).toBe('RESUME');
    expect(client.state).toBe('ready');
  });

  it('waitForEvent filters and times out', async () => {
    const { client, conn } = await connected();
    const job = client.waitForEvent('JOB_STATUS_CHANGE', {
      timeoutMs: 1000,
      filter: (ev) => ev.data.status === 'concluded',
    });
    conn.send(event('JOB_STATUS_CHANGE', { id: 'j', status: 'running' }));
    conn.send(event('JOB_STATUS_CHANGE', { id: 'j', status: 'concluded' }));
    expect((await job).data).toEqual({ id: 'j', status: 'concluded' });
    await expect(client.waitForEvent('NEVER', { timeoutMs: 30 })).rejects.toBeInstanceOf(QmpTimeoutError);
  });

  it('sees an event sent before the answer of the command that caused it', async () => {
    const { client, conn } = await connected();
    const powerdown = client.waitForEvent('POWERDOWN', { timeoutMs: 1000 });
    const done = client.execute('system_powerdown');
    const cmd = await conn.nextCommand();
    conn.sendRaw(`${JSON.stringify(event('POWERDOWN'))}\r\n${JSON.stringify({ return: {}, id: cmd.id })}\r\n`);
    await done;
    expect((await powerdown).event).toBe('POWERDOWN');
  });
});
