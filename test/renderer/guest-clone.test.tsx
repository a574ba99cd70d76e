// Clone from the guest page's More menu (issue 14 item 7): a real guests.clone, not a dead entry.
// A taken name is said at the field; a full copy makes a new guest with its own disk file, and
// its page opens; a running guest's entry is off and says why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Root } from '../../src/renderer/Root';
import { realClient, steerableClient } from './client';

configure({ asyncUtilTimeout: 20_000 });
let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-clone-');
  await ctx.client.call('guests.create', { preset: 'linux', name: 'deb', diskSize: '64M' });
  await ctx.client.call('guests.create', { preset: 'linux', name: 'other', diskSize: '64M' });
  location.hash = '#/guest/deb';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

describe('Clone in the guest page', () => {
  it('clones a stopped guest through guests.clone and opens the new guest', async () => {
    const { client, push, listed } = steerableClient(ctx.world, { realEvents: true });
    const user = userEvent.setup();
    render(<Root client={client} />);
    await screen.findByTestId('guest-page-deb');
    const entry = (await screen.findByTestId('action-clone-deb')) as HTMLButtonElement;
    await waitFor(() => expect(entry.disabled).toBe(false));
    await act(() => listed); // the list's statuses are in: the events below come after them

    // Running: off, with the reason.
    act(() => {
      push({ event: 'guest.state', payload: { name: 'deb', state: 'running', pid: 4242 } });
    });
    await waitFor(() => expect(entry.disabled).toBe(true));
    expect(entry.textContent).toMatch(/Shut the guest down first/);
    act(() => {
      push({ event: 'guest.state', payload: { name: 'deb', state: 'stopped' } });
    });
    await waitFor(() => expect(entry.disabled).toBe(false));

    await user.click(within(screen.getByTestId('action-more-deb')).getByText(/More/));
    await user.click(entry);
    const dialog = await screen.findByTestId('clone-dialog');
    const input = within(dialog).getByTestId('clone-dialog-name');
    expect(document.activeElement).toBe(input);
    await user.clear(input);
    await user.type(input, 'other');
    expect(within(dialog).getByTestId('clone-dialog-name-error').textContent).toMatch(/exists already/);
    expect((within(dialog).getByTestId('clone-dialog-go') as HTMLButtonElement).disabled).toBe(true);
    await user.clear(input);
    await user.type(input, 'twin');
    expect((within(dialog).getByTestId('clone-dialog-copy') as HTMLInputElement).checked).toBe(true);
    await user.click(within(dialog).getByTestId('clone-dialog-go'));
    await waitFor(() => expect(location.hash).toBe('#/guest/twin/disks'));
    const twin = (await ctx.client.call('guests.get', { name: 'twin' })).config;
    await access(join(ctx.world.store.dirs('twin').dir, twin.disks[0]!.path));
    expect((await ctx.client.call('guests.list', {})).map((g) => g.name)).toEqual(['deb', 'other', 'twin']);
  });
});
