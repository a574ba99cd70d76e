// A guest's settings as sentences for its page: where its screen goes, for every backend.
import type { Display, VmConfig } from '../shared/vm-config';

const WHERE: Record<Display['backend'], string> = {
  gtk: 'in its own window (GTK)',
  sdl: 'in its own window (SDL)',
  spice: 'over SPICE on a private socket (open it with remote-viewer)',
  vnc: 'on a private VNC socket (open it with remote-viewer)',
  none: 'with no screen shown (headless)',
};

/** "virtio-vga, in its own window (GTK), with OpenGL". */
export function displayWords(d: Pick<Display, 'device' | 'backend' | 'gl'>): string {
  if (d.device === 'none') return 'no graphics card (serial console only)';
  const card = d.device === 'auto' ? 'the card the guest system drives best' : d.device;
  return `${card}, ${WHERE[d.backend]}${d.gl ? ', with OpenGL' : ''}`;
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
