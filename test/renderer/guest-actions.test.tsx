// The window's action buttons follow the one guest-state model (src/shared/guest-state.ts): for
// every state, each button is on exactly when the model allows its action, and a button that is
// off says the model's reason as its tooltip. The tray's side is test/main/desktop/tray-model.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { createClient, type Transport } from '../../src/shared/client';
import type { EventMessage, GuestStateName, GuestStatusDto } from '../../src/shared/contract';
import { verdict } from '../../src/shared/guest-state';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-actions-');
  location.hash = '#/';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

const STATES: GuestStateName[] = ['stopped', 'starting', 'running', 'paused', 'saving', 'saved', 'stopping', 'crashed'];
const BUTTONS = ['start', 'pause', 'resume', 'stop', 'save', 'switch'] as const;

describe('guest actions in the window', () => {
  it('each button follows the guest-state model, with its reason as the tooltip', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'alpha', title: 'Alpha', diskSize: '1G' });
    const pushers = new Set<(m: EventMessage) => void>();
    const transport: Transport = {
      request: (c, i) => ctx.world.api.dispatch(c, JSON.parse(JSON.stringify(i ?? {}))),
      subscribe: (h) => {
        pushers.add(h);
        return () => pushers.delete(h);
      },
    };
    render(<Root client={createClient(transport)} />);
    await screen.findByTestId('guest-card-alpha');
    const cannotSave = { ok: false as const, reason: "the guest's CPU has an invariant TSC (macOS needs it), which QEMU cannot save; it is shut down instead" };
    for (const state of STATES) {
      for (const savable of [undefined, cannotSave]) {
        const status: GuestStatusDto = { name: 'alpha', state, ...(savable ? { savable } : {}) };
        act(() => {
          for (const h of pushers) h({ event: 'guest.state', payload: status });
        });
        for (const id of BUTTONS) {
          const button = screen.queryByTestId(`action-${id}-alpha`) as HTMLButtonElement | null;
          if (!button) continue; // pause and resume share a place
          const v = verdict({ name: 'alpha', title: 'Alpha', state, savable }, id);
          expect(button.disabled, `${state}/${id}/savable=${JSON.stringify(savable)}`).toBe(!v.ok);
          if (!v.ok) expect(button.title).toBe(v.reason);
        }
      }
    }
    // The case issue 14 found: a paused guest QEMU cannot save offers no Save, and says why.
    act(() => {
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'alpha', state: 'paused', savable: cannotSave } });
    });
    const save = screen.getByTestId('action-save-alpha') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(save.title).toMatch(/^Alpha cannot be saved: the guest's CPU has an invariant TSC/);
    expect((screen.getByTestId('action-switch-alpha') as HTMLButtonElement).disabled).toBe(false);
  });
});
