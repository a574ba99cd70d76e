import { describe, expect, it } from 'vitest';
import { findItem, trayGuest, trayIcon, trayMenu, trayTooltip, type TrayGuest } from '../../../src/main/desktop/tray-model';
import { calls, type GuestStateName } from '../../../src/shared/contract';
import { verdict, type GuestAction } from '../../../src/shared/guest-state';

const NOT_SAVABLE = { ok: false as const, reason: 'a guest holding a passed-through PCI device cannot be saved; it is shut down instead' };
const g = (name: string, state: TrayGuest['state'], savable = true): TrayGuest => ({ name, title: name.toUpperCase(), state, savable: savable ? { ok: true } : NOT_SAVABLE });
const STATES: GuestStateName[] = ['stopped', 'starting', 'running', 'paused', 'saving', 'saved', 'stopping', 'crashed'];

function enabled(menu: ReturnType<typeof trayMenu>, guest: string): string[] {
  return findItem(menu, `guest:${guest}`)!.submenu!.filter((i) => i.enabled).map((i) => i.id.split(':')[1]!);
}

describe('tray model', () => {
  it('lists every guest with its state, then Open and Quit', () => {
    const menu = trayMenu([g('win', 'running'), g('mac', 'saved')]);
    expect(menu.map((i) => i.label)).toEqual(['WIN — running', 'MAC — saved', '', 'Open Guestbay', 'Quit']);
    expect(trayMenu([]).map((i) => i.label)[0]).toBe('No guests yet');
  });

  it('labels a guest of another architecture than the host\'s as emulated, and only those', () => {
    const status = (name: string) => ({ name, state: 'running' as const, savable: { ok: true as const } }) as Parameters<typeof trayGuest>[0];
    const arm = trayGuest(status('arm'), 'ARM box', { arch: 'aarch64', hostArch: 'x86_64' });
    const rv = trayGuest(status('rv'), 'Board', { arch: 'riscv64', hostArch: 'x86_64' });
    const pc = trayGuest(status('pc'), 'PC', { arch: 'x86_64', hostArch: 'x86_64' });
    expect(arm.arch).toBe('aarch64');
    expect(pc.arch).toBeUndefined();
    expect(trayMenu([arm, rv, pc]).map((i) => i.label).slice(0, 3)).toEqual(['ARM box · ARM (aarch64), emulated — running', 'Board · RISC-V (riscv64), emulated — running', 'PC — running']);
    // On an ARM host (Asahi, a Raspberry Pi) it is the other way round.
    expect(trayMenu([trayGuest(status('arm'), 'ARM box', { arch: 'aarch64', hostArch: 'aarch64' }), trayGuest(status('pc'), 'PC', { arch: 'x86_64', hostArch: 'aarch64' })]).map((i) => i.label).slice(0, 2)).toEqual([
      'ARM box — running',
      'PC · x86_64 (PC), emulated — running',
    ]);
  });

  it('a guest with an operation in progress shows it in its line and the tooltip, the switch first', () => {
    const saving: TrayGuest = { ...g('win', 'saving'), progress: { operation: 'save', message: 'writing memory', fraction: 0.425 } };
    const target: TrayGuest = { ...g('mac', 'starting'), progress: { operation: 'restore', message: 'loading the saved state' } };
    const menu = trayMenu([saving, target, g('arch', 'running')]);
    expect(menu.map((i) => i.label).slice(0, 3)).toEqual(['WIN — save: writing memory 43%', 'MAC — restore: loading the saved state', 'ARCH — running']);
    expect(trayTooltip([saving, target, g('arch', 'running')])).toBe('Guestbay: WIN: save: writing memory 43%; MAC: restore: loading the saved state; ARCH (running)');
    expect(trayTooltip([saving])).toBe('Guestbay: WIN: save: writing memory 43%');
    expect(trayIcon([saving])).toBe('busy');
  });

  it.each([
    ['stopped', ['switch', 'start']],
    ['saved', ['switch', 'start']],
    ['crashed', ['switch', 'start']],
    ['running', ['stop', 'forceOff', 'pause', 'save', 'display']],
    ['paused', ['switch', 'stop', 'forceOff', 'resume', 'save', 'display']],
    ['starting', ['display']],
    ['saving', []],
    ['stopping', ['forceOff', 'display']],
  ] as const)('a %s guest offers %j', (state, actions) => {
    expect(enabled(trayMenu([g('x', state)]), 'x')).toEqual(actions);
  });

  it('follows the guest-state model for every state, savable or not', () => {
    const ACTION: Record<string, GuestAction> = { display: 'showDisplay' };
    for (const state of STATES) {
      for (const savable of [true, false]) {
        const guest = g('x', state, savable);
        for (const item of findItem(trayMenu([guest]), 'guest:x')!.submenu!) {
          const id = item.id.split(':')[1]!;
          const action = ACTION[id] ?? (id as GuestAction);
          expect(item.enabled, `${state}/${id}/savable=${savable}`).toBe(verdict({ name: 'x', title: 'X', state, savable: guest.savable }, action).ok);
        }
      }
    }
  });

  it('Force off is a forced stop', () => {
    expect(findItem(trayMenu([g('win', 'stopping')]), 'win:forceOff')).toMatchObject({ enabled: true, action: { kind: 'call', call: 'guests.stop', input: { name: 'win', force: true } } });
  });

  it('a guest that cannot be saved says so and offers no Save', () => {
    const menu = trayMenu([g('gpu', 'running', false)]);
    expect(findItem(menu, 'gpu:save')).toMatchObject({ enabled: false, label: 'Save (not possible for this guest)' });
  });

  it('a click carries the contract call that does it, with a valid input', () => {
    const menu = trayMenu([g('win', 'running'), g('mac', 'saved')]);
    for (const [id, call] of [['mac:switch', 'guests.switch'], ['mac:start', 'guests.start'], ['win:stop', 'guests.stop'], ['win:pause', 'guests.pause'], ['win:save', 'guests.save']] as const) {
      const action = findItem(menu, id)!.action!;
      expect(action).toEqual({ kind: 'call', call, input: { name: id.split(':')[0] } });
      if (action.kind === 'call') expect(calls[action.call].input.safeParse(action.input).success).toBe(true);
    }
    expect(findItem(menu, 'open')!.action).toEqual({ kind: 'open-app' });
    expect(findItem(menu, 'quit')!.action).toEqual({ kind: 'quit' });
    expect(findItem(menu, 'win:display')!.action).toEqual({ kind: 'show-display', name: 'win' });
  });

  it('the icon and tooltip say whether anything runs', () => {
    expect(trayIcon([g('a', 'stopped'), g('b', 'saved')])).toBe('idle');
    expect(trayIcon([g('a', 'running')])).toBe('running');
    expect(trayIcon([g('a', 'running'), g('b', 'saving')])).toBe('busy');
    expect(trayTooltip([g('a', 'running'), g('b', 'paused'), g('c', 'stopped')])).toBe('Guestbay: A (running), B (paused)');
    expect(trayTooltip([])).toBe('Guestbay: no guest running');
  });
  it('a guest with Looking Glass offers its client while it runs (the guest page\'s call); others do not', () => {
    const lg = (state: TrayGuest['state']): TrayGuest => ({ ...g('win', state), lookingGlass: true });
    const item = findItem(trayMenu([lg('running')]), 'win:looking-glass')!;
    expect(item).toEqual({ id: 'win:looking-glass', label: 'Open Looking Glass', enabled: true, action: { kind: 'call', call: 'guests.lookingGlass', input: { name: 'win' } } });
    if (item.action?.kind === 'call') expect(calls[item.action.call].input.safeParse(item.action.input).success).toBe(true);
    expect(findItem(trayMenu([lg('paused')]), 'win:looking-glass')!.enabled).toBe(true);
    for (const state of ['stopped', 'saved', 'starting', 'stopping'] as const) expect(findItem(trayMenu([lg(state)]), 'win:looking-glass')!.enabled).toBe(false);
    expect(findItem(trayMenu([g('win', 'running')]), 'win:looking-glass')).toBeUndefined();
    // From the guest's status and config, as the tray reads them.
    expect(trayGuest({ name: 'win', state: 'running' }, 'Win', { lookingGlass: true }).lookingGlass).toBe(true);
    expect(trayGuest({ name: 'win', state: 'running' }, 'Win').lookingGlass).toBeUndefined();
  });
});
