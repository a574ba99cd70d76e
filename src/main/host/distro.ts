// The distribution decides which package command a finding suggests.
import type { HostCaps } from '../../shared/host-caps';
import { readText } from './files';
import type { ProbeContext } from './options';

export type Distro = HostCaps['distro'];

/** os-release(5): KEY=value, values optionally quoted with shell-style escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m?.[1] || m[2] === undefined) continue;
    let v = m[2];
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    out[m[1]] = v;
  }
  return out;
}

const FAMILIES: [Distro['family'], string[]][] = [
  ['arch', ['arch', 'manjaro', 'endeavouros', 'garuda', 'cachyos', 'artix']],
  ['debian', ['debian', 'ubuntu', 'linuxmint', 'pop', 'raspbian']],
  ['fedora', ['fedora', 'rhel', 'centos', 'rocky', 'almalinux', 'nobara']],
];

export function distroFromOsRelease(fields: Record<string, string>): Distro {
  const id = fields.ID ?? 'linux';
  // ID first: Manjaro says ID_LIKE=arch, but Ubuntu says ID_LIKE=debian too, and both are right.
  const ids = [id, ...(fields.ID_LIKE ?? '').split(/\s+/)].filter(Boolean);
  const family = ids.map((i) => FAMILIES.find(([, members]) => members.includes(i))?.[0]).find(Boolean) ?? 'other';
  return { id, name: fields.PRETTY_NAME ?? fields.NAME ?? id, family };
}

export async function probeDistro(ctx: ProbeContext): Promise<Distro> {
  const text = (await readText(ctx.host('/etc/os-release'))) ?? (await readText(ctx.host('/usr/lib/os-release'))) ?? '';
  return distroFromOsRelease(parseOsRelease(text));
}
