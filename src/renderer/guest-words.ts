// A guest's settings as sentences for its page: where its screen goes, for every choice.
import { osTraits } from '../shared/os/os-table';
import type { Display, VmConfig } from '../shared/vm-config';

const WINDOW: Record<Display['window'], string> = {
  gtk: 'in QEMU\'s own window (GTK)',
  sdl: 'in QEMU\'s own window (SDL)',
  spice: 'over SPICE on a private socket (open it with remote-viewer)',
};

/** "virtio-vga, with OpenGL"; "no graphics card (serial console only)". */
export function cardWords(d: Pick<Display, 'device' | 'gl'>): string {
  if (d.device === 'none') return 'no graphics card (serial console only)';
  const card = d.device === 'auto' ? 'the card the guest system drives best' : d.device;
  return `${card}${d.gl ? ', with OpenGL' : ''}`;
}

/** "virtio-vga, shown in Guestbay"; "virtio-vga, with OpenGL, in QEMU's own window (GTK)". */
export function displayWords(d: Pick<Display, 'device' | 'viewer' | 'window' | 'gl'>): string {
  if (d.device === 'none') return cardWords(d);
  return `${cardWords(d)}, ${d.viewer === 'guestbay' ? 'shown in Guestbay' : WINDOW[d.window]}`;
}

const CARD: Record<VmConfig['audio']['device'], string> = {
  auto: 'virtio-sound or Intel HDA, whichever the guest drives and QEMU has',
  hda: 'Intel HDA',
  'virtio-sound': 'virtio-sound',
  ac97: 'AC97',
  none: 'none',
};

const SERVER: Record<VmConfig['audio']['backend'], string> = {
  auto: 'the desktop\'s sound server (PipeWire, else PulseAudio)',
  pipewire: 'PipeWire',
  pa: 'PulseAudio',
  alsa: 'ALSA',
  none: 'nowhere (silent)',
};

/** "Intel HDA, played through PipeWire"; "no sound card". */
export function soundWords(a: VmConfig['audio']): string {
  if (a.device === 'none') return 'no sound card';
  return `${CARD[a.device]}, played through ${SERVER[a.backend]}`;
}

/** "Windows 11", "macOS Sonoma", "Linux": the guest system as people name it. */
export function systemName(os: VmConfig['os']): string {
  if (os.family === 'other') return 'Other system';
  return osTraits(os.family, os.version).name;
}

/**
 * What a guest is called on screen: its title when the user gave one, else its own name. A
 * title that only repeats the system ("Linux", the preset's default) is no name: a library of
 * ten "Linux" cards says nothing, so those show their names first.
 */
export function shownName(name: string, config: Pick<VmConfig, 'title' | 'os'> | undefined): string {
  const t = config?.title?.trim();
  if (!t || !config) return name;
  const sys = systemName(config.os).toLowerCase();
  const low = t.toLowerCase();
  return low === sys || sys.includes(low) || low === config.os.family ? name : t;
}
