// QEMU's `help` listings: how to ask for them (listingArgs) and parsers for what comes back. Pure: the tests feed them output saved from QEMU 7.2
// and 10.0. QEMU prints "module … not found" for backends whose package is missing on
// stderr, and leaves them out of stdout, so stdout alone is the list of what works.


export const VERSION_ARGS = ['--version'];

/** `-device help` and the like: the names QEMU has for one kind of thing. */
export function listingArgs(kind: 'accel' | 'device' | 'display' | 'netdev' | 'audiodev' | 'machine' | 'chardev' | 'trace' | 'cpu'): string[] {
  return [`-${kind}`, 'help'];
}

/**
 * The trace event QEMU logs when anything asks it to shut down, with the cause: Guestbay turns it
 * on so a shutdown is recorded in QEMU's own log even when no Guestbay process is watching.
 */
export const SHUTDOWN_TRACE_EVENT = 'qemu_system_shutdown_request';

/** `-trace help`: one event name a line (only with a trace backend that can print them). */
export function hasTraceEvent(text: string, event: string): boolean {
  return text.split('\n').some((l) => l.trim() === event);
}

/** `-device NAME,help`: one device's properties, answered only when it can really be created. */
export function devicePropertiesArgs(device: string): string[] {
  return ['-device', `${device},help`];
}

/** "QEMU emulator version 7.2.22 (Debian …)" → 7.2.22. */
export function parseQemuVersion(text: string): { version: string; major: number; minor: number } | null {
  const m = /version\s+(\d+)\.(\d+)(?:\.(\d+))?/i.exec(text);
  if (!m) return null;
  const version = m[3] === undefined ? `${m[1]}.${m[2]}` : `${m[1]}.${m[2]}.${m[3]}`;
  return { version, major: Number(m[1]), minor: Number(m[2]) };
}

/** `-device help`: lines `name "virtio-net-pci", bus PCI, alias "virtio-net"`. */
export function parseDeviceHelp(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^name "([^"]+)"/gm)) if (m[1]) names.add(m[1]);
  return [...names].sort();
}

/**
 * `-accel/-display/-netdev/-audiodev help`: a header line ending in ':' then one bare name
 * per line, up to the first blank line (QEMU 10's `-display help` adds prose after it).
 */
export function parseNameList(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /:\s*$/.test(l));
  if (start === -1) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const t = line.trim();
    if (!t) break;
    if (/^[\w.-]+$/.test(t)) names.push(t);
  }
  return names;
}

/** Audio backends QEMU has had; used only when `-audiodev help` gives no list. */
const KNOWN_AUDIODEVS = ['none', 'alsa', 'coreaudio', 'dbus', 'dsound', 'jack', 'oss', 'pa', 'pipewire', 'sdl', 'sndio', 'spice', 'wav'];

/**
 * `-audiodev help` has listed drivers under "Available audio drivers:" since QEMU 5; an older
 * or patched binary may print an error or a bare list instead. Then we keep the bare words
 * that are known driver names and that no "module … not found" line rules out.
 */
export function parseAudiodevHelp(stdout: string, stderr: string): string[] {
  const listed = parseNameList(stdout);
  if (listed.length > 0) return listed;
  const missing = new Set([...stderr.matchAll(/module audio-audio-(\w+) not found/g)].map((m) => m[1]));
  const words = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim());
  return KNOWN_AUDIODEVS.filter((d) => words.includes(d) && !missing.has(d));
}

/** `-machine help`: `q35   Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)`. */
export function parseMachineAliases(text: string): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const m of text.matchAll(/^(\S+)\s+.*\(alias of (\S+?)\)\s*$/gm)) {
    if (m[1] && m[2]) aliases[m[1]] = m[2];
  }
  return aliases;
}

/** QEMU's OpenGL display devices (virgl), each in a module of its own on most distributions. */
export const GL_DEVICES = ['virtio-vga-gl', 'virtio-gpu-gl-pci'] as const;

/**
 * `-device NAME,help` lists the device's properties when it can be created; a listed device
 * whose module is missing fails instead ("missing object type 'virtio-gpu-gl-device'"), and
 * so would a start with it.
 */
export function deviceCreatable(r: { exitCode: number | null; stderr: string }): boolean {
  return r.exitCode === 0 && !/missing object type|not a valid device model|not found/i.test(r.stderr);
}

/**
 * `-cpu help` has the `max` model (every feature TCG emulates). Each target prints its own
 * layout ("x86 max  Enables all features…", "  max", "max"), so a line counts when one of its
 * first two words is `max`. QEMU 7.2's riscv64 has none (it came in 8.0).
 */
export function hasMaxCpu(text: string): boolean {
  return text.split('\n').some((l) => l.trim().split(/\s+/).slice(0, 2).includes('max'));
}
