// The window's action buttons follow the one guest-state model (src/shared/guest-state.ts): for
// every state, each button is on exactly when the model allows its action, and a button that is
// off says the model's reason as its tooltip. The tray's side is test/main/desktop/tray-model.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { GuestStateName, GuestStatusDto } from '../../src/shared/contract';
import { verdict } from '../../src/shared/guest-state';
import { Root } from '../../src/renderer/Root';
import { realClient, steerableClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-actions-');
  location.hash = '#/guest/alpha';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

const STATES: GuestStateName[] = ['stopped', 'starting', 'running', 'paused', 'saving', 'saved', 'stopping', 'crashed'];
const BUTTONS = ['start', 'pause', 'resume', 'stop', 'forceOff', 'save', 'reset', 'switch'] as const;
const MORE = ['rename', 'openFolder', 'discardSaved', 'delete'] as const;
const testId = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('guest actions in the window', () => {
  it('each button follows the guest-state model, with its reason as the tooltip', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'alpha', title: 'Alpha', diskSize: '1G' });
    const { client, push, listed } = steerableClient(ctx.world);
    render(<Root client={client} />);
    await screen.findByTestId('guest-page-alpha');
    await screen.findByTestId('action-start-alpha');
    await act(() => listed); // the list's statuses are in: the events below come after them
    const cannotSave = { ok: false as const, reason: "the guest's CPU has an invariant TSC (macOS needs it), which QEMU cannot save; it is shut down instead" };
    for (const state of STATES) {
      for (const savable of [undefined, cannotSave]) {
        const status: GuestStatusDto = { name: 'alpha', state, ...(savable ? { savable } : {}) };
        act(() => {
          push({ event: 'guest.state', payload: status });
        });
        for (const id of BUTTONS) {
          const button = screen.queryByTestId(`action-${testId(id)}-alpha`) as HTMLButtonElement | null;
          if (id === 'pause' || id === 'resume') {
            // pause and resume share a place: Resume while paused, Pause otherwise
            expect(button === null, `${state}/${id}`).toBe(state === 'paused' ? id === 'pause' : id === 'resume');
            if (!button) continue;
          }
          expect(button, `${state}/${id} is always shown`).not.toBeNull();
          const v = verdict({ name: 'alpha', title: 'Alpha', state, savable }, id);
          expect(button!.disabled, `${state}/${id}/savable=${JSON.stringify(savable)}`).toBe(!v.ok);
          if (!v.ok) expect(button!.title).toBe(v.reason);
        }
        // The rest, in the header's More menu: each with the model's reason in words when off.
        for (const id of MORE) {
          const item = screen.getByTestId(`action-${testId(id)}-alpha`) as HTMLButtonElement;
          const v = verdict({ name: 'alpha', title: 'Alpha', state, savable }, id);
          expect(item.disabled, `${state}/${id}`).toBe(!v.ok);
          if (!v.ok) expect(item.textContent).toContain(v.reason);
        }
      }
    }
    // The case issue 14 found: a paused guest QEMU cannot save offers no Save, and says why.
    act(() => {
      push({ event: 'guest.state', payload: { name: 'alpha', state: 'paused', savable: cannotSave } });
    });
    const save = screen.getByTestId('action-save-alpha') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(save.title).toMatch(/^Alpha cannot be saved: the guest's CPU has an invariant TSC/);
    expect((screen.getByTestId('action-switch-alpha') as HTMLButtonElement).disabled).toBe(false);
  });
});
