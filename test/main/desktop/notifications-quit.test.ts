import { describe, expect, it } from 'vitest';
import { switchNotification } from '../../../src/main/desktop/notifications';
import { quitPlan } from '../../../src/main/desktop/quit';

describe('switch notification', () => {
  it('says what happened, in the order it happened, with the time', () => {
    const n = switchNotification(
      { evict: [{ guest: 'win11', action: 'save', because: 'USB' }], then: 'restore', summary: '', overlap: false },
      { win11: 'Windows 11', mac: 'macOS Sonoma' },
      'mac',
      3210,
    );
    expect(n).toEqual({ title: 'Switched to macOS Sonoma', body: 'Saved Windows 11, restored macOS Sonoma in 3.2 s' });
    expect(switchNotification({ evict: [], then: 'start', summary: '', overlap: false }, {}, 'deb', 900).body).toBe('Started deb in 0.9 s');
    expect(
      switchNotification({ evict: [{ guest: 'a', action: 'shutdown', because: '' }, { guest: 'b', action: 'save', because: '' }], then: 'start', summary: '', overlap: false }, {}, 'c', 12_000).body,
    ).toBe('Shut down a, Saved b, started c in 12.0 s');
  });
});

describe('quit plan', () => {
  const guests = [
    { name: 'win', state: 'running' as const, savable: { ok: true as const } },
    { name: 'gpu', state: 'paused' as const, savable: { ok: false as const, reason: 'holds a passed-through PCI device' } },
    { name: 'off', state: 'stopped' as const },
  ];
  it('leaves running guests alone by default', () => {
    expect(quitPlan('leave', guests)).toEqual([{ name: 'win', action: 'leave' }, { name: 'gpu', action: 'leave' }]);
  });
  it('saves what can be saved and shuts down the rest, saying why', () => {
    expect(quitPlan('save', guests)).toEqual([{ name: 'win', action: 'save' }, { name: 'gpu', action: 'shutdown', note: 'holds a passed-through PCI device' }]);
  });
  it('shuts everything down when asked, and ignores stopped guests', () => {
    expect(quitPlan('shutdown', guests).map((s) => s.action)).toEqual(['shutdown', 'shutdown']);
  });
});
