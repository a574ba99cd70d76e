// Issue 14 item 9, accessibility and polish, one test per point, against the real API in-process
// (jsdom: the ui project's DOM; the same points in Chromium are in test/e2e/a11y.test.ts):
// the help overlay takes and traps the focus and Esc closes it; the serial console lets Tab out;
// the browser-mode file picker starts in the field's folder (its parent for a file, the nearest
// existing one for a path that is gone), filters by type, takes a typed path and says when one
// is wrong, and closes on Esc; cards and copy buttons have names that say what they are; icons
// are inline SVG, never a font's glyph; messages start with a capital; no hint twice on a screen.
// Field borders against the background: contrast.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useState } from 'react';
import { createClient, type Transport } from '../../src/shared/client';
import { CallError, type EventMessage } from '../../src/shared/contract';
import { Root } from '../../src/renderer/Root';
import { AppContext, createAppStore } from '../../src/renderer/store';
import { PathField } from '../../src/renderer/components/PathField';
import { SerialConsole } from '../../src/renderer/components/SerialConsole';
import { plainWords } from '../../src/renderer/components/ErrorNotice';
import { SECTIONS } from '../../src/renderer/guest/SettingsTab';
import { realClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-a11y-');
  location.hash = '#/';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

const inside = (el: HTMLElement) => el.contains(document.activeElement);

describe('the help overlay', () => {
  it('takes the focus, keeps Tab and Shift+Tab inside, closes on Esc and gives the focus back', async () => {
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    const opener = await screen.findByTestId('library-new');
    opener.focus();
    await user.keyboard('?');
    const help = await screen.findByTestId('help-overlay');
    expect(inside(help)).toBe(true);
    for (let i = 0; i < 4; i++) {
      await user.keyboard('{Tab}');
      expect(inside(help), `after Tab ${i + 1}`).toBe(true);
    }
    for (let i = 0; i < 4; i++) {
      await user.keyboard('{Shift>}{Tab}{/Shift}');
      expect(inside(help), `after Shift+Tab ${i + 1}`).toBe(true);
    }
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('help-overlay')).toBeNull());
    expect(document.activeElement).toBe(opener);
  });
});

describe('the serial console', () => {
  it('lets Tab move the focus on instead of typing it into the guest', async () => {
    if (!window.matchMedia) window.matchMedia = ((q: string) => ({ matches: false, media: q, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, onchange: null, dispatchEvent: () => false })) as typeof window.matchMedia;
    const writes: string[] = [];
    const transport: Transport = {
      request: async (call, input) => {
        if (call === 'serial.write') writes.push((input as { data: string }).data);
        return { ok: true, output: { ok: true } };
      },
      subscribe: () => () => {},
    };
    const client = createClient(transport);
    const store = createAppStore(client);
    const user = userEvent.setup();
    render(
      <AppContext.Provider value={{ client, store }}>
        <SerialConsole name="tiny" />
        <button type="button">After the console</button>
      </AppContext.Provider>,
    );
    const term = screen.getByTestId('serial-console');
    await waitFor(() => expect(term.querySelector('textarea')).toBeTruthy(), { timeout: 10_000 });
    const textarea = term.querySelector('textarea')!;
    textarea.focus();
    await user.keyboard('a');
    await waitFor(() => expect(writes).toContain('a'));
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'After the console' }));
    expect(writes).not.toContain('\t'); // the Tab key itself went to the page, not to the guest
  });
});

/** A PathField as a page has it (no native dialog: the server's answer says so), its value shown. */
function Picker({ initial, mode, filters }: { initial: string; mode?: 'file' | 'dir'; filters?: { name: string; extensions: string[] }[] }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <PathField id="pick" label="Installer" value={value} onChange={setValue} mode={mode} filters={filters} />
      <output data-testid="picked">{value}</output>
    </>
  );
}

describe('the file picker in browser mode', () => {
  let dir: string;
  const ISO = [{ name: 'Disc images', extensions: ['iso'] }];
  beforeEach(async () => {
    dir = join(ctx.world.home, 'Downloads');
    await mkdir(join(dir, 'isos', 'old'), { recursive: true });
    await writeFile(join(dir, 'isos', 'debian.iso'), 'x');
    await writeFile(join(dir, 'isos', 'notes.txt'), 'x');
    await writeFile(join(dir, 'isos', 'WIN.ISO'), 'x');
  });

  async function open(initial: string, o: { mode?: 'file' | 'dir'; filters?: typeof ISO } = {}) {
    const user = userEvent.setup();
    const store = createAppStore(ctx.client);
    render(
      <AppContext.Provider value={{ client: ctx.client, store }}>
        <Picker initial={initial} mode={o.mode} filters={o.filters} />
      </AppContext.Provider>,
    );
    await user.click(screen.getByTestId('pick-browse'));
    const box = await screen.findByTestId('file-browser');
    return { user, box };
  }
  const path = () => screen.getByTestId('file-path') as HTMLInputElement;

  it('starts in the folder of the file the field holds, shows only the types it takes, and closes on Esc', async () => {
    const { user, box } = await open(join(dir, 'isos', 'debian.iso'), { filters: ISO });
    await waitFor(() => expect(path().value).toBe(join(dir, 'isos')));
    expect(document.activeElement).toBe(path()); // the path field has the focus
    expect(within(box).getByTestId('file-entry-debian.iso')).toBeTruthy();
    expect(within(box).getByTestId('file-entry-WIN.ISO')).toBeTruthy(); // any case
    expect(within(box).getByTestId('file-entry-old')).toBeTruthy(); // folders always
    expect(within(box).queryByTestId('file-entry-notes.txt')).toBeNull();
    expect(box.textContent).toMatch(/Disc images \(\.iso\); 1 other file hidden/);
    await user.click(within(box).getByTestId('file-all'));
    expect(within(box).getByTestId('file-entry-notes.txt')).toBeTruthy();
    // Icons are inline SVG, not characters of a font.
    expect(within(box).getByTestId('file-entry-old').querySelector('svg')).toBeTruthy();
    expect(within(box).getByTestId('file-entry-old').textContent?.trim()).toBe('old');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('file-browser')).toBeNull());
    expect(screen.getByTestId('picked').textContent).toBe(join(dir, 'isos', 'debian.iso')); // unchanged
  });

  it('starts in the folder a file field holds, and in the nearest existing folder for a path that is gone', async () => {
    await open(join(dir, 'isos'), { filters: ISO });
    await waitFor(() => expect(path().value).toBe(join(dir, 'isos')));
    cleanup();
    await open(join(dir, 'isos', 'gone', 'deeper', 'x.iso'), { filters: ISO });
    await waitFor(() => expect(path().value).toBe(join(dir, 'isos')));
    cleanup();
    await open('', { filters: ISO }); // nothing yet: the home folder
    await waitFor(() => expect(path().value).toBe(ctx.world.home));
  });

  it('takes a typed path: Enter opens a folder or picks a file, and a wrong path is said', async () => {
    const { user, box } = await open('', { filters: ISO });
    await waitFor(() => expect(path().value).toBe(ctx.world.home));
    await user.clear(path());
    await user.type(path(), `${join(dir, 'nowhere')}{Enter}`);
    const said = await within(box).findByTestId('error');
    expect(said.textContent).toContain(`${join(dir, 'nowhere')}`);
    expect(said.textContent).toMatch(/^[A-Z].*Check the path, or pick from the list\./);
    await user.clear(path());
    await user.type(path(), `${join(dir, 'isos')}{Enter}`);
    await within(box).findByTestId('file-entry-debian.iso');
    expect(within(box).queryByTestId('error')).toBeNull();
    await user.clear(path());
    await user.type(path(), `${join(dir, 'isos', 'debian.iso')}{Enter}`);
    await waitFor(() => expect(screen.queryByTestId('file-browser')).toBeNull());
    expect(screen.getByTestId('picked').textContent).toBe(join(dir, 'isos', 'debian.iso'));
  });

  it('a folder field lists folders only and picks the folder it is in', async () => {
    const { user, box } = await open(join(dir, 'isos'), { mode: 'dir' });
    await waitFor(() => expect(path().value).toBe(join(dir, 'isos')));
    expect(within(box).getByTestId('file-entry-old')).toBeTruthy();
    expect(within(box).queryByTestId('file-entry-debian.iso')).toBeNull();
    await user.click(within(box).getByTestId('file-use-folder'));
    expect(screen.getByTestId('picked').textContent).toBe(join(dir, 'isos'));
  });
});

describe('names', () => {
  it('a library card and its link say the guest and its state', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'two', title: 'Second', diskSize: '1G' });
    render(<Root client={ctx.client} />);
    await screen.findByTestId('guest-card-two');
    expect(screen.getByRole('link', { name: 'Second, Stopped' })).toBe(screen.getByTestId('guest-open-two'));
    expect(screen.getByRole('article', { name: 'Second, Stopped' })).toBe(screen.getByTestId('guest-card-two'));
  });

  it('copy buttons say what they copy', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'beta', diskSize: '1G' });
    await ctx.client.call('host.probe', {}); // the page's plan then answers at once
    location.hash = '#/guest/beta/command';
    render(<Root client={ctx.client} />);
    const copy = await screen.findByTestId('guest-command-copy', {}, { timeout: 60_000 });
    expect(copy.textContent).toBe('Copy command');
    expect(screen.getByRole('button', { name: /^Copy command: / })).toBe(copy);
    expect(screen.queryAllByRole('button', { name: 'Copy' })).toHaveLength(0);
  }, 120_000);
});

describe('icons', () => {
  // Characters that some systems' fonts lack (a box, or a colour emoji, in their place).
  const GLYPHS = /[✓✔✗✘⚠▾▸▴↑↓↳⟳⏻📁📂📄💾🖥⚙]|\p{Extended_Pictographic}/u;
  it('the renderer draws no mark with a font glyph: components/Icons.tsx has them as inline SVG', async () => {
    const root = join(__dirname, '../../src/renderer');
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.(tsx?|css)$/.test(f));
    const found: string[] = [];
    for (const f of files) {
      (await readFile(join(root, f), 'utf8')).split('\n').forEach((line, i) => {
        if (GLYPHS.test(line.replace(/\/\/.*$|\/\*.*?\*\/|^\s*\*.*$/g, ''))) found.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe('messages', () => {
  it('an error is shown as a sentence with a capital, whatever shape it came in', () => {
    expect(plainWords(new Error('the socket path is too long: use a shorter name'))).toBe('The socket path is too long: use a shorter name.');
    expect(plainWords(new CallError('guests.start', { name: 'ApiStateError', message: 'the guest is running' }))).toBe('The guest is running.');
    expect(plainWords(new Error(''))).toMatch(/^Something went wrong.*try again\.$/);
  });
});

describe('hints', () => {
  /** The texts of a screen's hints and paragraphs that appear more than once. */
  const repeated = () => {
    const texts = [...document.querySelectorAll('p, .hint')].filter((el) => !el.closest('[hidden]')).map((el) => el.textContent!.trim()).filter((t) => t.length > 12);
    return texts.filter((t, i) => texts.indexOf(t) !== i);
  };

  it('no hint is said twice on one screen: the guest page and every settings section', async () => {
    await ctx.client.call('guests.create', { preset: 'linux', name: 'deb', diskSize: '1G' });
    // Two disks on one bus and cache: their why is said once, not per disk, nor again in the add form.
    await ctx.client.call('guests.disks.add', { name: 'deb', disk: { size: '64M' } });
    await ctx.client.call('host.probe', {}); // the page's plan then answers at once
    const pushers = new Set<(m: EventMessage) => void>();
    const base: Transport = {
      request: (c, i) => ctx.world.api.dispatch(c, JSON.parse(JSON.stringify(i ?? {}))),
      subscribe: (h) => (pushers.add(h), () => pushers.delete(h)),
    };
    location.hash = '#/guest/deb';
    render(<Root client={createClient(base)} />);
    await screen.findByTestId('guest-page-deb', {}, { timeout: 60_000 });
    expect(repeated(), 'guest page').toEqual([]);
    location.hash = '#/guest/deb/command';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByTestId('guest-command', {}, { timeout: 60_000 });
    expect(repeated(), 'command').toEqual([]);
    for (const id of Object.keys(SECTIONS)) {
      location.hash = `#/guest/deb/settings/${id}`;
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      await screen.findByTestId(`settings-section-${id}`, {}, { timeout: 20_000 });
      await new Promise((r) => setTimeout(r, 50)); // its own calls (host devices, disk facts) answered
      expect(repeated(), `settings: ${id}`).toEqual([]);
    }
  }, 300_000);
});
