// GUESTBAY_QMP_TRACE: every QMP line sent and received, timestamped, in the guest's log folder or
// on stderr; nothing at all when it is off. The real client against a scripted server.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, QMP_TRACE_FILE, qmpTraceFromEnv } from '../../../../src/main/qemu/qmp';
import { FakeQmpServer } from './fake-qmp';

let server: FakeQmpServer;
let saved: string | undefined;

beforeEach(async () => {
  server = await FakeQmpServer.create();
  await server.listen();
  saved = process.env.GUESTBAY_QMP_TRACE;
});

afterEach(async () => {
  if (saved === undefined) delete process.env.GUESTBAY_QMP_TRACE;
  else process.env.GUESTBAY_QMP_TRACE = saved;
  await server.dispose();
});

/** Connects, runs one command and sees one event, then the server hangs up. */
async function conversation(opts: Parameters<typeof QmpClient.connect>[1]): Promise<void> {
  const pending = QmpClient.connect(server.socketPath, opts);
  const conn = await server.connection();
  await conn.negotiate();
  const client = await pending;
  const answer = client.execute('query-status');
  const cmd = await conn.nextCommand();
  conn.send({ event: 'STOP', timestamp: { seconds: 1, microseconds: 2 } });
  conn.send({ return: { status: 'paused', running: false }, id: cmd.id });
  await answer;
  conn.socket.end();
  await client.closed;
}

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('QMP trace', () => {
  it('GUESTBAY_QMP_TRACE=1 appends every message, in order and timestamped, to qmp-trace.log in the log folder', async () => {
    process.env.GUESTBAY_QMP_TRACE = '1';
    await conversation({ timeoutMs: 2000, traceDir: server.dir });
    const lines = (await readFile(join(server.dir, QMP_TRACE_FILE), 'utf8')).trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(new RegExp(`^${ISO} qmp\\.sock `));
    const body = lines.map((l) => l.replace(new RegExp(`^${ISO} qmp\\.sock `), ''));
    expect(body[0]).toBe('connected');
    expect(body[1]).toMatch(/^<- \{"QMP":\{"version":/);
    expect(body[2]).toBe('-> {"execute":"qmp_capabilities","id":1}');
    expect(body[3]).toBe('<- {"return":{},"id":1}');
    expect(body[4]).toBe('-> {"execute":"query-status","id":2}');
    expect(body[5]).toMatch(/^<- \{"event":"STOP"/);
    expect(body[6]).toBe('<- {"return":{"status":"paused","running":false},"id":2}');
    expect(body[7]).toBe('closed by server');
    expect(body).toHaveLength(8);
    expect((await stat(join(server.dir, QMP_TRACE_FILE))).mode & 0o777).toBe(0o600);
  });

  it('off when unset or 0: no file, nothing on stderr', async () => {
    for (const value of [undefined, '0', '']) {
      if (value === undefined) delete process.env.GUESTBAY_QMP_TRACE;
      else process.env.GUESTBAY_QMP_TRACE = value;
      expect(qmpTraceFromEnv('/run/x/qmp.sock', { dir: server.dir })).toBeUndefined();
    }
    delete process.env.GUESTBAY_QMP_TRACE;
    await conversation({ timeoutMs: 2000, traceDir: server.dir });
    await expect(stat(join(server.dir, QMP_TRACE_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('to stderr when asked (=stderr), for a connection without a log folder, or when the file cannot be written', () => {
    const out: string[] = [];
    const now = () => new Date('2026-12-01T10:00:00.123Z');
    const stderr = (t: string) => void out.push(t);
    qmpTraceFromEnv('/run/g/qmp-ctl.sock', { env: { GUESTBAY_QMP_TRACE: 'stderr' }, dir: server.dir, now, stderr })!('send', '{"execute":"quit","id":3}');
    qmpTraceFromEnv('/run/g/qmp.sock', { env: { GUESTBAY_QMP_TRACE: '1' }, now, stderr })!('recv', '{"return":{},"id":3}');
    const broken = qmpTraceFromEnv('/run/g/qmp.sock', { env: { GUESTBAY_QMP_TRACE: '1' }, dir: join(server.dir, 'missing'), now, stderr })!;
    broken('note', 'connected');
    broken('note', 'closed by client');
    expect(out).toEqual([
      '2026-12-01T10:00:00.123Z qmp-ctl.sock -> {"execute":"quit","id":3}\n',
      '2026-12-01T10:00:00.123Z qmp.sock <- {"return":{},"id":3}\n',
      expect.stringMatching(/^guestbay: cannot write the QMP trace to .*missing\/qmp-trace\.log \(ENOENT.*tracing to stderr\n$/),
      '2026-12-01T10:00:00.123Z qmp.sock connected\n',
      '2026-12-01T10:00:00.123Z qmp.sock closed by client\n',
    ]);
  });
});
