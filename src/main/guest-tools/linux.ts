// The Linux part of the guest tools disk: a systemd mount unit per share (named as systemd
// requires, by the escaped mount point), and one setup script that installs them and the
// guest's helpers — qemu-guest-agent and spice-vdagent — with the distribution's own package
// manager, found from /etc/os-release. Words that vary are shell-quoted; tags are schema-checked.
import { shellQuote } from '../qemu/shell-quote';
import { linuxMountArgs, linuxMountPoint, linuxMountUnitFields, mountUnitName, type ToolsShare } from './shares';

/**
 * A share's mount unit: `name` is what systemd requires (the escaped mount point), `file` the
 * name it has on the disk — FAT cannot hold the "\\" of an escaped name (mnt-my\\x2dshare.mount),
 * so the disk names it by its tag and the setup script installs it under its real name.
 */
export function mountUnit(s: ToolsShare): { name: string; file: string; text: string } {
  const f = linuxMountUnitFields(s);
  const where = linuxMountPoint(s.tag);
  const text = [
    '# Made by Guestbay (guest tools): mounts the host folder shared as',
    `# "${s.tag}" over ${s.method} at ${where}. Installed by linux/setup.sh.`,
    '[Unit]',
    `Description=Guestbay shared folder ${s.tag} (${s.method})`,
    ...(s.method === 'smb' ? ['Wants=network-online.target', 'After=network-online.target'] : []),
    '',
    '[Mount]',
    `What=${f.what}`,
    `Where=${where}`,
    `Type=${f.type}`,
    `Options=${f.options}`,
    'DirectoryMode=0755',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return { name: mountUnitName(s.tag), file: `${s.tag}.mount`, text };
}

/** Per package manager: how to install the agent and the display helper, non-interactively. */
const INSTALL: { manager: string; ids: string[]; command: string[] }[] = [
  { manager: 'apt-get', ids: ['debian', 'ubuntu', 'linuxmint', 'pop', 'elementary', 'raspbian', 'kali'], command: ['apt-get', 'install', '-y', 'qemu-guest-agent', 'spice-vdagent'] },
  { manager: 'dnf', ids: ['fedora', 'rhel', 'centos', 'rocky', 'almalinux', 'ol'], command: ['dnf', 'install', '-y', 'qemu-guest-agent', 'spice-vdagent'] },
  { manager: 'pacman', ids: ['arch', 'manjaro', 'endeavouros', 'garuda', 'cachyos'], command: ['pacman', '-S', '--needed', '--noconfirm', 'qemu-guest-agent', 'spice-vdagent'] },
  { manager: 'zypper', ids: ['opensuse', 'opensuse-leap', 'opensuse-tumbleweed', 'sles', 'suse'], command: ['zypper', '--non-interactive', 'install', 'qemu-guest-agent', 'spice-vdagent'] },
];

/** The install command for an os-release ID (or an ID_LIKE word); undefined when none fits. */
export function installCommand(id: string): string[] | undefined {
  return INSTALL.find((x) => x.ids.includes(id))?.command;
}

const q = (argv: string[]) => argv.map(shellQuote).join(' ');

/** The script's one mount line for a share, when the guest has no systemd: the same command the guest page shows. */
export function setupMountLine(s: ToolsShare): string {
  return `mkdir -p ${shellQuote(linuxMountPoint(s.tag))} && mount ${q(linuxMountArgs(s))}`;
}

export function setupScript(guest: string, shares: ToolsShare[]): string {
  const units = shares.map((s) => mountUnit(s));
  const lines = [
    '#!/bin/sh',
    `# Guestbay guest tools for ${shellQuote(guest)}: run as root from this disk,`,
    '#   sudo sh /path/to/this/disk/linux/setup.sh',
    '# Installs qemu-guest-agent and spice-vdagent with your distribution\'s package manager,',
    '# and mounts the host\'s shared folders now and at every boot.',
    'set -u',
    'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)',
    'if [ "$(id -u)" != 0 ]; then echo "Run me as root: sudo sh $0" >&2; exit 1; fi',
    '',
    '# Which distribution: its ID, then the families it names in ID_LIKE.',
    'ID= ; ID_LIKE=',
    '[ -r /etc/os-release ] && . /etc/os-release',
    'installed=',
    'for id in $ID $ID_LIKE; do',
    '  [ -n "$installed" ] && break',
    '  case $id in',
    ...INSTALL.map((x) => `  ${x.ids.join(' | ')})\n    ${x.manager === 'apt-get' ? 'apt-get update && ' : ''}${q(x.command)} && installed=${x.manager} ;;`),
    '  esac',
    'done',
    'if [ -z "$installed" ]; then',
    '  echo "Unknown distribution (${ID:-no /etc/os-release}): install qemu-guest-agent and spice-vdagent yourself." >&2',
    'fi',
    '',
    'if [ -d /run/systemd/system ]; then',
    '  systemctl start qemu-guest-agent 2>/dev/null || true',
    ...(units.length
      ? [
          ...units.map((u) => `  install -m 0644 "$here/${u.file}" /etc/systemd/system/${shellQuote(u.name)} || exit 1`),
          '  systemctl daemon-reload',
          `  systemctl enable --now ${units.map((u) => shellQuote(u.name)).join(' ')}`,
        ]
      : ['  : # this guest has no shared folders']),
    'else',
    '  # No systemd: mounted now; add them to /etc/fstab to have them at boot.',
    ...(shares.length ? shares.map((s) => `  ${setupMountLine(s)}`) : ['  :']),
    'fi',
    'echo "Guestbay guest tools: done."',
    '',
  ];
  return lines.join('\n');
}
