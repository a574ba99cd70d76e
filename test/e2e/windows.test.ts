// Issue 20's guided flow in the app: Debian's Chromium, driven by Playwright, against
// `guestbay serve` pointed at a local stand-in for the Fedora project's virtio-win archive
// (trust on first use, as a build without a pin would do). Wizard's Windows 11 tile → guided
// setup → this host (the TCG warning acknowledged here) → the user's ISO, its editions read →
// virtio-win downloaded, its hash said plainly → the account → progress → a guest whose
// `guestbay cmdline` has the Windows ISO, the virtio-win disc, the answer disk, the TPM and
// Secure Boot firmware → started (QEMU running, QMP reached) with the companion beside it.
// Every step is drawn at 1280×800 and 1920×1080, light and dark, into docs/screens/.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchPlan } from '../../src/main/qemu/plan';
import { guestbay, ROOT, tempHome } from '../helpers/cli';
import { buildAndServe, launchChromium, screenshots } from '../helpers/e2e';
import { sha256, startRangeServer, type RangeServer } from '../helpers/range-server';
import { buildVirtioWinIso, VIRTIO_WIN_ARCHIVE_PATH } from '../helpers/virtio-win-iso';
import { buildWindowsIso } from '../helpers/windows-iso';

const DOCS = join(ROOT, 'docs', 'screens');
let t: Awaited<ReturnType<typeof tempHome>>;
let srv: RangeServer;
let virtio: Buffer;
let server: ResultPromise;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  t = await tempHome('gb-e2e-windows-');
  await buildWindowsIso(join(t.home, 'Win11.iso'), { label: 'CCCOMA_X64FRE_EN-US_DV9', wimtools: false, editions: [{ name: 'Windows 11 Home', editionId: 'Core', build: 26100 }, { name: 'Windows 11 Pro', editionId: 'Professional', build: 26100 }] });
  // Big enough, and sent slowly enough, that the download is seen in progress.
  await buildVirtioWinIso(join(t.home, 'virtio-win.iso'), { bulkBytes: 12 * 2 ** 20 });
  virtio = await readFile(join(t.home, 'virtio-win.iso'));
  srv = await startRangeServer();
  srv.files.set(VIRTIO_WIN_ARCHIVE_PATH, { body: virtio, bytesPerSecond: 3 * 2 ** 20 });
  ({ server, url } = await buildAndServe(t.env, ['--virtio-win-url', `${srv.base}${VIRTIO_WIN_ARCHIVE_PATH}`, '--virtio-win-sha256', 'tofu']));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (t) await guestbay(['stop', 'win11', '--force'], t.env);
  server?.kill('SIGTERM');
  await server?.catch(() => {});
  await srv?.stop();
  await t?.cleanup();
});

const byId = (id: string) => page.getByTestId(id);

/** What the window shows, from the top (a full-page shot draws the sticky header and footer mid-page). */
const shots = (name: string) => screenshots(page, `windows-${name}`, () => page.evaluate(() => window.scrollTo(0, 0)));

describe('the guided Windows flow', () => {
  it('goes from the wizard to a started Windows guest whose command has everything Setup needs, with the companion beside it', async () => {
    await page.goto(`${url}#/new`);
    await byId('wizard-os-windows-11').click();
    await byId('wizard-windows-guided').click();
    await expect.poll(() => page.url()).toContain('#/new/windows/11');

    // 1. This host.
    await expect.poll(() => byId('windows-finding-windows-kvm').isVisible(), { timeout: 30_000 }).toBe(true);
    const noKvm = (await byId('windows-finding-windows-kvm').getAttribute('data-status')) !== 'ok';
    for (const id of ['windows-swtpm', 'windows-secure-boot', 'windows-disk-size']) expect(await byId(`windows-finding-${id}`).getAttribute('data-status')).toBe('ok');
    if (noKvm) {
      // Said once, in the KVM finding (the list's first: the most pressing), which carries the tick.
      expect(await byId('windows-finding-windows-kvm').textContent()).toMatch(/No KVM: Windows will be extremely slow/);
      expect(await page.getByText('No KVM: Windows will be extremely slow').count()).toBe(1);
      expect(await byId('windows-finding-windows-kvm').getByTestId('windows-allow-tcg').count()).toBe(1);
      expect(await byId('windows-next').isDisabled()).toBe(true);
      await byId('windows-allow-tcg').check();
    }
    await shots('1-host');
    await byId('windows-next').click();

    // 2. The ISO: the user's own, its editions read from install.wim.
    await byId('windows-iso').fill(join(t.home, 'Win11.iso'));
    await expect.poll(() => byId('windows-iso-info').textContent(), { timeout: 20_000 }).toMatch(/Windows 11/);
    expect(await byId('windows-edition').inputValue()).toBe('Windows 11 Pro');
    await shots('2-iso');
    await byId('windows-next').click();

    // 3. virtio-win: downloaded from the (stand-in) archive, trust on first use said plainly.
    expect(await byId('windows-virtio-trust').textContent()).toMatch(/Trust on first use:.*records the hash of this first download/);
    await shots('3-drivers');
    await byId('windows-next').click();

    // 4. The account; the passwords are compared before anything is asked of the server.
    await byId('windows-field-name').fill('win11');
    await byId('windows-field-user').fill('ada');
    await byId('windows-field-password').fill('S3cret & <pw>');
    await byId('windows-field-password2').fill('S3cret');
    expect(await byId('windows-password2-error').textContent()).toMatch(/differ/);
    await shots('4-account-error');
    await byId('windows-field-password2').fill('S3cret & <pw>');
    await shots('4-account');
    await byId('windows-prepare').click();

    // 5. Progress: the download, then the answer disk and the guest.
    await expect.poll(() => byId('windows-download').textContent(), { timeout: 30_000 }).toMatch(/virtio-win-0\.1\.285\.iso: [\d.]+ [KM]iB of 1\d\.\d MiB/);
    await shots('5-progress');
    await expect.poll(() => byId('windows-progress').getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect(await byId('windows-notes').textContent()).toContain(`recorded its SHA-256 ${sha256(virtio)}`);
    expect(await byId('windows-notes').textContent()).toMatch(/installing Windows 11 Pro/);
    if (noKvm) expect(await byId('windows-warning-windows-kvm').isVisible()).toBe(true);
    await shots('6-ready');

    // The guest's command: Windows ISO, virtio-win disc, answer disk, TPM, Secure Boot firmware.
    const plan: LaunchPlan = JSON.parse((await guestbay(['cmdline', 'win11', '--json', '--headless'], t.env)).stdout);
    const a = plan.args.join(' ');
    expect(a).toContain(`file=${join(t.home, 'Win11.iso')},format=raw,media=cdrom`);
    expect(a).toMatch(/file=[^ ]*virtio-win-0\.1\.285\.iso,format=raw,media=cdrom/);
    expect(a).toMatch(/file=[^ ]*\/win11\/Autounattend\.img,format=raw,readonly=on/);
    expect(a).toMatch(/-device tpm-crb,tpmdev=tpm0/);
    expect(a).toMatch(/-global driver=cfi\.pflash01,property=secure,value=on/);
    expect(plan.sidecars.map((s) => s.id)).toContain('swtpm');
    // The password is on the answer disk only.
    expect(await readFile(join(t.env.XDG_DATA_HOME!, 'guestbay/vms/win11/vm.json'), 'utf8')).not.toContain('S3cret');

    // 6. Start: QEMU runs it (QMP answers), and the companion walks through Setup beside it.
    await byId('windows-start').click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('#/guest/win11');
    await expect.poll(() => byId('guest-state-win11').getAttribute('data-state'), { timeout: 90_000 }).toBe('running');
    expect(JSON.parse((await guestbay(['status', 'win11', '--json'], t.env)).stdout)).toMatchObject({ name: 'win11', state: 'running' });
    await expect.poll(() => byId('windows-companion').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await byId('companion-step-boot').getAttribute('data-state')).toBe('current');
    await shots('7-companion');
  }, 400_000);
});
