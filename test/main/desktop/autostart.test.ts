import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autostartCommand, autostartFile, isAutostartEnabled, setAutostart } from '../../../src/main/desktop/autostart';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gb-autostart-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

// desktop-file-utils is installed by scripts/setup.sh --test: the check is never skipped.
const validator = '/usr/bin/desktop-file-validate';

describe('autostart', () => {
  it('writes an XDG autostart entry that starts hidden in the tray, and removes it', async () => {
    const env = { HOME: home };
    await setAutostart(true, '/opt/Guestbay/guestbay', env);
    const file = autostartFile(env);
    expect(file).toBe(join(home, '.config/autostart/guestbay.desktop'));
    expect(await readFile(file, 'utf8')).toContain('Exec=/opt/Guestbay/guestbay --hidden');
    expect(await isAutostartEnabled(env)).toBe(true);
    execFileSync(validator, [file]);
    await setAutostart(false, '', env);
    expect(await isAutostartEnabled(env)).toBe(false);
  });

  it('quotes an executable path with spaces as the Desktop Entry spec says', async () => {
    const env = { HOME: home };
    await setAutostart(true, '/home/u/My Apps/Guestbay.AppImage', env);
    expect(await readFile(autostartFile(env), 'utf8')).toContain('Exec="/home/u/My Apps/Guestbay.AppImage" --hidden');
    execFileSync(validator, [autostartFile(env)]);
  });

  it('starts the app the way it was started: the AppImage, the system-Electron launcher, or the app itself', () => {
    expect(autostartCommand({ APPIMAGE: '/home/u/Guestbay.AppImage' }, '/tmp/.mount_x/guestbay-app')).toBe('/home/u/Guestbay.AppImage');
    // The Arch package runs /usr/bin/electron45 on /usr/lib/guestbay: its launcher, not bare Electron.
    expect(autostartCommand({ GUESTBAY_LAUNCHER: '/usr/bin/guestbay-app' }, '/usr/lib/electron45/electron')).toBe('/usr/bin/guestbay-app');
    expect(autostartCommand({}, '/opt/Guestbay/guestbay-app')).toBe('/opt/Guestbay/guestbay-app');
  });
});
