// Issue 17, item 2: the guest tools disk, built for real (mtools, no root) and read back with
// mtools; its systemd mount unit checked by systemd-analyze, its launchd plist read back by
// Python's plistlib, its scripts free of control characters and carrying this guest's shares.
// (PowerShell is not on these machines: the Windows script is checked as text only.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToolsDisk, TOOLS_LABEL } from '../../../src/main/guest-tools/disk';
import { GuestToolsError, toolsFiles } from '../../../src/main/guest-tools/files';
import { installCommand, mountUnit, setupMountLine } from '../../../src/main/guest-tools/linux';
import { launchAgent } from '../../../src/main/guest-tools/macos';
import { isShareMount } from '../../../src/main/guest-tools/service';
import { linuxMountArgs, mountCommand, mountUnitName, systemdEscapePath } from '../../../src/main/guest-tools/shares';
import { psQuote } from '../../../src/main/guest-tools/windows';
import { ESP_START_LBA, SECTOR } from '../../../src/main/macos/disk/gpt';
import { parseProcMounts } from '../../../src/main/qemu/qga/commands';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-tools-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const shares = [
  { tag: 'guestbay', method: 'virtiofs' as const },
  { tag: 'photos-2024', method: '9p' as const },
];

describe('the guest tools disk', () => {
  it('is built without root and its files are listed and read back with mtools', async () => {
    const out = join(dir, 'guest-tools.img');
    const listed = await buildToolsDisk({ guest: 'work-vm', family: 'linux', shares, out });
    const part = `${out}@@${ESP_START_LBA * SECTOR}`;
    const mdir = await execa('mdir', ['-i', part, '-/', '-b', '::/']);
    const files = mdir.stdout.split('\n').map((l) => l.trim().replace(/^::\//, '')).filter((l) => l && !l.endsWith('/')).sort();
    expect(files).toEqual(
      ['README.txt', 'linux/guestbay.mount', 'linux/photos-2024.mount', 'linux/setup.sh', 'macos/install.sh', 'macos/org.guestbay.mount.photos-2024.plist', 'windows/setup.ps1'].sort(),
    );
    expect(listed.length).toBe(files.length);
    const label = await execa('mlabel', ['-i', part, '-s', '::']);
    expect(label.stdout).toContain(TOOLS_LABEL);
    const setup = await execa('mtype', ['-i', part, '::/linux/setup.sh']);
    expect(setup.stdout).toContain('mkdir -p /mnt/guestbay && mount -t virtiofs guestbay /mnt/guestbay');
    expect(setup.stdout).toContain("install -m 0644 \"$here/photos-2024.mount\" /etc/systemd/system/'mnt-photos\\x2d2024.mount'");
    expect(setup.stdout).toContain("systemctl enable --now mnt-guestbay.mount 'mnt-photos\\x2d2024.mount'");
    const readme = await execa('mtype', ['-i', part, '::/README.txt']);
    expect(readme.stdout).toContain('"guestbay" over virtiofs: sudo mkdir -p /mnt/guestbay && sudo mount -t virtiofs guestbay /mnt/guestbay');
  });

  it('names each mount unit as systemd-escape --path does, and the unit passes systemd-analyze verify', async () => {
    for (const p of ['/mnt/guestbay', '/mnt/photos-2024', '/mnt/a_b.c', '/mnt/.hidden']) {
      const want = (await execa('systemd-escape', ['--path', p])).stdout.trim();
      expect(systemdEscapePath(p)).toBe(want);
    }
    const units = join(dir, 'units');
    await execa('mkdir', ['-p', units]);
    for (const s of shares) {
      const u = mountUnit(s);
      expect(u.name).toBe(mountUnitName(s.tag));
      await writeFile(join(units, u.name), u.text);
      // --man=no: no man pages to look up; the unit's own directives and its name are what is checked.
      const r = await execa('systemd-analyze', ['verify', '--man=no', join(units, u.name)], { reject: false });
      expect(r.stderr, `${u.name}\n${u.text}`).toBe('');
      expect(r.exitCode).toBe(0);
    }
    // A wrong name is what systemd-analyze refuses (the check above is not a formality).
    await writeFile(join(units, 'wrong.mount'), mountUnit(shares[0]!).text);
    const bad = await execa('systemd-analyze', ['verify', '--man=no', join(units, 'wrong.mount')], { reject: false });
    expect(bad.exitCode).not.toBe(0);
  });

  it("the mount unit and the setup script's mount line say the same as the guest page's command", () => {
    for (const s of shares) {
      const text = mountUnit(s).text;
      const args = linuxMountArgs(s);
      expect(text).toContain(`What=${s.tag}`);
      expect(text).toContain(`Where=/mnt/${s.tag}`);
      expect(text).toContain(`Type=${args[1]}`);
      expect(mountCommand('linux', s)).toBe(`sudo mkdir -p /mnt/${s.tag} && sudo mount ${args.join(' ')}`);
      expect(setupMountLine(s)).toBe(`mkdir -p /mnt/${s.tag} && mount ${args.join(' ')}`);
    }
  });

  it('the macOS LaunchAgent reads back with a plist parser (Python plistlib)', async () => {
    const a = launchAgent({ tag: 'guestbay', method: '9p' });
    const file = join(dir, a.name);
    await writeFile(file, a.text);
    const py = 'import json, plistlib, sys\nwith open(sys.argv[1], "rb") as f: print(json.dumps(plistlib.load(f)))';
    const r = await execa('python3', ['-c', py, file]);
    const back = JSON.parse(r.stdout) as { Label: string; ProgramArguments: string[]; RunAtLoad: boolean };
    expect(back.Label).toBe('org.guestbay.mount.guestbay');
    expect(back.RunAtLoad).toBe(true);
    expect(back.ProgramArguments.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(back.ProgramArguments[2]).toContain('/sbin/mount_9p guestbay "$HOME/Guestbay"');
    expect(back.ProgramArguments[2]).toContain('mkdir -p "$HOME/Guestbay" && ');
  });

  it('installs the agent with the package manager of each distribution family', () => {
    expect(installCommand('debian')).toEqual(['apt-get', 'install', '-y', 'qemu-guest-agent', 'spice-vdagent']);
    expect(installCommand('fedora')?.[0]).toBe('dnf');
    expect(installCommand('arch')?.[0]).toBe('pacman');
    expect(installCommand('opensuse-tumbleweed')?.[0]).toBe('zypper');
    expect(installCommand('haiku')).toBeUndefined();
    const setup = toolsFiles({ guest: 'g', family: 'linux', shares }).find((f) => f.path === 'linux/setup.sh')!.text;
    for (const m of ['apt-get', 'dnf', 'pacman', 'zypper']) expect(setup).toContain(m);
    expect(setup).toContain('. /etc/os-release');
  });

  it('the Windows script finds the virtio-win disc, installs its tools, WinFsp and the VirtIO-FS service', () => {
    const ps = toolsFiles({ guest: "o'brien", family: 'windows', shares: [{ tag: 'guestbay', method: 'virtiofs' }] }).find((f) => f.path === 'windows/setup.ps1')!.text;
    expect(ps).toContain("virtio-win-guest-tools.exe");
    expect(ps).toContain("FileSystemLabel -like 'virtio-win*'");
    expect(ps).toContain('WinFsp');
    expect(ps).toContain('Start-Service VirtioFsSvc');
    expect(ps).toContain("'o''brien'");
    expect(psQuote("a'b")).toBe("'a''b'");
  });

  it('refuses what would put a control character or a bad tag on the disk', () => {
    expect(() => toolsFiles({ guest: 'bad\u001bname', family: 'linux', shares })).toThrow(GuestToolsError);
    expect(() => toolsFiles({ guest: 'g', family: 'linux', shares: [{ tag: 'a b\n', method: 'virtiofs' }] })).toThrow(/share tag/);
  });
});

describe('a share mounted in the guest', () => {
  it('is found in /proc/self/mounts by its tag and type', () => {
    const mounts = parseProcMounts('rootfs / rootfs rw 0 0\nguestbay /mnt/guest\\040bay virtiofs rw,relatime 0 0\nphotos /mnt/photos 9p rw 0 0\n//10.0.2.4/qemu /mnt/smb cifs rw 0 0\n');
    expect(mounts[1]).toEqual({ name: 'guestbay', mountpoint: '/mnt/guest bay', type: 'virtiofs' });
    expect(mounts.some((m) => isShareMount({ tag: 'guestbay', method: 'virtiofs' }, m))).toBe(true);
    expect(mounts.some((m) => isShareMount({ tag: 'other', method: 'virtiofs' }, m))).toBe(false);
    expect(mounts.some((m) => isShareMount({ tag: 'photos', method: '9p' }, m))).toBe(true);
    expect(mounts.some((m) => isShareMount({ tag: 'guestbay', method: 'smb' }, m))).toBe(true);
    // Windows: the VirtIO-FS drive, as the agent's guest-get-fsinfo names it.
    expect(isShareMount({ tag: 'guestbay', method: 'virtiofs' }, { name: '\\\\?\\Volume{x}\\', mountpoint: 'Z:\\', type: 'VIRTIOFS' })).toBe(true);
  });

  it('gives the one line that mounts it for each OS', () => {
    const g = { tag: 'guestbay', method: 'virtiofs' as const };
    expect(mountCommand('linux', g)).toBe('sudo mkdir -p /mnt/guestbay && sudo mount -t virtiofs guestbay /mnt/guestbay');
    expect(mountCommand('linux', { tag: 'guestbay', method: '9p' })).toBe('sudo mkdir -p /mnt/guestbay && sudo mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 guestbay /mnt/guestbay');
    expect(mountCommand('macos', { tag: 'guestbay', method: '9p' })).toBe('mkdir -p "$HOME/Guestbay" && mount_9p guestbay "$HOME/Guestbay"');
    expect(mountCommand('windows', g)).toBe('Set-Service VirtioFsSvc -StartupType Automatic; Start-Service VirtioFsSvc');
  });
});
