// Issue 12 item 22: the Arch package built against Arch's system Electron (build/arch/PKGBUILD),
// as Arch's Electron package guidelines ask. makepkg (Debian's `makepkg` package here) reads it
// the way Arch's tools do: `makepkg --printsrcinfo`, as an unprivileged user, since makepkg
// refuses to run as root.
import { execFileSync } from 'node:child_process';
import { chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

const PKGBUILD = join(ROOT, 'build/arch/PKGBUILD');
const text = readFileSync(PKGBUILD, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'gb-pkgbuild-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function srcinfo(): Record<string, string[]> {
  copyFileSync(PKGBUILD, join(dir, 'PKGBUILD'));
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, 65534, 65534);
  const out = root
    ? execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'makepkg', '--printsrcinfo'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } })
    : execFileSync('makepkg', ['--printsrcinfo'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
  const fields: Record<string, string[]> = {};
  for (const line of out.toString().split('\n')) {
    const m = /^\s*(\w+) = (.*)$/.exec(line);
    if (m) (fields[m[1]!] ??= []).push(m[2]!);
  }
  return fields;
}

describe('build/arch/PKGBUILD', () => {
  it('is read by makepkg, and depends on the system Electron of the app\'s major, not a runtime of its own', () => {
    const info = srcinfo();
    const major = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.electron.split('.')[0];
    expect(info.pkgname).toEqual(['guestbay']);
    expect(info.pkgver).toEqual([JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version]);
    expect(info.arch).toEqual(['any']); // no native code: nothing built for an architecture
    expect(info.depends).toEqual([`electron${major}`, 'nodejs', 'qemu-system-x86', 'qemu-img', 'edk2-ovmf', 'mtools']);
    expect(info.optdepends!.map((o) => o.split(':')[0])).toEqual(['virtiofsd', 'swtpm', 'samba', 'virt-viewer']);
    expect(info.makedepends).toEqual(['git', 'npm']);
    // The same system packages as the electron-builder pacman package, plus the runtime it bundles.
    const builder = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8'));
    expect([...builder.pacman.depends].sort()).toEqual(info.depends!.filter((d) => !d.startsWith('electron')).sort());
  });

  it('installs the app under /usr/lib/guestbay, launchers under /usr/bin, the desktop entry and icons under /usr/share', () => {
    // npm does not download Electron; the system's runs the app folder; Node runs the CLI.
    expect(text).toContain('export ELECTRON_SKIP_BINARY_DOWNLOAD=1');
    expect(text).toMatch(/exec \/usr\/bin\/\$_electron \/usr\/lib\/\$pkgname "\\\$@"/);
    expect(text).toMatch(/exec \/usr\/bin\/node \/usr\/lib\/\$pkgname\/bin\/guestbay\.mjs "\\\$@"/);
    expect(text).toContain('"$pkgdir/usr/bin/guestbay-app"');
    expect(text).toContain('"$pkgdir/usr/bin/guestbay"');
    expect(text).toContain('"$pkgdir/usr/share/applications/guestbay.desktop"');
    expect(text).toContain('"$pkgdir/usr/share/icons/hicolor/${size}x${size}/apps/guestbay.png"');
    const code = text.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');
    expect(code).not.toMatch(/node_modules\/electron|electron-builder/);
    // The desktop entry it installs starts the app through that launcher.
    expect(readFileSync(join(ROOT, 'assets/guestbay.desktop'), 'utf8')).toMatch(/^Exec=guestbay-app %U$/m);
    // Every file package() installs is in the repository or made by build().
    for (const f of ['package.json', 'bin/guestbay.mjs', 'assets/guestbay.desktop', 'assets/icons/guestbay.svg', 'build/icons/512x512.png']) readFileSync(join(ROOT, f));
    for (const s of ['scripts/build-electron.mjs', 'scripts/build-cli.mjs']) expect(text).toContain(`node ${s}`);
  });
});
