// One status per guest: every path of the supervisor builds it with guestStatus(), so each
// kind of moment gives the same shape (a paused guest keeps savable, a crash its log tail).
import { describe, expect, it } from 'vitest';
import { guestStatus } from '../../../../src/main/vm/supervisor/status';
import type { NotAnsweringError, Session } from '../../../../src/main/vm/session';
import type { LaunchPlan } from '../../../../src/main/qemu/plan';
import { guestStatus as contractStatus } from '../../../../src/shared/contract';

const plan = { accel: 'tcg', savable: { ok: false, reason: 'a passed-through PCI device' } } as LaunchPlan;
const session = (state: Session['state'], problems: unknown[] = []) => ({ state, pid: 4242, plan, problems: () => problems }) as unknown as Session;
const problem = { kind: 'sidecar-ended' as const, message: 'virtiofsd has ended', fix: 'restart the guest' };

describe('guestStatus', () => {
  it('a live guest: its state, pid, accelerator and savability, in every run state', () => {
    for (const state of ['starting', 'running', 'paused', 'saving', 'stopping'] as const) {
      expect(guestStatus('g', { kind: 'live', session: session(state) })).toEqual({ name: 'g', state, pid: 4242, accel: 'tcg', savable: plan.savable });
    }
    // What is wrong while it runs comes with it.
    expect(guestStatus('g', { kind: 'live', session: session('running', [problem]) })).toMatchObject({ state: 'running', problems: [problem] });
  });

  it('a QEMU that does not answer: shown running with the problem, its run state not guessed', () => {
    const hung = { kind: 'not-answering' as const, message: 'QEMU (pid 4242) is stopped by a signal', fix: 'kill -CONT 4242' };
    const error = { record: { plan }, qemu: { pid: 4242 }, problem: hung } as unknown as NotAnsweringError;
    const st = guestStatus('g', { kind: 'not-answering', error });
    expect(st).toEqual({ name: 'g', state: 'running', pid: 4242, accel: 'tcg', problems: [hung] });
    expect(contractStatus.parse(st)).toEqual(st);
  });

  it('starting, not started, ended, and at rest', () => {
    expect(guestStatus('g', { kind: 'starting', plan })).toEqual({ name: 'g', state: 'starting', accel: 'tcg', savable: plan.savable });
    expect(guestStatus('g', { kind: 'not-started', reason: 'QEMU ended before it was ready' })).toEqual({ name: 'g', state: 'stopped', detail: 'QEMU ended before it was ready' });
    expect(guestStatus('g', { kind: 'ended', end: { state: 'crashed', reason: 'QEMU killed by SIGKILL', logTail: 'last words' } })).toEqual({
      name: 'g',
      state: 'crashed',
      detail: 'QEMU killed by SIGKILL',
      logTail: 'last words',
    });
    const saved = { savedAt: '2026-12-01T10:00:00.000Z', qemuVersion: '10.0.0', argsDigest: 'x', wasPaused: false, bytes: 300 * 2 ** 20, disks: [] };
    expect(guestStatus('g', { kind: 'at-rest', saved, lastExit: null })).toEqual({ name: 'g', state: 'saved', detail: 'saved 2026-12-01T10:00:00.000Z (300 MiB)' });
    const crash = { state: 'crashed' as const, reason: 'QEMU exited with code 1', logTail: 'oops', at: '' };
    expect(guestStatus('g', { kind: 'at-rest', saved: null, lastExit: crash })).toEqual({ name: 'g', state: 'crashed', detail: 'QEMU exited with code 1', logTail: 'oops' });
    expect(guestStatus('g', { kind: 'at-rest', saved: null, lastExit: { ...crash, state: 'stopped', reason: 'the guest shut down' } })).toEqual({ name: 'g', state: 'stopped', detail: 'the guest shut down' });
    expect(guestStatus('g', { kind: 'at-rest', saved: null, lastExit: null })).toEqual({ name: 'g', state: 'stopped', detail: undefined });
  });

  it('is what the contract carries, in calls and in the guest.state event', () => {
    expect(contractStatus.parse(guestStatus('g', { kind: 'live', session: session('paused') }))).toEqual({ name: 'g', state: 'paused', pid: 4242, accel: 'tcg', savable: plan.savable });
  });
});
