// The library's search keeps every card mounted and hides those that do not match (typing over
// hundreds of guests changes attributes, not the page's tree): the count, the shown cards, the
// list view alike, arrow keys skip what is hidden, and Esc shows them all again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

configure({ asyncUtilTimeout: 20_000 });
let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-search-');
  for (const [name, title] of [['alpha', 'A Debian'], ['beta', 'B Fedora'], ['gamma', 'C Debian']]) await ctx.client.call('guests.create', { preset: 'linux', name: name!, title, diskSize: '64M' });
  location.hash = '#/';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

const shown = () => [...document.querySelectorAll<HTMLElement>('[data-testid^="guest-card-"]')].filter((c) => !c.hidden).map((c) => c.dataset.testid!.slice('guest-card-'.length));

describe('library search', () => {
  it('hides what does not match, keeps it mounted, and arrow keys skip it', async () => {
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    await screen.findByTestId('guest-card-gamma');
    await user.type(screen.getByTestId('library-search'), 'debian');
    await waitFor(() => expect(shown()).toEqual(['alpha', 'gamma']));
    expect(screen.getByTestId('guest-card-beta').hidden).toBe(true); // still there, hidden
    expect(screen.getByTestId('library-count').textContent).toBe('2 of 3 guests');
    await user.click(document.body);
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByTestId('guest-card-gamma').getAttribute('data-selected')).toBe('true'); // beta skipped
    await user.click(screen.getByTestId('library-view-list'));
    await waitFor(() => expect(shown()).toEqual(['alpha', 'gamma']));
    await user.type(screen.getByTestId('library-search'), 'x');
    expect((await screen.findByTestId('library-no-match')).textContent).toMatch(/No guest matches “debianx”/);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(shown()).toEqual(['alpha', 'beta', 'gamma']));
    await user.click(screen.getByTestId('library-view-grid'));
  });
});
