// The per-guest autounattend.xml Windows Setup finds on the answer disk: every pass and
// component issue 20 lists, built as a DOM with @xmldom/xmldom and serialised by it, so the
// user's account name, password and the edition's name are escaped by the serializer and never
// pasted into markup. The password is kept as Windows' own answer-file encoding (names.ts:
// base64, not encryption), and only on the answer disk.
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import type { WindowsLocale } from './host-locale';
import { encodeUnattendPassword } from './names';

export const UNATTEND_NS = 'urn:schemas-microsoft-com:unattend';
const WCM_NS = 'http://schemas.microsoft.com/WMIConfig/2002/State';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** The virtio-win folders whose drivers Setup loads, and what each drives. */
export const VIRTIO_DRIVER_FOLDERS = ['viostor', 'vioscsi', 'NetKVM', 'Balloon', 'viofs', 'vioserial'] as const;
/**
 * Letters the virtio-win disc may get in Windows PE (the install disc takes the first, the
 * answer disk one more): Setup skips a listed path that does not exist.
 */
export const DRIVE_LETTERS = ['D', 'E', 'F', 'G'] as const;

export interface AnswerFileInput {
  version: '10' | '11';
  /** The image's name in install.wim, e.g. "Windows 11 Pro" (InstallFrom /IMAGE/NAME). */
  edition: string;
  computerName: string;
  user: string;
  password: string;
  locale: WindowsLocale;
  /** Only when the user asks (a host without swtpm): Setup's TPM / Secure Boot / RAM checks skipped. */
  bypassRequirements: boolean;
  /** The Guestbay shared folder, mounted as a drive letter at first logon. */
  share?: { method: 'smb' | 'virtiofs'; letter: string };
}

/** virtio-win's folder name for a Windows version: w10, w11. */
export function virtioFolder(version: '10' | '11'): string {
  return `w${version}`;
}

type Document = ReturnType<DOMImplementation['createDocument']>;
type Element = ReturnType<Document['createElementNS']>;

class Builder {
  readonly doc: Document;
  constructor() {
    this.doc = new DOMImplementation().createDocument(UNATTEND_NS, 'unattend', null);
  }
  el(parent: Element, name: string, text?: string, attrs: Record<string, string> = {}): Element {
    const e = this.doc.createElementNS(UNATTEND_NS, name);
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith('wcm:')) e.setAttributeNS(WCM_NS, k, v);
      else e.setAttribute(k, v);
    }
    // A text node: the serializer escapes &, <, > and quotes; nothing here is markup.
    if (text !== undefined) e.appendChild(this.doc.createTextNode(text));
    parent.appendChild(e);
    return e;
  }
  settings(pass: string): Element {
    return this.el(this.doc.documentElement!, 'settings', undefined, { pass });
  }
  component(settings: Element, name: string): Element {
    const c = this.el(settings, 'component', undefined, {
      name,
      processorArchitecture: 'amd64',
      publicKeyToken: '31bf3856ad364e35',
      language: 'neutral',
      versionScope: 'nonSxS',
    });
    c.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wcm', WCM_NS);
    c.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:xsi', XSI_NS);
    return c;
  }
}

function add(b: Builder, parent: Element, name: string, key?: string): Element {
  return b.el(parent, name, undefined, key === undefined ? { 'wcm:action': 'add' } : { 'wcm:action': 'add', 'wcm:keyValue': key });
}

function commands(b: Builder, list: Element, element: string, lines: { path: string; what: string }[], pathTag = 'Path'): void {
  lines.forEach((c, i) => {
    const cmd = add(b, list, element);
    b.el(cmd, 'Order', String(i + 1));
    b.el(cmd, pathTag, c.path);
    b.el(cmd, 'Description', c.what);
  });
}

/** Commands at first logon: the guest tools, qemu-ga, the shared folder. */
export function firstLogonCommands(i: AnswerFileInput): { path: string; what: string }[] {
  const letters = DRIVE_LETTERS.join(' ');
  const onDisc = (file: string, run: string) => `cmd /c for %d in (${letters}) do @if exist %d:\\${file} ${run}`;
  const out = [
    { path: onDisc('virtio-win-guest-tools.exe', 'start "" /wait %d:\\virtio-win-guest-tools.exe /install /passive /norestart'), what: 'virtio-win guest tools (drivers, SPICE and balloon services)' },
    { path: onDisc('guest-agent\\qemu-ga-x86_64.msi', 'msiexec /i %d:\\guest-agent\\qemu-ga-x86_64.msi /qn /norestart'), what: 'QEMU guest agent (qemu-ga)' },
  ];
  if (i.share?.method === 'smb') {
    out.push({ path: `cmd /c net use ${i.share.letter}: \\\\10.0.2.4\\qemu /persistent:yes`, what: `Guestbay shared folder as ${i.share.letter}:` });
  } else if (i.share?.method === 'virtiofs') {
    // virtio-fs mounts as the first free letter from Z down once its service runs (WinFsp needed).
    out.push({ path: 'cmd /c sc config VirtioFsSvc start= auto && sc start VirtioFsSvc', what: `Guestbay shared folder (virtio-fs, as ${i.share.letter}:; needs WinFsp)` });
  }
  return out;
}

export function buildAnswerFile(i: AnswerFileInput): string {
  const b = new Builder();

  // windowsPE: Setup's own language, the virtio drivers, the disk, the image, the licence.
  const pe = b.settings('windowsPE');
  const peIntl = b.component(pe, 'Microsoft-Windows-International-Core-WinPE');
  b.el(b.el(peIntl, 'SetupUILanguage'), 'UILanguage', i.locale.language);
  b.el(peIntl, 'InputLocale', i.locale.inputLocale);
  b.el(peIntl, 'SystemLocale', i.locale.language);
  b.el(peIntl, 'UILanguage', i.locale.language);
  b.el(peIntl, 'UserLocale', i.locale.language);

  const pnp = b.component(pe, 'Microsoft-Windows-PnpCustomizationsWinPE');
  const paths = b.el(pnp, 'DriverPaths');
  let key = 0;
  for (const letter of DRIVE_LETTERS) {
    for (const folder of VIRTIO_DRIVER_FOLDERS) {
      const p = add(b, paths, 'PathAndCredentials', String(++key));
      b.el(p, 'Path', `${letter}:\\${folder}\\${virtioFolder(i.version)}\\amd64`);
    }
  }

  const setup = b.component(pe, 'Microsoft-Windows-Setup');
  const disks = b.el(setup, 'DiskConfiguration');
  const disk = add(b, disks, 'Disk');
  b.el(disk, 'DiskID', '0');
  b.el(disk, 'WillWipeDisk', 'true');
  const create = b.el(disk, 'CreatePartitions');
  const part = (order: number, type: string, size?: number) => {
    const p = add(b, create, 'CreatePartition');
    b.el(p, 'Order', String(order));
    b.el(p, 'Type', type);
    if (size === undefined) b.el(p, 'Extend', 'true');
    else b.el(p, 'Size', String(size));
  };
  part(1, 'EFI', 300);
  part(2, 'MSR', 16);
  part(3, 'Primary');
  const modify = b.el(disk, 'ModifyPartitions');
  const mod = (order: number, id: number, fields: [string, string][]) => {
    const m = add(b, modify, 'ModifyPartition');
    b.el(m, 'Order', String(order));
    b.el(m, 'PartitionID', String(id));
    for (const [k, v] of fields) b.el(m, k, v);
  };
  mod(1, 1, [['Format', 'FAT32'], ['Label', 'System']]);
  mod(2, 2, []);
  mod(3, 3, [['Format', 'NTFS'], ['Label', 'Windows'], ['Letter', 'C']]);

  const image = b.el(b.el(setup, 'ImageInstall'), 'OSImage');
  const to = b.el(image, 'InstallTo');
  b.el(to, 'DiskID', '0');
  b.el(to, 'PartitionID', '3');
  const meta = add(b, b.el(image, 'InstallFrom'), 'MetaData');
  b.el(meta, 'Key', '/IMAGE/NAME');
  b.el(meta, 'Value', i.edition);
  b.el(image, 'WillShowUI', 'OnError');
  const user = b.el(setup, 'UserData');
  b.el(user, 'AcceptEula', 'true');
  if (i.bypassRequirements) {
    // Asked for by the user (no swtpm on this host): Windows 11 Setup's LabConfig checks off.
    const run = b.el(setup, 'RunSynchronous');
    const checks = ['BypassTPMCheck', 'BypassSecureBootCheck', 'BypassRAMCheck'];
    checks.forEach((c, n) => {
      const cmd = add(b, run, 'RunSynchronousCommand');
      b.el(cmd, 'Order', String(n + 1));
      b.el(cmd, 'Path', `reg add HKLM\\SYSTEM\\Setup\\LabConfig /v ${c} /t REG_DWORD /d 1 /f`);
    });
  }

  // specialize: the computer's name and clock; a local account allowed without the network.
  const sp = b.settings('specialize');
  const spShell = b.component(sp, 'Microsoft-Windows-Shell-Setup');
  b.el(spShell, 'ComputerName', i.computerName);
  b.el(spShell, 'TimeZone', i.locale.timeZone);
  const deploy = b.component(sp, 'Microsoft-Windows-Deployment');
  const run = b.el(deploy, 'RunSynchronous');
  const bypass = add(b, run, 'RunSynchronousCommand');
  b.el(bypass, 'Order', '1');
  b.el(bypass, 'Path', 'reg add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\OOBE /v BypassNRO /t REG_DWORD /d 1 /f');
  b.el(bypass, 'Description', 'a local account, no Microsoft account or network needed');

  // oobeSystem: the user's language, no online account, the local account, one automatic logon.
  const oobe = b.settings('oobeSystem');
  const intl = b.component(oobe, 'Microsoft-Windows-International-Core');
  b.el(intl, 'InputLocale', i.locale.inputLocale);
  b.el(intl, 'SystemLocale', i.locale.language);
  b.el(intl, 'UILanguage', i.locale.language);
  b.el(intl, 'UserLocale', i.locale.language);
  const shell = b.component(oobe, 'Microsoft-Windows-Shell-Setup');
  const o = b.el(shell, 'OOBE');
  b.el(o, 'HideEULAPage', 'true');
  b.el(o, 'HideOnlineAccountScreens', 'true');
  b.el(o, 'HideWirelessSetupInOOBE', 'true');
  b.el(o, 'ProtectYourPC', '3');
  const local = b.el(b.el(shell, 'UserAccounts'), 'LocalAccounts');
  const acct = add(b, local, 'LocalAccount');
  const pw = b.el(acct, 'Password');
  b.el(pw, 'Value', encodeUnattendPassword(i.password));
  b.el(pw, 'PlainText', 'false');
  b.el(acct, 'Name', i.user);
  b.el(acct, 'DisplayName', i.user);
  b.el(acct, 'Group', 'Administrators');
  const auto = b.el(shell, 'AutoLogon');
  b.el(auto, 'Username', i.user);
  b.el(auto, 'Enabled', 'true');
  b.el(auto, 'LogonCount', '1');
  const apw = b.el(auto, 'Password');
  b.el(apw, 'Value', encodeUnattendPassword(i.password));
  b.el(apw, 'PlainText', 'false');
  commands(b, b.el(shell, 'FirstLogonCommands'), 'SynchronousCommand', firstLogonCommands(i), 'CommandLine');
  b.el(shell, 'TimeZone', i.locale.timeZone);

  return `<?xml version="1.0" encoding="utf-8"?>\n${new XMLSerializer().serializeToString(b.doc)}\n`;
}
