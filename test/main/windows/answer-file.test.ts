// Issue 20's answer files for Windows 10 and 11, read back with an XML parser: every pass and
// component Setup needs, the user's input escaped (not markup), the password in Windows' own
// encoding only, the requirement bypass only when asked; and the answer disk listed by mtools.
import { DOMParser } from '@xmldom/xmldom';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAnswerFile, UNATTEND_NS, type AnswerFileInput } from '../../../src/main/windows/unattend/answer-file';
import { windowsLocaleFrom } from '../../../src/main/windows/unattend/host-locale';
import { computerNameFrom, encodeUnattendPassword, userNameProblem } from '../../../src/main/windows/unattend/names';
import { buildAnswerDisk } from '../../../src/main/windows/answer-disk';
import { readFatFile } from '../../../src/main/macos/disk/fat-disk';
import { ESP_START_LBA, SECTOR } from '../../../src/main/macos/disk/gpt';

type El = ReturnType<ReturnType<DOMParser['parseFromString']>['getElementsByTagNameNS']>[number];

const input = (version: '10' | '11', over: Partial<AnswerFileInput> = {}): AnswerFileInput => ({
  version,
  edition: `Windows ${version} Pro`,
  computerName: computerNameFrom(`win${version}`),
  user: 'Ada & <Bob>',
  password: 'p"ss<&>wörd',
  locale: windowsLocaleFrom('de_DE.UTF-8', 'Europe/Berlin'),
  bypassRequirements: false,
  share: { method: 'smb', letter: 'Z' },
  ...over,
});

function parse(xml: string) {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: (m) => errors.push(m), error: (m) => errors.push(m), fatalError: (m) => errors.push(m) } }).parseFromString(xml, 'text/xml');
  expect(errors).toEqual([]);
  expect(doc.documentElement!.namespaceURI).toBe(UNATTEND_NS);
  const kids = (e: El, name: string) => Array.from(e.childNodes).filter((n) => (n as El).localName === name) as El[];
  const one = (e: El, path: string): El => {
    let cur = e;
    for (const p of path.split('/')) {
      const k = kids(cur, p);
      expect(k.length, `${p} under ${cur.localName}`).toBe(1);
      cur = k[0]!;
    }
    return cur;
  };
  const text = (e: El, path: string) => one(e, path).textContent;
  const pass = (name: string) => {
    const s = kids(doc.documentElement as El, 'settings').filter((x) => x.getAttribute('pass') === name);
    expect(s).toHaveLength(1);
    return s[0]!;
  };
  const component = (p: string, name: string) => {
    const c = kids(pass(p), 'component').filter((x) => x.getAttribute('name') === name);
    expect(c, `${name} in ${p}`).toHaveLength(1);
    expect(c[0]!.getAttribute('processorArchitecture')).toBe('amd64');
    return c[0]!;
  };
  return { doc, kids, one, text, pass, component };
}

describe('autounattend.xml', () => {
  for (const version of ['10', '11'] as const) {
    it(`Windows ${version}: every pass and component, read back with an XML parser`, () => {
      const x = parse(buildAnswerFile(input(version)));
      expect(Array.from(x.kids(x.doc.documentElement as El, 'settings')).map((s) => s.getAttribute('pass'))).toEqual(['windowsPE', 'specialize', 'oobeSystem']);

      const peIntl = x.component('windowsPE', 'Microsoft-Windows-International-Core-WinPE');
      expect(x.text(peIntl, 'SetupUILanguage/UILanguage')).toBe('de-DE');
      expect(x.text(peIntl, 'InputLocale')).toBe('0407:00000407');
      for (const f of ['SystemLocale', 'UILanguage', 'UserLocale']) expect(x.text(peIntl, f)).toBe('de-DE');

      const pnp = x.component('windowsPE', 'Microsoft-Windows-PnpCustomizationsWinPE');
      const paths = x.kids(x.one(pnp, 'DriverPaths'), 'PathAndCredentials').map((p) => x.text(p, 'Path'));
      for (const d of ['viostor', 'NetKVM', 'Balloon', 'viofs']) expect(paths).toContain(`E:\\${d}\\w${version}\\amd64`);
      expect(paths.every((p) => p!.includes(`\\w${version}\\amd64`))).toBe(true);

      const setup = x.component('windowsPE', 'Microsoft-Windows-Setup');
      const disk = x.one(setup, 'DiskConfiguration/Disk');
      expect(x.text(disk, 'DiskID')).toBe('0');
      expect(x.text(disk, 'WillWipeDisk')).toBe('true');
      expect(x.kids(x.one(disk, 'CreatePartitions'), 'CreatePartition').map((p) => x.text(p, 'Type'))).toEqual(['EFI', 'MSR', 'Primary']);
      const mods = x.kids(x.one(disk, 'ModifyPartitions'), 'ModifyPartition');
      expect(mods.map((m) => x.kids(m, 'Format')[0]?.textContent ?? null)).toEqual(['FAT32', null, 'NTFS']);
      const image = x.one(setup, 'ImageInstall/OSImage');
      expect([x.text(image, 'InstallTo/DiskID'), x.text(image, 'InstallTo/PartitionID')]).toEqual(['0', '3']);
      expect(x.text(image, 'InstallFrom/MetaData/Key')).toBe('/IMAGE/NAME');
      expect(x.text(image, 'InstallFrom/MetaData/Value')).toBe(`Windows ${version} Pro`);
      expect(x.text(setup, 'UserData/AcceptEula')).toBe('true');
      expect(x.kids(setup, 'RunSynchronous')).toEqual([]);

      const spShell = x.component('specialize', 'Microsoft-Windows-Shell-Setup');
      expect(x.text(spShell, 'ComputerName')).toBe(`WIN${version}`);
      expect(x.text(spShell, 'TimeZone')).toBe('W. Europe Standard Time');
      const deploy = x.component('specialize', 'Microsoft-Windows-Deployment');
      expect(x.text(deploy, 'RunSynchronous/RunSynchronousCommand/Path')).toMatch(/OOBE \/v BypassNRO/);

      const intl = x.component('oobeSystem', 'Microsoft-Windows-International-Core');
      expect(x.text(intl, 'InputLocale')).toBe('0407:00000407');
      const shell = x.component('oobeSystem', 'Microsoft-Windows-Shell-Setup');
      expect(x.text(shell, 'OOBE/HideEULAPage')).toBe('true');
      expect(x.text(shell, 'OOBE/HideOnlineAccountScreens')).toBe('true');
      expect(x.text(shell, 'OOBE/ProtectYourPC')).toBe('3');
      const acct = x.one(shell, 'UserAccounts/LocalAccounts/LocalAccount');
      // The user's text comes back as text: escaped on the way out, not markup.
      expect(x.text(acct, 'Name')).toBe('Ada & <Bob>');
      expect(x.text(acct, 'Group')).toBe('Administrators');
      expect(x.text(acct, 'Password/PlainText')).toBe('false');
      expect(x.text(acct, 'Password/Value')).toBe(encodeUnattendPassword('p"ss<&>wörd'));
      expect(Buffer.from(x.text(acct, 'Password/Value')!, 'base64').toString('utf16le')).toBe('p"ss<&>wördPassword');
      expect(x.text(shell, 'AutoLogon/LogonCount')).toBe('1');
      expect(x.text(shell, 'AutoLogon/Username')).toBe('Ada & <Bob>');
      const cmds = x.kids(x.one(shell, 'FirstLogonCommands'), 'SynchronousCommand').map((c) => x.text(c, 'CommandLine'));
      expect(cmds[0]).toMatch(/virtio-win-guest-tools\.exe \/install/);
      expect(cmds[1]).toMatch(/qemu-ga-x86_64\.msi \/qn/);
      expect(cmds[2]).toBe('cmd /c net use Z: \\\\10.0.2.4\\qemu /persistent:yes');
    });
  }

  it('the password is never in the file as plain text; the bypass only when asked', () => {
    const xml = buildAnswerFile(input('11', { password: 'correct horse battery' }));
    expect(xml).not.toContain('correct horse');
    expect(xml).not.toContain('LabConfig');
    const x = parse(buildAnswerFile(input('11', { bypassRequirements: true })));
    const run = x.one(x.component('windowsPE', 'Microsoft-Windows-Setup'), 'RunSynchronous');
    expect(x.kids(run, 'RunSynchronousCommand').map((c) => x.text(c, 'Path'))).toEqual([
      'reg add HKLM\\SYSTEM\\Setup\\LabConfig /v BypassTPMCheck /t REG_DWORD /d 1 /f',
      'reg add HKLM\\SYSTEM\\Setup\\LabConfig /v BypassSecureBootCheck /t REG_DWORD /d 1 /f',
      'reg add HKLM\\SYSTEM\\Setup\\LabConfig /v BypassRAMCheck /t REG_DWORD /d 1 /f',
    ]);
  });
});

describe('names and the host locale', () => {
  it('computer names follow NetBIOS rules', () => {
    expect(computerNameFrom('my-windows-11-guest-for-work')).toBe('MY-WINDOWS-11-G');
    expect(computerNameFrom('win_11.test')).toBe('WIN-11-TEST');
    expect(computerNameFrom('12345')).toBe('PC-12345');
    expect(computerNameFrom('-x-')).toBe('X');
    expect(computerNameFrom('___')).toBe('GUESTBAY');
    expect(computerNameFrom('abcdefghijklmno-pq')).toBe('ABCDEFGHIJKLMNO');
  });
  it('account names Windows refuses are field errors', () => {
    expect(userNameProblem('ada')).toBeNull();
    expect(userNameProblem('')).toMatch(/needed/);
    expect(userNameProblem('a/b')).toMatch(/cannot contain/);
    expect(userNameProblem('Administrator')).toMatch(/keeps for itself/);
    expect(userNameProblem('x'.repeat(21))).toMatch(/at most 20/);
  });
  it('maps the host locale and time zone, and says when it falls back', () => {
    expect(windowsLocaleFrom('fr_CA.UTF-8', 'America/Toronto')).toMatchObject({ language: 'fr-CA', inputLocale: '0c0c:00001009', timeZone: 'Eastern Standard Time' });
    expect(windowsLocaleFrom('en_GB.UTF-8', 'Europe/London')).toMatchObject({ language: 'en-GB', inputLocale: '0809:00000809', timeZone: 'GMT Standard Time' });
    const c = windowsLocaleFrom('C.UTF-8', 'Mars/Olympus');
    expect(c).toMatchObject({ language: 'en-US', inputLocale: '0409:00000409', timeZone: 'UTC' });
    expect(c.from.timeZone).toMatch(/no Windows mapping/);
  });
});

describe('the answer disk', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  it('is a FAT disk built without root whose files mtools lists: autounattend.xml at the root', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gb-answer-'));
    const xml = buildAnswerFile(input('11'));
    const out = join(dir, 'Autounattend.img');
    expect(await buildAnswerDisk({ xml, out })).toEqual(['autounattend.xml']);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const mdir = await execa('mdir', ['-i', `${out}@@${ESP_START_LBA * SECTOR}`, '-b', '-/', '::/'], { env: { MTOOLS_SKIP_CHECK: '1' } });
    expect(mdir.stdout.trim().split('\n')).toEqual(['::/autounattend.xml']);
    const label = await execa('mlabel', ['-i', `${out}@@${ESP_START_LBA * SECTOR}`, '-s', '::'], { env: { MTOOLS_SKIP_CHECK: '1' } });
    expect(label.stdout).toMatch(/UNATTEND/);
    expect((await readFatFile({ disk: out, format: 'raw', path: 'autounattend.xml' })).toString('utf8')).toBe(xml);
  });
});
