// The library, the host page and the shortcuts against the real API in-process (no guest is
// started: states come from the store and from injected events).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type Transport } from '../../src/shared/client';
import type { EventMessage } from '../../src/shared/contract';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-lib-');
  location.hash = '#/';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

describe('library', () => {
  it('shows the empty state, which leads to the wizard', async () => {
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    await screen.findByTestId('library-empty');
    await user.click(screen.getByTestId('empty-new'));
    await screen.findByTestId('wizard-os-linux');
    expect(location.hash).toBe('#/new');
  });

  it('shows a card per guest with state, actions by state, and damaged guests with their error', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'alpha', diskSize: '1G' });
    // a damaged guest: a folder whose config cannot be read (path from the store's own layout)
    const dir = ctx.world.store.dirs('broken').dir;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'vm.json'), '{ not json');
    // Events from the API arrive through a wrapper transport we can also push into.
    const pushers = new Set<(m: EventMessage) => void>();
    const base: Transport = {
      request: (c, i) => ctx.world.api.dispatch(c, JSON.parse(JSON.stringify(i ?? {}))),
      subscribe: (h) => {
        pushers.add(h);
        return () => pushers.delete(h);
      },
    };
    render(<Root client={createClient(base)} />);
    const card = await screen.findByTestId('guest-card-alpha');
    expect(card.textContent).toMatch(/\d+ cores? · [\d.]+ [GM]iB RAM/);
    expect(screen.getByTestId('guest-state-alpha').textContent).toBe('Stopped');
    expect(screen.getByTestId('guest-thumb-alpha').textContent).toMatch(/Not running/);
    // A card offers only what the state allows now (the guest page has every action, with reasons).
    expect((screen.getByTestId('action-start-alpha') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('action-stop-alpha')).toBeNull();
    expect(screen.queryByTestId('action-pause-alpha')).toBeNull();

    const damaged = await screen.findByTestId('guest-card-broken');
    expect(damaged.textContent).toMatch(/Damaged/);
    expect(screen.getByTestId('guest-error-broken').textContent).toMatch(/cannot be read/);
    expect(screen.queryByTestId('action-stop-broken')).toBeNull();
    // Damaged while it runs (its runtime record says so): shown running, and it can be stopped.
    act(() => {
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'broken', state: 'running', pid: 4242 } });
    });
    expect(screen.getByTestId('guest-state-broken').textContent).toBe('Running');
    expect(damaged.textContent).toMatch(/Damaged[\s\S]*still running: stop it here/);
    expect((screen.getByTestId('action-stop-broken') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('action-start-broken')).toBeNull();

    // live state and progress from events
    act(() => {
      for (const h of pushers) h({ event: 'progress', payload: { name: 'alpha', operation: 'save', message: 'Saving memory', fraction: 0.5 } });
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'alpha', state: 'saving' } });
    });
    expect(screen.getByTestId('guest-state-alpha').textContent).toBe('Saving…');
    expect(screen.getByTestId('guest-progress-alpha').textContent).toMatch(/Saving memory/);
    act(() => {
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'alpha', state: 'paused' } });
    });
    expect(screen.getByTestId('guest-state-alpha').textContent).toBe('Paused');
    expect(screen.queryByTestId('guest-progress-alpha')).toBeNull();
    expect((screen.getByTestId('action-resume-alpha') as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByTestId('action-stop-alpha') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('action-start-alpha')).toBeNull();

    // Its QEMU stops answering: said beside the state, with what to do; only Shut down stays.
    const hung = { kind: 'not-answering' as const, message: 'QEMU (pid 4242) is stopped by a signal', fix: '`kill -CONT 4242` lets it go on' };
    act(() => {
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'alpha', state: 'running', pid: 4242, problems: [hung] } });
    });
    expect(screen.getByTestId('guest-state-alpha-problem').textContent).toBe('Not answering');
    expect(screen.getByTestId('guest-problems-alpha').textContent).toMatch(/stopped by a signal.*What to do: kill -CONT 4242/);
    // A card offers only what is allowed: no Pause, no Save.
    expect(screen.queryByTestId('action-pause-alpha')).toBeNull();
    expect(screen.queryByTestId('action-save-alpha')).toBeNull();
    expect((screen.getByTestId('action-stop-alpha') as HTMLButtonElement).disabled).toBe(false);
    // A sidecar that died: degraded, with the reason and what to do; the guest can still be used.
    const vfs = { kind: 'sidecar-ended' as const, message: 'virtiofsd (shares /home/u/Shared as "Shared") has ended', fix: 'shut the guest down and start it again' };
    act(() => {
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'alpha', state: 'running', pid: 4242, problems: [vfs] } });
    });
    expect(screen.getByTestId('guest-state-alpha-problem').textContent).toBe('Degraded');
    expect(screen.getByTestId('guest-problems-alpha').textContent).toMatch(/virtiofsd .* has ended.*What to do: shut the guest down/);
    expect((screen.getByTestId('action-pause-alpha') as HTMLButtonElement).disabled).toBe(false);
    act(() => {
      for (const h of pushers) h({ event: 'guest.state', payload: { name: 'alpha', state: 'running', pid: 4242 } });
    });
    expect(screen.queryByTestId('guest-problems-alpha')).toBeNull();
    expect(screen.queryByTestId('guest-state-alpha-problem')).toBeNull();
  });

  it('opens a guest page with its settings and the exact command', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'beta', diskSize: '1G' });
    location.hash = '#/guest/beta/command';
    render(<Root client={ctx.client} />);
    await screen.findByTestId('guest-page-beta');
    // The command itself (this host has QEMU and OVMF), with the guest's own disk in it.
    const cmd = await screen.findByTestId('guest-command', {}, { timeout: 20_000 });
    expect(cmd.textContent).toMatch(/qemu-system-x86_64/);
    expect(cmd.textContent).toContain(join(ctx.world.store.dirs('beta').dir, 'disk.qcow2'));
    expect(screen.queryByText(/cannot build the command/)).toBeNull();
    // Copy gives the whole start, as guestbay cmdline prints it: folders made first, QEMU last, in a subshell.
    const copied: string[] = [];
    const user = userEvent.setup(); // (it puts a clipboard of its own on navigator: ours goes after)
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    await user.click(screen.getByTestId('guest-command-copy'));
    await waitFor(() => expect(copied).toHaveLength(1));
    expect(copied[0]).toMatch(/^\(\n[\s\S]*\n\(umask 077 && mkdir -p [\s\S]*\nexec \S*qemu-system-x86_64 [\s\S]*\n\)$/);
    // The tabs, the settings one of them.
    expect((await screen.findByTestId('tab-settings')).textContent).toBe('Settings');
    expect(screen.queryByTestId('serial-console')).toBeNull(); // only while running
  });
});

describe('host page and shortcuts', () => {
  it('lists every finding with its status', async () => {
    location.hash = '#/host';
    render(<Root client={ctx.client} />);
    const caps = await ctx.client.call('host.probe', {});
    for (const f of caps.findings) {
      const el = await screen.findByTestId(`host-finding-${f.id}`, {}, { timeout: 20_000 });
      expect(el.getAttribute('data-status')).toBe(f.status);
      if (f.fix?.command && f.fix.needsRoot) expect(screen.getByTestId(`host-finding-${f.id}-root`)).toBeTruthy();
    }
  });

  it('N opens the wizard, ? toggles the help overlay', async () => {
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    await screen.findByTestId('nav-library');
    await user.keyboard('?');
    expect(await screen.findByTestId('help-overlay')).toBeTruthy();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('help-overlay')).toBeNull());
    await user.keyboard('n');
    await screen.findByTestId('wizard-os-linux');
    expect(location.hash).toBe('#/new');
    // typing in a field is not a shortcut
    await user.type(screen.getByTestId('field-name'), 'h');
    expect(location.hash).toBe('#/new');
  });

  it('acts on the selected guest: arrows select, Enter starts, Ctrl+. stops, P pauses; listed in the help', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'one', diskSize: '1G' });
    await ctx.client.call('guests.create', { preset: 'linux', name: 'two', title: 'Second', diskSize: '1G' });
    // The real API answers everything except the lifecycle calls, which would start QEMU: those
    // are recorded and answered with the state they would reach.
    const sent: string[] = [];
    const pushers = new Set<(m: EventMessage) => void>();
    const reached: Record<string, string> = { 'guests.start': 'running', 'guests.stop': 'stopped', 'guests.pause': 'paused', 'guests.resume': 'running' };
    const base: Transport = {
      request: async (c, i) => {
        const input = JSON.parse(JSON.stringify(i ?? {})) as { name: string };
        if (c in reached) {
          sent.push(`${c} ${input.name}`);
          return { ok: true, output: { name: input.name, state: reached[c] } };
        }
        return ctx.world.api.dispatch(c, input);
      },
      subscribe: (h) => {
        pushers.add(h);
        return () => pushers.delete(h);
      },
    };
    const user = userEvent.setup();
    render(<Root client={createClient(base)} />);
    await screen.findByTestId('guest-card-two');
    expect(screen.getByTestId('guest-card-two').textContent).toMatch(/Second.*two/); // title, then the name

    await user.keyboard('{Enter}'); // nothing selected: nothing happens
    expect(sent).toEqual([]);
    await user.keyboard('{ArrowRight}{ArrowRight}'); // first press selects "one", the second "two"
    expect(screen.getByTestId('guest-card-two').getAttribute('data-selected')).toBe('true');
    expect(screen.getByTestId('guest-card-one').getAttribute('data-selected')).toBeNull();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('guest-state-two').textContent).toBe('Running'));
    await user.keyboard('p');
    await waitFor(() => expect(screen.getByTestId('guest-state-two').textContent).toBe('Paused'));
    await user.keyboard('p'); // paused: P resumes
    await waitFor(() => expect(screen.getByTestId('guest-state-two').textContent).toBe('Running'));
    await user.keyboard('{Control>}.{/Control}');
    await waitFor(() => expect(screen.getByTestId('guest-state-two').textContent).toBe('Stopped'));
    await user.keyboard('{Control>}.{/Control}'); // stopped: Ctrl+. is not allowed, nothing is sent
    // a click selects too
    await user.click(screen.getByTestId('guest-card-one'));
    expect(screen.getByTestId('guest-card-one').getAttribute('data-selected')).toBe('true');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('guest-state-one').textContent).toBe('Running'));
    expect(sent).toEqual(['guests.start two', 'guests.pause two', 'guests.resume two', 'guests.stop two', 'guests.start one']);

    await user.keyboard('?');
    const help = await screen.findByTestId('help-overlay');
    expect(help.textContent).toMatch(/Enter.*Start the selected guest/);
    expect(help.textContent).toMatch(/Ctrl\+\..*Shut the selected guest down/);
  });
});
