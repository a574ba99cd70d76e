// Packaging can't run here (no Electron binary), so its inputs are checked instead: the
// electron-builder config against electron-builder's own schema, the desktop entries with
// desktop-file-validate, the icons' sizes, and the pacman hooks that put the CLI on PATH.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('puts the guestbay CLI on PATH in the pacman package, pointing at files that are packed and unpacked', () => {
    const hook = readFileSync(join(ROOT, config.pacman.afterInstall), 'utf8');
    expect(hook).toContain('/usr/bin/guestbay');
    expect(hook).toContain(`/opt/Guestbay/${config.linux.executableName}`);
    expect(hook).toContain('ELECTRON_RUN_AS_NODE=1');
    const target = /app\.asar\.unpacked\/(\S+?)'/.exec(hook)![1]!;
    expect(config.files).toContain(target);
    expect(config.asarUnpack).toEqual(expect.arrayContaining([target, 'dist/cli.mjs']));
    expect(readFileSync(join(ROOT, config.pacman.afterRemove), 'utf8')).toContain('rm -f /usr/bin/guestbay');
    execFileSync('sh', ['-n', join(ROOT, config.pacman.afterInstall)]);
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
