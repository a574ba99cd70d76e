// The guided Windows setup against the real API in-process: the host's findings with the TCG
// acknowledgement, the user's ISO read for its version and editions (and a file that is not an
// ISO refused at its field), where virtio-win comes from and how it is checked, the account
// (passwords compared here, a reserved name refused by the server at its field, nothing
// created), and Microsoft's refusal with the manual download page. The e2e runs it to the end.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Root } from '../../src/renderer/Root';
import { VIRTIO_WIN_PIN } from '../../src/main/download/pins';
import { startFakeMicrosoft, type FakeMicrosoft } from '../helpers/fake-microsoft';
import { ROOT } from '../helpers/cli';
import { buildWindowsIso } from '../helpers/windows-iso';
import { realClient } from './client';

let dir: string;
let ctx: Awaited<ReturnType<typeof realClient>> | undefined;
const win11 = () => join(dir, 'Win11.iso');
const virtio = () => join(dir, 'virtio-win.iso');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-ui-win-'));
  await buildWindowsIso(win11(), { label: 'CCCOMA_X64FRE_EN-US_DV9', wimtools: false, editions: [{ name: 'Windows 11 Home', editionId: 'Core', build: 26100 }, { name: 'Windows 11 Pro', editionId: 'Professional', build: 26100 }] });
  await execa('xorriso', ['-outdev', virtio(), '-volid', 'virtio-win-0.1.285', '-map', join(ROOT, 'docs'), '/docs'], { stdin: 'ignore' });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx?.world.cleanup();
  ctx = undefined;
});

const byId = (id: string) => screen.getByTestId(id);
const isDisabled = (id: string) => (byId(id) as HTMLButtonElement).disabled;
/** Sets a text field at once, as a paste or the file picker does. */
const set = (id: string, value: string) => fireEvent.change(byId(id), { target: { value } });

/** The host step, passed: without KVM only once the warning is acknowledged; without swtpm with the bypass. */
async function passHost(user: ReturnType<typeof userEvent.setup>) {
  const kvm = await screen.findByTestId('windows-finding-windows-kvm', {}, { timeout: 20_000 });
  await waitFor(() => expect(screen.queryByText('Checking…')).toBeNull(), { timeout: 20_000 });
  if (kvm.getAttribute('data-status') !== 'ok') {
    // Said once, in the KVM finding, which carries the tick.
    expect(kvm.textContent).toMatch(/No KVM: Windows will be extremely slow/);
    expect(screen.getAllByText(/No KVM: Windows will be extremely slow/)).toHaveLength(1);
    expect(kvm.contains(byId('windows-allow-tcg'))).toBe(true);
    expect(isDisabled('windows-next')).toBe(true);
    await user.click(byId('windows-allow-tcg'));
  }
  if (screen.queryByTestId('windows-bypass') && isDisabled('windows-next')) {
    await user.click(byId('windows-bypass'));
    await waitFor(() => expect(isDisabled('windows-next')).toBe(false), { timeout: 20_000 });
  }
  for (const id of ['windows-secure-boot', 'windows-disk-size', 'windows-mtools']) {
    const f = screen.queryByTestId(`windows-finding-${id}`);
    if (f) expect(f.getAttribute('data-status')).not.toBe('missing');
  }
  expect(isDisabled('windows-next')).toBe(false);
  await user.click(byId('windows-next'));
}

describe('the guided Windows setup', () => {
  it('reads the ISO, says how virtio-win is checked, and refuses a bad account at its field with nothing created', async () => {
    ctx = await realClient('gb-ui-win-');
    location.hash = '#/new';
    const user = userEvent.setup();
    render(<Root client={ctx.client} />);
    // Entered from the wizard's Windows tiles, for the version of the tile.
    await user.click(await screen.findByTestId('wizard-os-windows-10', {}, { timeout: 20_000 }));
    expect(byId('wizard-windows-note').textContent).toMatch(/Windows 10 can install itself/);
    await user.click(byId('wizard-windows-guided'));
    await waitFor(() => expect(location.hash).toBe('#/new/windows/10'));
    expect((await screen.findByTestId('windows-version-10') as HTMLInputElement).checked).toBe(true);
    await passHost(user);

    // The ISO: a file that is not one is refused at the field; the real one shows its editions, Pro picked.
    expect(byId('windows-step-iso').getAttribute('aria-current')).toBe('step');
    set('windows-iso', join(ROOT, 'package.json'));
    await waitFor(() => expect(byId('windows-iso-error').textContent).toMatch(/is not an ISO image/), { timeout: 20_000 });
    expect(isDisabled('windows-next')).toBe(true);
    set('windows-iso', win11());
    await waitFor(() => expect(byId('windows-iso-info').textContent).toMatch(/Windows 11.*CCCOMA_X64FRE_EN-US_DV9.*install\.wim/), { timeout: 20_000 });
    const editions = byId('windows-edition') as HTMLSelectElement;
    expect([...editions.options].map((o) => o.value)).toEqual(['Windows 11 Home', 'Windows 11 Pro']);
    expect(editions.value).toBe('Windows 11 Pro');
    expect(screen.queryByTestId('windows-iso-error')).toBeNull();
    await user.click(byId('windows-next'));

    // The drivers: the pinned release and its hash, said plainly.
    await waitFor(() => expect(byId('windows-virtio-trust').textContent).toContain(VIRTIO_WIN_PIN.sha256!));
    expect(byId('windows-virtio-trust').textContent).toContain(VIRTIO_WIN_PIN.url);
    await user.click(byId('windows-next'));

    // The account: the two passwords are compared here; the server refuses a name Windows keeps.
    expect(byId('windows-password-note').textContent).toMatch(/written only to the guest’s answer disk.*nowhere else/);
    set('windows-field-user', 'Administrator');
    set('windows-field-password', 'S3cret');
    set('windows-field-password2', 'S3cres');
    expect(byId('windows-password2-error').textContent).toMatch(/The two passwords differ/);
    expect(isDisabled('windows-prepare')).toBe(true);
    set('windows-field-password2', 'S3cret');
    await user.click(byId('windows-prepare'));
    await waitFor(() => expect(byId('windows-user-error').textContent).toMatch(/"Administrator" is an account Windows keeps for itself/), { timeout: 20_000 });
    expect(byId('windows-step-account').getAttribute('aria-current')).toBe('step');
    expect((await readdir(ctx.world.store.paths.vms).catch(() => [])).filter((f) => !f.startsWith('.'))).toEqual([]);
  }, 90_000);

  it("Microsoft's refusal ends the job with the manual download page, and the user's own ISO is one click away", async () => {
    const ms: FakeMicrosoft = await startFakeMicrosoft(Buffer.alloc(4096));
    try {
      ms.refuse = true;
      ctx = await realClient('gb-ui-win-', { windowsSources: { microsoft: ms.hosts, retryDelayMs: 50 } });
      location.hash = '#/new/windows/11';
      const user = userEvent.setup();
      render(<Root client={ctx.client} />);
      await passHost(user);
      await user.click(byId('windows-iso-download').querySelector('input')!);
      expect(byId('windows-iso-download').textContent).toMatch(/Microsoft refuses some networks/);
      await user.click(byId('windows-next'));
      await user.click(byId('windows-drivers-own').querySelector('input')!);
      expect(isDisabled('windows-next')).toBe(true);
      set('windows-virtio', virtio());
      await user.click(byId('windows-next'));
      set('windows-field-user', 'ada');
      set('windows-field-password', 'pw');
      set('windows-field-password2', 'pw');
      await user.click(byId('windows-prepare'));

      await waitFor(() => expect(byId('windows-progress').getAttribute('data-state')).toBe('failed'), { timeout: 30_000 });
      expect(byId('windows-failed').textContent).toMatch(/refused to hand out Windows 11 \(Sentinel marked this request as rejected\.\)/);
      const link = byId('windows-manual-page').querySelector('a')!;
      expect(link.getAttribute('href')).toBe(`${ms.hosts.www}/en-us/software-download/windows11`);
      expect((await readdir(ctx.world.store.paths.vms)).filter((f) => !f.startsWith('.'))).toEqual([]);
      await user.click(byId('windows-use-own-iso'));
      expect(byId('windows-step-iso').getAttribute('aria-current')).toBe('step');
      expect((byId('windows-iso-own').querySelector('input') as HTMLInputElement).checked).toBe(true);
    } finally {
      await ms.stop();
    }
  }, 90_000);
});
