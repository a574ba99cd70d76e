// Every architecture alike in the app (issue 21), in Chromium against `guestbay serve`: guests of
// three architectures made by the CLI show in the library with a badge on the emulated ones (ARM,
// RISC-V on this PC) and none on the PC guest, in the grid and the list, and the ARM guest's page
// says why it is slow. Screenshots at 1280×800 and 1920×1080, light and dark, go to docs/screens/.
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestbay, ROOT } from '../helpers/cli';
import { closeApp, openApp, type AppSession, screenshots } from '../helpers/e2e';

const DOCS = join(ROOT, 'docs', 'screens');
let s: AppSession;

beforeAll(async () => {
  mkdirSync(DOCS, { recursive: true });
  s = await openApp('gb-e2e-arches-');
}, 5 * 60_000);
afterAll(() => closeApp(s));

const shots = (name: string) => screenshots(s.page, name);

describe.skipIf(process.arch !== 'x64')('guests of other architectures in the app', () => {
  it('shows an emulated guest\'s architecture on its card, in the list and on its page', async () => {
    const { page, t } = s;
    const iso = join(t.home, 'debian-arm64.iso');
    await writeFile(iso, 'iso');
    for (const [preset, name, title] of [
      ['linux', 'debian', 'Debian 12'],
      ['linux-aarch64', 'debian-arm', 'Debian 12 for ARM'],
      ['linux-riscv64', 'board', 'RISC-V board'],
    ] as const) {
      const r = await guestbay(['create', '--preset', preset, '--name', name, '--disk-size', '1G', '--iso', iso], t.env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect((await guestbay(['set', name, `title=${title}`], t.env)).exitCode).toBe(0);
    }
    await page.goto(s.url);
    const byId = (id: string) => page.getByTestId(id);
    await expect.poll(() => byId('guest-card-board').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await byId('guest-arch-debian-arm').textContent()).toBe('ARM (aarch64)');
    expect(await byId('guest-arch-debian-arm').getAttribute('title')).toMatch(/QEMU emulates every instruction/);
    expect(await byId('guest-arch-board').textContent()).toBe('RISC-V (riscv64)');
    expect(await byId('guest-arch-debian').count()).toBe(0);
    await shots('library-arches');
    await byId('library-view-list').click();
    expect(await byId('guest-arch-debian-arm').textContent()).toBe('ARM (aarch64)');
    await shots('library-arches-list');
    await byId('library-view-grid').click();

    await byId('guest-open-debian-arm').click();
    await expect.poll(() => byId('guest-arch-why').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await byId('guest-arch').textContent()).toBe('ARM (aarch64)');
    expect(await byId('guest-arch-why').textContent()).toMatch(/ARM \(aarch64\) is not this computer’s architecture/);
    await shots('guest-arch-aarch64');
  }, 10 * 60_000);
});
