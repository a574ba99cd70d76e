// The real runner against tiny shell commands: timeouts, early stop, spawn failures.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { execaRunner } from '../../../src/main/host/run';

describe('execaRunner', () => {
  it('kills a process that outlives its timeout', async () => {
    const t = performance.now();
    const r = await execaRunner('sleep', ['5'], { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('stops a daemon as soon as it says it is ready', async () => {
    const t = performance.now();
    const r = await execaRunner('sh', ['-c', 'echo ready >&2; sleep 5; echo never'], { timeoutMs: 4000, until: /ready/ });
    expect(r).toMatchObject({ matched: true, timedOut: false, spawnError: null });
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('feeds stdin and keeps both streams', async () => {
    const r = await execaRunner('sh', ['-c', 'cat; echo err >&2; exit 3'], { timeoutMs: 2000, input: 'hello\n' });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'hello\n', stderr: 'err\n', spawnError: null });
  });

  it('reports a binary that cannot start instead of throwing', async () => {
    const r = await execaRunner('/nonexistent/guestbay-nope', [], { timeoutMs: 1000 });
    expect(r.exitCode).toBeNull();
    expect(r.spawnError).toMatch(/ENOENT|nonexistent/);
  });
});

describe('execaRunner process groups', () => {
  it('a timeout also ends what the command forked', async () => {
    const t = performance.now();
    const r = await execaRunner('sh', ['-c', 'sleep 7 & echo $!; wait'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(performance.now() - t).toBeLessThan(2000);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // Gone, or a zombie waiting for a slow init to reap it (PID 1 here reaps late).
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    expect(stat === '' || /^\d+ \([^)]*\) Z/.test(stat)).toBe(true);
  });
});
