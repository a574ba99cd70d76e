import { describe, expect, it } from 'vitest';
import type { GuestStateName } from '../../src/shared/contract';
import { GUEST_ACTIONS, stateInput, verdict, verdicts, type GuestAction } from '../../src/shared/guest-state';

const STATES: GuestStateName[] = ['stopped', 'starting', 'running', 'paused', 'saving', 'saved', 'stopping', 'crashed'];

// The table every client follows, pinned: a change here is a change of behaviour in the tray,
// the window, the CLI and the supervisor at once.
const TABLE: Record<GuestStateName, GuestAction[]> = {
  stopped: ['start', 'switch', 'delete', 'rename', 'editSettings', 'openFolder'],
  starting: ['openFolder', 'showDisplay'],
  running: ['stop', 'forceOff', 'pause', 'save', 'reset', 'editLive', 'editSettings', 'openFolder', 'showDisplay'],
  paused: ['stop', 'forceOff', 'resume', 'save', 'switch', 'reset', 'editLive', 'editSettings', 'openFolder', 'showDisplay'],
  saving: ['openFolder'],
  saved: ['start', 'restore', 'discardSaved', 'switch', 'openFolder'],
  stopping: ['forceOff', 'openFolder', 'showDisplay'],
  crashed: ['start', 'switch', 'delete', 'rename', 'editSettings', 'openFolder'],
};

const allowedIn = (state: GuestStateName, extra = {}) =>
  GUEST_ACTIONS.filter((a) => verdict({ name: 'g', state, ...extra }, a).ok);

describe('the guest-state model', () => {
  it.each(STATES)('a %s guest allows exactly what the table says', (state) => {
    expect(allowedIn(state)).toEqual(TABLE[state]);
  });

  it('every refusal has a reason: a capitalised or quoted start, a full stop, the guest named', () => {
    for (const state of STATES) {
      for (const [action, v] of Object.entries(verdicts({ name: 'deb', title: 'Debian', state }))) {
        if (v.ok) continue;
        expect(v.reason, `${state}/${action}`).toMatch(/^[A-Z"]/);
        expect(v.reason, `${state}/${action}`).toMatch(/[.]$/);
        expect(v.reason, `${state}/${action}`).toContain('Debian');
      }
    }
    expect(verdict({ name: 'deb', state: 'running' }, 'start')).toEqual({ ok: false, reason: '"deb" is already running.' });
  });

  it('a guest QEMU cannot save is refused Save with the reason, paused or running', () => {
    const savable = { ok: false as const, reason: "the guest's CPU has an invariant TSC (macOS needs it), which QEMU cannot save; it is shut down instead" };
    for (const state of ['running', 'paused'] as const) {
      expect(verdict({ name: 'mac', title: 'macOS Sonoma', state, savable }, 'save')).toEqual({
        ok: false,
        reason: "macOS Sonoma cannot be saved: the guest's CPU has an invariant TSC (macOS needs it), which QEMU cannot save; it is shut down instead.",
      });
    }
    // Everything else a paused guest allows stays allowed.
    expect(allowedIn('paused', { savable })).toEqual(TABLE.paused.filter((a) => a !== 'save'));
  });

  it('a degraded guest cannot be saved, and says why', () => {
    const v = verdict({ name: 'deb', state: 'running', degraded: 'its shared-folder daemon (virtiofsd) has stopped' }, 'save');
    expect(v).toEqual({ ok: false, reason: '"deb" cannot be saved while its shared-folder daemon (virtiofsd) has stopped: shut it down and start it again.' });
    expect(verdict({ name: 'deb', state: 'running', degraded: 'x' }, 'stop').ok).toBe(true);
  });

  it('a damaged guest can only be deleted or have its folder opened; one still running can be ended', () => {
    for (const state of ['stopped', 'saved', 'crashed'] as const) expect(allowedIn(state, { damaged: true })).toEqual(['delete', 'openFolder']);
    for (const state of ['running', 'paused'] as const) expect(allowedIn(state, { damaged: true })).toEqual(['stop', 'forceOff', 'openFolder']);
    for (const state of ['starting', 'saving', 'stopping'] as const) expect(allowedIn(state, { damaged: true })).toEqual(['openFolder']);
    expect(verdict({ name: 'x', state: 'stopped', damaged: true }, 'start')).toEqual({ ok: false, reason: 'The configuration of "x" is damaged: fix its vm.json, or remove the guest.' });
    expect(verdict({ name: 'x', state: 'running', damaged: true }, 'delete')).toEqual({ ok: false, reason: 'The configuration of "x" is damaged: fix its vm.json, or remove the guest once it is shut down.' });
  });

  it('a QEMU that does not answer can only be shut down or forced off, and the refusal says what to do', () => {
    const status = { name: 'x', state: 'running' as const, problems: [{ kind: 'not-answering' as const, message: 'QEMU (pid 7) is stopped by a signal and cannot answer', fix: '`kill -CONT 7` lets it go on' }] };
    expect(GUEST_ACTIONS.filter((a) => verdict(stateInput(status), a).ok)).toEqual(['stop', 'forceOff', 'openFolder']);
    expect(verdict(stateInput(status), 'save')).toEqual({ ok: false, reason: 'QEMU (pid 7) is stopped by a signal and cannot answer. `kill -CONT 7` lets it go on.' });
    // A helper that ended: it runs, degraded, and cannot be saved.
    const lost = stateInput({ name: 'x', state: 'running', problems: [{ kind: 'sidecar-ended', message: 'virtiofsd has ended', fix: 'shut the guest down and start it again.' }] });
    expect(verdict(lost, 'save')).toEqual({ ok: false, reason: '"x" cannot be saved while virtiofsd has ended: shut it down and start it again.' });
    expect(verdict(lost, 'stop').ok).toBe(true);
  });

  it('an operation under way in this client holds every other action', () => {
    expect(allowedIn('running', { busy: 'save' })).toEqual(['openFolder']);
    expect(verdict({ name: 'x', state: 'running', busy: 'save' }, 'pause')).toEqual({ ok: false, reason: '"x" is busy: save is in progress. Wait for it to finish.' });
  });
});
