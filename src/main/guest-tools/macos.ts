// The macOS part of the guest tools disk: per share, a LaunchAgent that mounts its 9p tag at a
// folder in the user's home when the user logs in (mount_9p), and a script that installs them
// into ~/Library/LaunchAgents and loads them. The plist is written by the same writer as
// OpenCore's config (escaped XML); the command it runs holds only schema-checked tags.
import { plistXml } from '../macos/opencore/plist-xml';
import { shellQuote } from '../qemu/shell-quote';
import { macosFolderName, type ToolsShare } from './shares';

export const LABEL_PREFIX = 'org.guestbay.mount.';

export function launchAgent(s: ToolsShare): { name: string; label: string; text: string } {
  const label = `${LABEL_PREFIX}${s.tag}`;
  const dir = `$HOME/${macosFolderName(s.tag)}`;
  const mount = s.method === 'smb' ? `/sbin/mount_smbfs //guest@10.0.2.4/qemu "${dir}"` : `/sbin/mount_9p ${s.tag} "${dir}"`;
  const text = plistXml({
    Label: label,
    // A login shell's $HOME is the user's; the folder is made first, and an already mounted
    // folder is left alone (mount would fail on it).
    ProgramArguments: ['/bin/sh', '-c', `mkdir -p "${dir}" && { /sbin/mount | grep -qF " on ${dir} " || ${mount}; }`],
    RunAtLoad: true,
    StandardErrorPath: `/tmp/${label}.log`,
  });
  return { name: `${label}.plist`, label, text };
}

export function installScript(guest: string, shares: ToolsShare[]): string {
  const agents = shares.map(launchAgent);
  return [
    '#!/bin/sh',
    `# Guestbay guest tools for ${shellQuote(guest)} (macOS): run as yourself, not root:`,
    '#   sh /Volumes/GUESTTOOLS/macos/install.sh',
    '# Installs a LaunchAgent per shared folder, which mounts it in your home at every login.',
    'set -eu',
    'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)',
    'mkdir -p "$HOME/Library/LaunchAgents"',
    ...agents.flatMap((a) => [
      `cp "$here/${a.name}" "$HOME/Library/LaunchAgents/${a.name}"`,
      `launchctl unload "$HOME/Library/LaunchAgents/${a.name}" 2>/dev/null || true`,
      `launchctl load "$HOME/Library/LaunchAgents/${a.name}"`,
    ]),
    'echo "Guestbay guest tools: done."',
    '',
  ].join('\n');
}
