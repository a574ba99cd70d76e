// The companion panel's behaviour over a small fake client (the qemu and e2e projects cover
// finishing a real guest): steps advance and are remembered per guest, Finish installation
// waits for the guest to be stopped, then calls macos.finish and says what it did.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createStore } from 'zustand';
import { createClient, type Transport } from '../../src/shared/client';
import { MacosCompanion } from '../../src/renderer/components/MacosCompanion';
import { MACOS_INSTALL_STEPS } from '../../src/renderer/macos-install-steps';
import { AppContext, type AppState } from '../../src/renderer/store';
import type { GuestStateName } from '../../src/shared/contract';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function setup(state: GuestStateName) {
  const calls: [string, unknown][] = [];
  const transport: Transport = {
    request: async (call, input) => {
      calls.push([call, input]);
      return { ok: true, output: { config: {}, done: ['The recovery disk is detached.'] } };
    },
    subscribe: () => () => {},
  };
  const client = createClient(transport);
  const store = createStore<AppState>()(() => ({}) as AppState);
  const finished: unknown[] = [];
  const ui = (s: GuestStateName) => (
    <AppContext.Provider value={{ client, store }}>
      <MacosCompanion name="mac" state={s} onFinished={(c) => finished.push(c)} />
    </AppContext.Provider>
  );
  const view = render(ui(state));
  return { calls, finished, rerender: (s: GuestStateName) => view.rerender(ui(s)), unmount: view.unmount };
}

describe('macOS companion', () => {
  it('walks the steps, remembers the place, and finishes only once the guest is stopped', async () => {
    const user = userEvent.setup();
    const first = setup('running');
    expect(screen.getByTestId('companion-step-picker').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('macos-companion').textContent).toMatch(/\(dmg\)/);
    await user.click(screen.getByTestId('companion-next'));
    expect(screen.getByTestId('companion-step-language').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('companion-step-picker').getAttribute('data-state')).toBe('done');
    first.unmount();

    // A reload (or the guest page opened again) comes back to the same step.
    const again = setup('running');
    expect(screen.getByTestId('companion-step-language').getAttribute('data-state')).toBe('current');
    for (let i = 2; i < MACOS_INSTALL_STEPS.length; i++) await user.click(screen.getByTestId('companion-next'));
    expect(screen.getByTestId('companion-step-finish').getAttribute('data-state')).toBe('current');
    expect((screen.getByTestId('companion-finish') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('macos-companion').textContent).toMatch(/Shut macOS down first/);
    expect(again.calls.filter(([c]) => c === 'macos.finish')).toEqual([]);

    again.rerender('stopped');
    await user.click(screen.getByTestId('companion-finish'));
    await waitFor(() => expect(screen.getByTestId('companion-finished').textContent).toContain('The recovery disk is detached.'));
    expect(again.calls).toEqual([['macos.finish', { name: 'mac' }]]);
    expect(again.finished).toHaveLength(1);
  });
});
