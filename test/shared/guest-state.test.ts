import { describe, expect, it } from 'vitest';
import type { GuestStateName } from '../../src/shared/contract';
import { GUEST_ACTIONS, verdict, verdicts, type GuestAction } from '../../src/shared/guest-state';

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

  it('a damaged guest can only be deleted or have its folder opened', () => {
    for (const state of STATES) expect(allowedIn(state, { damaged: true })).toEqual(['delete', 'openFolder']);
    expect(verdict({ name: 'x', state: 'stopped', damaged: true }, 'start')).toEqual({ ok: false, reason: 'The configuration of "x" is damaged: fix its vm.json, or remove the guest.' });
  });

  it('an operation under way in this client holds every other action', () => {
    expect(allowedIn('running', { busy: 'save' })).toEqual(['openFolder']);
    expect(verdict({ name: 'x', state: 'running', busy: 'save' }, 'pause')).toEqual({ ok: false, reason: '"x" is busy: save is in progress. Wait for it to finish.' });
  });
});
