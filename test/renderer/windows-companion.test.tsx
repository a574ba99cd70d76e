// The Windows companion over a small fake client: Setup's stages advance and are remembered per
// guest; the answer disk (it holds the password) is removed only once the guest is stopped, by
// saving the guest's config without that drive, and the page says its file is still there.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createStore } from 'zustand';
import { createClient, type Transport } from '../../src/shared/client';
import { WindowsCompanion } from '../../src/renderer/components/WindowsCompanion';
import { WINDOWS_INSTALL_STEPS } from '../../src/renderer/windows-install-steps';
import { AppContext, type AppState } from '../../src/renderer/store';
import type { GuestStateName } from '../../src/shared/contract';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const media = [
  { id: 'install0', role: 'install', path: '/isos/Win11.iso', format: 'raw', as: 'cdrom', bus: 'sata' },
  { id: 'answer0', role: 'drivers', path: 'Autounattend.img', format: 'raw', as: 'disk', bus: 'usb' },
];

function setup(state: GuestStateName) {
  const calls: [string, unknown][] = [];
  const transport: Transport = {
    request: async (call, input) => {
      calls.push([call, input]);
      if (call === 'guests.get') return { ok: true, output: { config: { name: 'win11', media }, revision: 'r1', status: {} } };
      return { ok: true, output: { config: {}, revision: 'r2', applied: [], pending: [] } };
    },
    subscribe: () => () => {},
  };
  const client = createClient(transport);
  const store = createStore<AppState>()(() => ({}) as AppState);
  const ui = (s: GuestStateName) => (
    <AppContext.Provider value={{ client, store }}>
      <WindowsCompanion name="win11" state={s} answerPath="Autounattend.img" />
    </AppContext.Provider>
  );
  const view = render(ui(state));
  return { calls, rerender: (s: GuestStateName) => view.rerender(ui(s)), unmount: view.unmount };
}

describe('Windows companion', () => {
  it('walks Setup’s stages, remembers the place, and removes the answer disk only once Windows is shut down', async () => {
    const user = userEvent.setup();
    const first = setup('running');
    expect(screen.getByTestId('companion-step-boot').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('windows-companion').textContent).toMatch(/Press any key to boot from CD or DVD/);
    await user.click(screen.getByTestId('companion-next'));
    expect(screen.getByTestId('companion-step-setup').getAttribute('data-state')).toBe('current');
    first.unmount();

    const again = setup('running');
    expect(screen.getByTestId('companion-step-setup').getAttribute('data-state')).toBe('current');
    for (let i = 2; i < WINDOWS_INSTALL_STEPS.length; i++) await user.click(screen.getByTestId('companion-next'));
    expect(screen.getByTestId('companion-step-remove').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('windows-companion').textContent).toMatch(/holds your password/);
    expect((screen.getByTestId('companion-remove-answer') as HTMLButtonElement).disabled).toBe(true);
    expect(again.calls).toEqual([]);

    again.rerender('stopped');
    await user.click(screen.getByTestId('companion-remove-answer'));
    await waitFor(() => expect(screen.getByTestId('companion-finished').textContent).toMatch(/removed from the guest.*Autounattend\.img/));
    const update = again.calls.find(([c]) => c === 'guests.update')![1] as { revision: string; config: { media: { id: string }[] } };
    expect(update.revision).toBe('r1');
    expect(update.config.media.map((m) => m.id)).toEqual(['install0']);
  });
});
