// Issue 17: the guest page shows what the guest's agent reports (qemu-ga in the test guest,
// started by `gb.qga`): its OS and its address, in Chromium against `guestbay serve`; and
// `guestbay status --json` carries the same report. One guest, one boot.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGuest } from '../guest/guest';
import { guestbay, ROOT, tempHome } from '../helpers/cli';
import { closeApp, openApp } from '../helpers/e2e';

const DOCS = join(ROOT, 'docs', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;
let guest: TestGuest;

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  ({ t, server, url, browser, page, guest } = await openApp('gb-e2e-agent-'));
});

afterAll(() => closeApp({ t, server, browser }, ['agent']));

describe('the guest agent on the guest page', () => {
  it('shows the OS and address the agent reports', async () => {
    const made = await guestbay(
      ['create', '--preset', 'linux', '--name', 'agent', '--disk-size', '64M', '--kernel', guest.kernel, '--initrd', guest.initrd, '--append', 'console=ttyS0 quiet panic=-1 gb.qga', '--memory', '256M', '--cores', '1', '--display', 'none'],
      t.env,
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const started = await guestbay(['start', 'agent', '--headless'], t.env);
    expect(started.exitCode, started.stderr).toBe(0);

    await page.goto(`${url}#/guest/agent`);
    const address = page.getByTestId('guest-address-agent');
    await expect.poll(() => address.textContent().catch(() => null), { timeout: 120_000, interval: 500 }).toContain('10.0.2.15');
    expect(await page.getByTestId('guest-agent-agent').textContent()).toContain('Guestbay test guest');
    await page.screenshot({ path: join(DOCS, 'guest-agent-1280x800-light.png') });

    // The agent takes one client at a time and the open page asks it too (its address, its
    // mounts): a status asked while the page's question is answered finds it busy, so ask again.
    type Status = { agent?: { connected: boolean; addresses: { address: string }[] } };
    const status = async (): Promise<Status> => {
      const st = await guestbay(['status', 'agent', '--json'], t.env);
      expect(st.exitCode, st.stderr).toBe(0);
      return JSON.parse(st.stdout) as Status;
    };
    const seen = async () => {
      const a = (await status()).agent;
      return a?.connected ? a.addresses.map((x) => x.address) : 'not connected';
    };
    await expect.poll(seen, { timeout: 60_000, interval: 1000 }).toContain('10.0.2.15');
  });
});
