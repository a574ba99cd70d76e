import { describe, expect, it } from 'vitest';
import { classifyEnd } from '../../../src/main/vm/end-state';

const base = { intent: 'none' as const, sawShutdown: false, guestShutdown: false };

describe('how a watched run ended', () => {
  it('a guest shutdown and a stop Guestbay asked for are stops; a save is saved', () => {
    expect(classifyEnd({ ...base, sawShutdown: true, guestShutdown: true, exit: { exitCode: 0 } })).toEqual({ state: 'stopped', reason: 'the guest shut down' });
    expect(classifyEnd({ ...base, intent: 'stop', exit: { exitCode: 0 } })).toEqual({ state: 'stopped', reason: 'QEMU was told to quit' });
    expect(classifyEnd({ ...base, intent: 'save', exit: { exitCode: 0 } }).state).toBe('saved');
  });

  it('QEMU ending itself with code 0 and no SHUTDOWN event is a power-off (RISC-V virt on QEMU 7.2), not a crash', () => {
    expect(classifyEnd({ ...base, exit: { exitCode: 0, signal: null } })).toEqual({ state: 'stopped', reason: 'the guest powered off (QEMU ended on its own)' });
  });

  it('a signal, a non-zero code, or a process gone unseen is a crash', () => {
    expect(classifyEnd({ ...base, exit: { exitCode: null, signal: 'SIGKILL' } })).toEqual({ state: 'crashed', reason: 'QEMU killed by SIGKILL' });
    expect(classifyEnd({ ...base, sawShutdown: true, exit: { exitCode: 1 } })).toEqual({ state: 'crashed', reason: 'QEMU exited with code 1' });
    expect(classifyEnd({ ...base, intent: 'save', exit: { exitCode: 1 } }).state).toBe('crashed');
    expect(classifyEnd(base)).toEqual({ state: 'crashed', reason: 'QEMU ended without shutting down' });
  });
});
