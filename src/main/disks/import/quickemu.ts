// quickemu `.conf` files → ImportDraft. A .conf is a bash fragment quickemu sources; Guestbay
// reads only plain assignments (`key="value"`, `key=("a" "b")`) and refuses anything that would
// need a shell (`$`, backquotes), so importing a file never runs it. Paths are relative to the
// file's folder, where quickemu runs. Keys as quickemu's README and wiki document them.
import { dirname, isAbsolute, join } from 'node:path';
import { parseSize } from '../../../shared/size';
import { ImportError, type ImportDraft } from './draft';

type Values = Map<string, { value: string | string[]; line: number }>;

function unquote(word: string, file: string, line: number): string {
  if (/[`$]/.test(word.replace(/'[^']*'/g, ''))) throw new ImportError(file, `line ${line}`, 'it needs a shell to expand ($ or `); Guestbay reads only plain values');
  if (/^"(.*)"$/.test(word) || /^'(.*)'$/.test(word)) return word.slice(1, -1);
  if (/["'\\]/.test(word)) throw new ImportError(file, `line ${line}`, `cannot read the value ${word}`);
  return word;
}

function words(list: string, file: string, line: number): string[] {
  const out = list.match(/"[^"]*"|'[^']*'|[^\s"']+/g) ?? [];
  return out.map((w) => unquote(w, file, line));
}

export function readQuickemuValues(text: string, file: string): Values {
  const values: Values = new Map();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s || s.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(s);
    if (!m) throw new ImportError(file, `line ${line}`, `"${s.slice(0, 60)}" is not a key="value" line`);
    const [, key, rest] = m as unknown as [string, string, string];
    const v = rest.replace(/\s+#.*$/, '').trim();
    if (v.startsWith('(')) {
      if (!v.endsWith(')')) throw new ImportError(file, `line ${line}`, `the list for ${key} does not end on its line`);
      values.set(key, { value: words(v.slice(1, -1), file, line), line });
    } else values.set(key, { value: unquote(v, file, line), line });
  });
  return values;
}

const KNOWN = new Set(['guest_os', 'disk_img', 'disk_size', 'iso', 'fixed_iso', 'ram', 'cpu_cores', 'port_forwards', 'usb_devices', 'tpm', 'secureboot', 'boot', 'network', 'macaddr', 'public_dir', 'preallocation', 'disk_format']);

export function parseQuickemuConf(text: string, file: string): ImportDraft {
  const v = readQuickemuValues(text, file);
  const str = (k: string) => {
    const e = v.get(k);
    if (e && Array.isArray(e.value)) throw new ImportError(file, k, 'is a list; quickemu expects one value');
    return e?.value as string | undefined;
  };
  const list = (k: string) => {
    const e = v.get(k)?.value;
    return e === undefined ? [] : Array.isArray(e) ? e : [e];
  };
  const here = dirname(file);
  const abs = (p: string) => (isAbsolute(p) ? p : join(here, p));
  const notCarried: string[] = [];

  const guestOs = str('guest_os');
  if (!guestOs) throw new ImportError(file, 'guest_os', 'missing: every quickemu configuration names its guest_os');
  const diskImg = str('disk_img');
  if (!diskImg) throw new ImportError(file, 'disk_img', 'missing: the guest has no disk');

  const tpm = str('tpm') === 'on';
  let os: ImportDraft['os'];
  if (guestOs === 'linux' || guestOs === 'linux_old') os = { family: 'linux', version: 'generic' };
  else if (guestOs === 'windows' || guestOs === 'windows-server') os = { family: 'windows', version: tpm ? '11' : '10' };
  else {
    os = { family: 'other', version: 'generic' };
    notCarried.push(guestOs === 'macos' ? 'guest_os="macos": Guestbay makes Macs with its own setup (guestbay macos prepare); imported as "other"' : `guest_os="${guestOs}": imported as "other" (generic devices)`);
  }

  const boot = str('boot') ?? 'efi';
  if (boot !== 'efi' && boot !== 'legacy') throw new ImportError(file, 'boot', `"${boot}" is neither efi nor legacy`);
  const firmware = boot === 'legacy' ? 'bios' : str('secureboot') === 'on' ? 'uefi-secure' : 'uefi';
  if (boot === 'efi') notCarried.push('the UEFI variables quickemu kept (OVMF_VARS.fd): the guest starts from a fresh store; an installed system is found by the firmware\'s fallback boot path');

  const cores = Number(str('cpu_cores') ?? '2');
  if (!Number.isInteger(cores) || cores < 1) throw new ImportError(file, 'cpu_cores', `"${str('cpu_cores')}" is not a number of cores`);
  let memoryMiB = 4096;
  const ram = str('ram');
  if (ram !== undefined) {
    const r = parseSize(/^\d+$/.test(ram) ? `${ram}G` : ram);
    if (!r.ok) throw new ImportError(file, 'ram', `"${ram}" is not a memory size like 4G`);
    const bytes = r.bytes;
    memoryMiB = Math.round(bytes / 1024 ** 2);
  }

  const portForwards: ImportDraft['network']['portForwards'] = [];
  for (const f of list('port_forwards')) {
    const m = /^(\d{1,5}):(\d{1,5})$/.exec(f);
    if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535 || Number(m[1]) < 1 || Number(m[2]) < 1) throw new ImportError(file, 'port_forwards', `"${f}" is not HOST:GUEST ports`);
    portForwards.push({ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: Number(m[1]), guestPort: Number(m[2]) });
  }
  if (portForwards.length) notCarried.push('port forwards listen on 127.0.0.1 only (quickemu listened on every address): change a forward\'s address to reach it from the network');

  const usb: ImportDraft['usb'] = [];
  for (const u of list('usb_devices')) {
    const m = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(u);
    if (!m) throw new ImportError(file, 'usb_devices', `"${u}" is not VENDOR:PRODUCT (e.g. 046d:082d)`);
    usb.push({ vendorId: m[1]!.toLowerCase(), productId: m[2]!.toLowerCase() });
  }

  const net = str('network');
  const mac = str('macaddr')?.toLowerCase();
  let network: ImportDraft['network'] = { mode: 'user', mac, portForwards };
  if (net === 'none') network = { mode: 'none', portForwards: [] };
  else if (net === 'restrict') notCarried.push('network="restrict" (no way out of the guest): user networking with a way out instead');
  else if (net && /^[A-Za-z0-9_.-]{1,15}$/.test(net)) network = { mode: 'bridge', bridge: net, mac, portForwards: [] };
  else if (net) throw new ImportError(file, 'network', `"${net}" is not none, restrict or a bridge name`);

  const media: ImportDraft['media'] = [];
  const iso = str('iso');
  if (iso) media.push({ path: abs(iso), role: 'install' });
  const fixed = str('fixed_iso');
  if (fixed) media.push({ path: abs(fixed), role: os.family === 'windows' ? 'drivers' : 'install' });

  const shares: ImportDraft['shares'] = [];
  const pub = str('public_dir');
  if (pub) shares.push({ hostPath: abs(pub), tag: 'Public', method: os.family === 'windows' ? 'smb' : 'virtiofs' });

  for (const [k, e] of v) if (!KNOWN.has(k)) notCarried.push(`${k} (line ${e.line}): not a setting Guestbay reads`);

  const diskPath = abs(diskImg);
  return {
    source: 'quickemu',
    name: diskPath.split('/').slice(-2, -1)[0] ?? 'imported',
    os,
    firmware,
    tpm,
    cores,
    memoryMiB,
    machine: 'q35',
    disks: [{ path: diskPath, format: str('disk_format') ?? (/\.(raw|img)$/i.test(diskImg) ? 'raw' : 'qcow2'), bus: 'virtio' }],
    media,
    network,
    shares,
    usb,
    notCarried,
  };
}
