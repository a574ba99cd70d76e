// The serial console's wiring, over a small fake client (a serial console needs a running
// guest; the qemu project covers that end to end): open on mount, events written to the
// terminal, keystrokes to serial.write, close on leave.
import { describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createStore } from 'zustand';
import type { EventMessage } from '../../src/shared/contract';
import { createClient, type Transport } from '../../src/shared/client';
import { SerialConsole } from '../../src/renderer/components/SerialConsole';
import { AppContext, type AppState } from '../../src/renderer/store';

describe('serial console', () => {
  it('opens, writes guest output, sends keys and closes on leave', async () => {
    if (!window.matchMedia) window.matchMedia = ((q: string) => ({ matches: false, media: q, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, onchange: null, dispatchEvent: () => false })) as typeof window.matchMedia;
    const calls: [string, unknown][] = [];
    let push: ((m: EventMessage) => void) | undefined;
    const transport: Transport = {
      request: async (call, input) => {
        calls.push([call, input]);
        return { ok: true, output: { ok: true } };
      },
      subscribe: (h) => {
        push = h;
        return () => (push = undefined);
      },
    };
    const client = createClient(transport);
    const store = createStore<AppState>()(() => ({}) as AppState);
    const view = render(
      <AppContext.Provider value={{ client, store }}>
        <SerialConsole name="tiny" />
      </AppContext.Provider>,
    );
    expect(screen.getByTestId('serial-console')).toBeTruthy();
    await waitFor(() => expect(calls.some(([c]) => c === 'serial.open')).toBe(true), { timeout: 10_000 });
    push?.({ event: 'serial.data', payload: { name: 'other', data: 'elsewhere ' } });
    push?.({ event: 'serial.data', payload: { name: 'tiny', data: 'login: ' } });
    // xterm's DOM renderer draws its rows in jsdom too: the text is on the page.
    await waitFor(() => expect(screen.getByTestId('serial-console').textContent).toContain('login:'), { timeout: 5000 });
    expect(screen.getByTestId('serial-console').textContent).not.toContain('elsewhere'); // another guest's console
    const textarea = screen.getByTestId('serial-console').querySelector('textarea');
    expect(textarea).toBeTruthy();
    await userEvent.setup().type(textarea!, 'a');
    await waitFor(() => expect(calls).toContainEqual(['serial.write', { name: 'tiny', data: 'a' }]));
    view.unmount();
    await waitFor(() => expect(calls.some(([c, i]) => c === 'serial.close' && (i as { name: string }).name === 'tiny')).toBe(true));
    cleanup();
    vi.restoreAllMocks();
  });
});
