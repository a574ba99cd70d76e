// The tray with fake Tray/Menu/Notification: what it shows, and that a click is the right call.
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage, Reply } from '../../../src/shared/contract';
import { createTray, type TrayDeps } from '../../../src/main/electron/tray';
import type { GuestStatus, SupervisorEvent } from '../../../src/main/vm/supervisor';

function setup(statuses: GuestStatus[], reply: Reply = { ok: true, output: {} }, configs: Record<string, object> = {}) {
  const menus: MenuItemConstructorOptions[][] = [];
  const tray = { setImage: vi.fn(), setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy: vi.fn() };
  const notifications: { title: string; body: string }[] = [];
  const electron = {
    Tray: vi.fn(function (this: unknown) {
      return tray;
    }),
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => (menus.push(t), t) },
    Notification: vi.fn(function (this: unknown, o: { title: string; body: string }) {
      notifications.push(o);
      return { show: vi.fn() };
    }),
  };
  let emit: (e: SupervisorEvent) => void = () => undefined;
  const supervisor = {
    store: { list: async () => statuses.map((s) => ({ name: s.name, config: { title: s.name.toUpperCase(), ...configs[s.name] } })) },
    attachAll: async () => statuses,
    onEvent: (fn: (e: SupervisorEvent) => void) => ((emit = fn), () => undefined),
  };
  let apiEvent: (m: EventMessage) => void = () => undefined;
  const api = { dispatch: vi.fn(async (_c: string, _i: unknown) => reply), onEvent: (fn: (m: EventMessage) => void) => ((apiEvent = fn), () => undefined) };
  const deps = { openApp: vi.fn(), showGuest: vi.fn(), quit: vi.fn(), onError: vi.fn() };
  const t = createTray({ electron: electron as never, api, supervisor: supervisor as unknown as TrayDeps['supervisor'], assetsDir: '/a', ...deps });
  const last = () => menus.at(-1)!;
  const find = (id: string, items = last()): MenuItemConstructorOptions | undefined => {
    for (const i of items) {
      if (i.id === id) return i;
      const sub = Array.isArray(i.submenu) ? find(id, i.submenu as MenuItemConstructorOptions[]) : undefined;
      if (sub) return sub;
    }
    return undefined;
  };
  const click = async (id: string) => {
    const item = find(id);
    if (!item?.click) throw new Error(`no clickable ${id}`);
    (item.click as () => void)();
    await vi.waitFor(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { t, tray, electron, api, deps, notifications, find, click, emit: (e: SupervisorEvent) => emit(e), apiEvent: (m: EventMessage) => apiEvent(m), statuses };
}

afterEach(() => vi.useRealTimers());

describe('tray', () => {
  it('shows the guests, the icon and the tooltip from their states', async () => {
    const s = setup([
      { name: 'win11', state: 'running' },
      { name: 'arch', state: 'stopped' },
    ]);
    await s.t.refresh();
    expect(s.tray.setImage).toHaveBeenLastCalledWith('/a/tray/running.png');
    expect(s.tray.setToolTip).toHaveBeenLastCalledWith('Guestbay: WIN11 (running)');
    expect(s.find('guest:win11')?.label).toBe('WIN11 — running');
    expect(s.find('win11:stop')?.enabled).toBe(true);
    expect(s.find('arch:stop')?.enabled).toBe(false);
  });

  it('a switch in progress: the guest being saved and the one restoring show how far they are, until each comes to rest', async () => {
    const s = setup([
      { name: 'win', state: 'saving' },
      { name: 'mac', state: 'saved' },
    ]);
    await s.t.refresh();
    s.emit({ type: 'progress', name: 'mac', operation: 'switch', message: 'saving win: it holds the USB device 1d6b:0104' });
    s.emit({ type: 'progress', name: 'win', operation: 'save', message: 'writing memory', fraction: 0.42 });
    await vi.waitFor(() => expect(s.find('guest:win')?.label).toBe('WIN — save: writing memory 42%'), { timeout: 2000 });
    expect(s.find('guest:mac')?.label).toBe('MAC — switch: saving win: it holds the USB device 1d6b:0104');
    expect(s.tray.setToolTip).toHaveBeenLastCalledWith('Guestbay: WIN: save: writing memory 42%; MAC: switch: saving win: it holds the USB device 1d6b:0104');
    // win saved: its line says so again; mac restoring, then running.
    s.statuses[0]!.state = 'saved';
    s.emit({ type: 'state', status: { name: 'win', state: 'saved' } });
    s.emit({ type: 'progress', name: 'mac', operation: 'restore', message: 'writing memory', fraction: 0.5 });
    await vi.waitFor(() => expect(s.find('guest:win')?.label).toBe('WIN — saved'), { timeout: 2000 });
    await vi.waitFor(() => expect(s.find('guest:mac')?.label).toBe('MAC — restore: writing memory 50%'), { timeout: 2000 });
    s.statuses[1]!.state = 'running';
    s.emit({ type: 'state', status: { name: 'mac', state: 'running' } });
    await vi.waitFor(() => expect(s.find('guest:mac')?.label).toBe('MAC — running'), { timeout: 2000 });
    expect(s.tray.setToolTip).toHaveBeenLastCalledWith('Guestbay: MAC (running)');
  });

  it('a click on a guest action is one dispatch of that call', async () => {
    const s = setup([{ name: 'arch', state: 'stopped' }]);
    await s.t.refresh();
    await s.click('arch:start');
    expect(s.api.dispatch).toHaveBeenCalledTimes(1);
    expect(s.api.dispatch).toHaveBeenCalledWith('guests.start', { name: 'arch' });
  });

  it('Switch to notifies with the text the API made', async () => {
    const notification = { title: 'Switched to MACOS', body: 'Saved WIN11, restored MACOS in 3.2 s' };
    const s = setup([{ name: 'macos', state: 'saved' }], { ok: true, output: { summary: 's', status: {}, elapsedMs: 3200, notification } });
    await s.t.refresh();
    await s.click('macos:switch');
    expect(s.api.dispatch).toHaveBeenCalledWith('guests.switch', { name: 'macos' });
    expect(s.notifications).toEqual([notification]);
  });

  it('a running guest with Looking Glass (from its config) opens the client through the API; a missing client is reported', async () => {
    const missing = { ok: false as const, error: { name: 'LookingGlassError', message: 'Looking Glass\'s client (looking-glass-client) is not installed: install the looking-glass package' } };
    const s = setup([{ name: 'win', state: 'running' }, { name: 'deb', state: 'running' }], missing, { win: { lookingGlass: { memory: 'shm', width: 1920, height: 1080 } } });
    await s.t.refresh();
    expect(s.find('deb:looking-glass')).toBeUndefined();
    expect(s.find('win:looking-glass')).toMatchObject({ label: 'Open Looking Glass', enabled: true });
    await s.click('win:looking-glass');
    expect(s.api.dispatch).toHaveBeenCalledWith('guests.lookingGlass', { name: 'win' });
    expect(s.deps.onError).toHaveBeenCalledWith(missing.error.message);
  });

  it('a failed call is reported, not thrown', async () => {
    const s = setup([{ name: 'arch', state: 'stopped' }], { ok: false, error: { name: 'PlanError', message: 'no KVM' } });
    await s.t.refresh();
    await s.click('arch:start');
    expect(s.deps.onError).toHaveBeenCalledWith('no KVM');
    expect(s.notifications).toEqual([]);
  });

  it('show display, open and quit go to the app, not the API', async () => {
    const s = setup([{ name: 'win11', state: 'running' }]);
    await s.t.refresh();
    await s.click('win11:display');
    expect(s.deps.showGuest).toHaveBeenCalledWith('win11');
    await s.click('open');
    expect(s.deps.openApp).toHaveBeenCalled();
    await s.click('quit');
    expect(s.deps.quit).toHaveBeenCalled();
    expect(s.api.dispatch).not.toHaveBeenCalled();
  });

  it('follows state events', async () => {
    const s = setup([{ name: 'win11', state: 'stopped' }]);
    await s.t.refresh();
    expect(s.tray.setImage).toHaveBeenLastCalledWith('/a/tray/idle.png');
    s.statuses[0]!.state = 'starting';
    s.emit({ type: 'state', status: { name: 'win11', state: 'starting' } });
    await vi.waitFor(() => expect(s.tray.setImage).toHaveBeenLastCalledWith('/a/tray/busy.png'));
    s.t.dispose();
    expect(s.tray.destroy).toHaveBeenCalled();
  });

  it('a guest created, renamed or deleted anywhere (guests.changed) refreshes the menu', async () => {
    const s = setup([{ name: 'win11', state: 'stopped' }]);
    await s.t.refresh();
    expect(s.find('guest:arch')).toBeUndefined();
    s.statuses.push({ name: 'arch', state: 'stopped' });
    s.apiEvent({ event: 'guests.changed', payload: { change: 'deleted', name: 'x' } });
    await vi.waitFor(() => expect(s.find('guest:arch')).toBeDefined());
  });
});
