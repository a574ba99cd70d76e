// What the guest tools disk holds, as text, from typed data: the guest's name and OS and the
// shares it has in a run (tag and method). Every part of the disk is here, so a test reads the
// same words the guest gets. No control characters reach a file: refused before anything is made.
import type { OsFamily } from '../../shared/vm-config';
import { controlCharMessage } from '../../shared/control-chars';
import { installScript, launchAgent } from './macos';
import { mountUnit, setupScript as linuxSetup } from './linux';
import { mountCommand, type ToolsShare } from './shares';
import { setupScript as windowsSetup } from './windows';

export interface ToolsInput {
  guest: string;
  family: OsFamily;
  shares: ToolsShare[];
}

export interface ToolsFile {
  /** Its path on the disk, `/`-separated. */
  path: string;
  text: string;
}

export class GuestToolsError extends Error {
  override name = 'GuestToolsError';
}

export function toolsFiles(i: ToolsInput): ToolsFile[] {
  const bad = controlCharMessage(i.guest, 'title');
  if (bad) throw new GuestToolsError(`the guest's name cannot go on the tools disk: ${bad}`);
  for (const s of i.shares) {
    if (!/^[A-Za-z0-9_-]{1,31}$/.test(s.tag)) throw new GuestToolsError(`the share tag "${s.tag}" is not 1–31 letters, digits, "_" or "-"`);
  }
  const files: ToolsFile[] = [{ path: 'README.txt', text: readme(i) }];
  files.push({ path: 'linux/setup.sh', text: linuxSetup(i.guest, i.shares) });
  for (const s of i.shares) {
    const u = mountUnit(s);
    files.push({ path: `linux/${u.file}`, text: u.text });
  }
  const nineP = i.shares.filter((s) => s.method !== 'virtiofs');
  files.push({ path: 'macos/install.sh', text: installScript(i.guest, nineP) });
  for (const s of nineP) {
    const a = launchAgent(s);
    files.push({ path: `macos/${a.name}`, text: a.text });
  }
  files.push({ path: 'windows/setup.ps1', text: windowsSetup(i.guest, i.shares) });
  for (const f of files) {
    // Tabs and line ends are the files' own layout; anything else is a bug to stop here.
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(f.text)) throw new GuestToolsError(`${f.path} would hold a control character`);
  }
  return files;
}

function readme(i: ToolsInput): string {
  const nl = i.family === 'windows' ? '\r\n' : '\n';
  const shareLines = i.shares.length
    ? i.shares.map((s) => `  - "${s.tag}" over ${s.method}: ${mountCommand(i.family === 'other' ? 'linux' : i.family, s)}`)
    : ['  (this guest has no shared folders)'];
  return [
    `Guestbay guest tools for ${i.guest}`,
    '',
    'What this disk sets up in the guest: the host folders Guestbay shares with it, mounted at',
    'every start, and the QEMU guest agent (clean shutdown, addresses, clock after a restore).',
    '',
    'Shared folders of this guest, and the one line that mounts each now:',
    ...shareLines,
    '',
    'Linux:   sudo sh linux/setup.sh',
    '         installs qemu-guest-agent and spice-vdagent (apt, dnf, pacman or zypper, from',
    '         /etc/os-release) and a systemd mount unit per folder (/mnt/<tag>).',
    'macOS:   sh macos/install.sh   (as yourself)',
    '         a LaunchAgent per 9p folder mounts it in your home at login (mount_9p).',
    'Windows: in an administrator PowerShell, with the virtio-win disc inserted too:',
    '         powershell -ExecutionPolicy Bypass -File windows\\setup.ps1',
    '         installs the virtio-win guest tools and qemu-ga, WinFsp, and starts the VirtIO-FS',
    '         service, so the folder appears as a drive letter.',
    '',
    'The disk is made again by Guestbay whenever you insert it, so it matches the guest\'s shares.',
    '',
  ].join(nl);
}
