// "Start with the session, minimised to the tray": an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/guestbay.desktop), which KDE and GNOME both honour.
import { readBoundedText } from '../host/bounded-read';
import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../vm/atomic-file';

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'autostart', 'guestbay.desktop');
}

/**
 * What starts the app again at login: an AppImage's own file (it moves with it); the launcher
 * of a package run by the system Electron (build/arch/PKGBUILD sets GUESTBAY_LAUNCHER, because
 * Electron's own path would start an empty Electron); otherwise the app's own executable.
 */
export function autostartCommand(env: NodeJS.ProcessEnv, execPath: string): string {
  return env.APPIMAGE || env.GUESTBAY_LAUNCHER || execPath;
}

/** The entry's text; `exec` is the app's command (the packaged binary, or a development launcher). */
export function autostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Guestbay',
    'Comment=Keep your guests one click away in the tray',
    // Exec quoting per the Desktop Entry spec: a path with spaces is double-quoted.
    `Exec=${/[\s"'\\$`]/.test(exec) ? `"${exec.replace(/(["`$\\])/g, '\\$1')}"` : exec} --hidden`,
    'Icon=guestbay',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'X-KDE-autostart-after=panel',
    '',
  ].join('\n');
}

export async function setAutostart(enabled: boolean, exec: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = autostartFile(env);
  if (!enabled) return rm(file, { force: true });
  await mkdir(join(file, '..'), { recursive: true });
  await writeFileAtomic(file, autostartEntry(exec), 0o644);
}

export async function isAutostartEnabled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const text = await readBoundedText(autostartFile(env), 64 * 1024).catch(() => '');
  return text.includes('Exec=') && !/^Hidden=true$/m.test(text);
}
