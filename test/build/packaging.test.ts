// Packaging can't run here (no Electron binary), so its inputs are checked instead: the
// electron-builder config against electron-builder's own schema, the Electron fuses, the
// desktop entries with desktop-file-validate, the icons' sizes, and the pacman package's CLI
// launcher and install scripts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8'));

async function validate(c: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  await validateConfiguration(c, new DebugLogger(false));
}

function desktopValidate(text: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'gb-desktop-')), 'guestbay.desktop');
  writeFileSync(file, text);
  execFileSync('/usr/bin/desktop-file-validate', [file]);
}

function parseDesktop(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('packaging', () => {
  it('the electron-builder config passes electron-builder\'s own validation, and a broken one does not', async () => {
    await validate(config);
    await expect(validate({ ...config, pacman: { ...config.pacman, depends: 'qemu' } })).rejects.toThrow();
    await expect(validate({ ...config, linux: { ...config.linux, desktopp: {} } })).rejects.toThrow();
    await expect(validate({ ...config, notAnOption: true })).rejects.toThrow();
  });

  it('builds an AppImage and a pacman package that depends on QEMU and OVMF', () => {
    expect(config.linux.target).toEqual(['AppImage', 'pacman']);
    expect(config.pacman.depends).toEqual(expect.arrayContaining(['qemu-system-x86', 'qemu-img', 'edk2-ovmf']));
  });

  it('the desktop entry passes desktop-file-validate, and the packaged one says the same', () => {
    const text = readFileSync(join(ROOT, 'assets/guestbay.desktop'), 'utf8');
    desktopValidate(text);
    const entry = parseDesktop(text);
    expect(entry.Categories).toBe('System;Emulator;');
    // electron-builder writes the packaged entry from the config: same fields, same values.
    for (const [k, v] of Object.entries(config.linux.desktop.entry as Record<string, string>)) expect(entry[k], k).toBe(v);
    const generated = ['[Desktop Entry]', 'Type=Application', `Exec=/opt/Guestbay/${config.linux.executableName} %U`, 'Icon=guestbay', 'Terminal=false', ...Object.entries(config.linux.desktop.entry).map(([k, v]) => `${k}=${v}`), ''].join('\n');
    desktopValidate(generated);
  });

  it('sets the Electron fuses: no Node mode, no NODE_OPTIONS, no --inspect; encrypted cookies, the app only from its checked asar', async () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // electron-builder 26 knows the key and each fuse (its schema has additionalProperties: false).
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } })).rejects.toThrow();
    // The app is served from guestbay:// (protocol.ts), so file:// needs none of its old privileges.
    expect(readFileSync(join(ROOT, 'src/main/electron/protocol.ts'), 'utf8')).toMatch(/guestbay/);
  });

  it('the pacman package owns its guestbay command; no install script writes one or relies on ELECTRON_RUN_AS_NODE', () => {
    // The launcher is a file of the package (an fpm mapping), run by the system Node.
    // …and the passthrough helper pkexec runs, root's file where the app looks for it first.
    // …and its polkit action, so the password one step asked for is kept for the next (auth_admin_keep).
    expect(config.pacman.fpm).toEqual([
      'build/linux/guestbay=/usr/bin/guestbay',
      'build/linux/guestbay-vfio-helper=/usr/lib/guestbay/guestbay-vfio-helper',
      'build/linux/org.guestbay.vfio-helper.policy=/usr/share/polkit-1/actions/org.guestbay.vfio-helper.policy',
    ]);
    const policy = readFileSync(join(ROOT, 'build/linux/org.guestbay.vfio-helper.policy'), 'utf8');
    expect(policy).toContain('<annotate key="org.freedesktop.policykit.exec.path">/usr/lib/guestbay/guestbay-vfio-helper</annotate>');
    expect(policy).toContain('<allow_active>auth_admin_keep</allow_active>');
    expect(config.pacman.depends).toContain('nodejs');
    const launcher = readFileSync(join(ROOT, 'build/linux/guestbay'), 'utf8');
    expect(statSync(join(ROOT, 'build/linux/guestbay')).mode & 0o111).toBe(0o111);
    const target = /app\.asar\.unpacked\/(\S+)/.exec(launcher)![1]!;
    expect(launcher).toMatch(/^exec \/usr\/bin\/node \/opt\/Guestbay\/resources\/app\.asar\.unpacked\/bin\/guestbay\.mjs "\$@"$/m);
    expect(config.files).toContain(target);
    expect(config.asarUnpack).toEqual(expect.arrayContaining([target, 'dist/cli.cjs', 'bin/load-cli.mjs']));
    for (const script of [config.pacman.afterInstall, config.pacman.afterRemove, 'build/linux/guestbay']) {
      const text = readFileSync(join(ROOT, script), 'utf8');
      const code = text.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');
      expect(code, script).not.toContain('ELECTRON_RUN_AS_NODE');
      // Nothing written or removed under /usr/bin: pacman adds and removes what the package owns.
      expect(code, script).not.toMatch(/\/usr\/bin\/guestbay|>\s*\/usr|rm -f \/usr|ln -s/);
      execFileSync('sh', ['-n', join(ROOT, script)]);
    }
    // What electron-builder's own script did and this one must still do.
    expect(readFileSync(join(ROOT, config.pacman.afterInstall), 'utf8')).toMatch(/chmod 4755 '\/opt\/Guestbay\/chrome-sandbox'/);
  });

  it('ships icons at every size the desktop asks for, and tray icons for each state', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      const png = readFileSync(join(ROOT, `build/icons/${size}x${size}.png`));
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    for (const state of ['idle', 'running', 'busy']) {
      expect(readFileSync(join(ROOT, `assets/tray/${state}.png`)).readUInt32BE(16)).toBe(22);
      expect(readFileSync(join(ROOT, `assets/tray/${state}@2x.png`)).readUInt32BE(16)).toBe(44);
    }
  });
});
