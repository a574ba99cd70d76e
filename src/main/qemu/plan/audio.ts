// Sound: the device the guest has a driver for and QEMU offers, played through the sound
// server that is really running (PipeWire, else PulseAudio, else silence with a warning).
import { opts } from '../qemu-opts';
import { PlanError, type FamilyInput } from './types';

function chooseBackend(i: FamilyInput): string {
  const want = i.config.audio.backend;
  const has = (b: string) => i.qemu.audiodevs.includes(b);
  if (want !== 'auto') {
    if (want !== 'none' && !has(want)) throw new PlanError(`this QEMU has no "${want}" audio backend`, 'audio.backend');
    return want;
  }
  if (has('pipewire') && i.caps.session.pipewire) return 'pipewire';
  if (has('pa') && (i.caps.session.pulse || i.caps.session.pipewire)) return 'pa';
  i.warn('audio-silent', 'No PipeWire or PulseAudio server was found: the guest has a sound card, but you will hear nothing.');
  return 'none';
}

export function addAudio(i: FamilyInput): void {
  const { config, argv } = i;
  let device = config.audio.device;
  if (device === 'none') return;
  // auto: the paravirtual device where the guest has a driver for it (the OS table's answer,
  // not an OS name) and this QEMU has it (8.2+); Intel HDA, which every system drives, otherwise.
  if (device === 'auto') device = i.os.virtioSound && i.hasDevice('virtio-sound-pci') ? 'virtio-sound' : 'hda';
  if (device === 'virtio-sound' && !i.hasDevice('virtio-sound-pci')) {
    i.warn('audio-virtio', 'this QEMU has no virtio-sound (QEMU 8.2+): using Intel HDA instead.');
    device = 'hda';
  }
  if (device === 'virtio-sound' && !i.os.virtioSound) {
    i.warn('audio-driver', 'this guest has no built-in virtio-sound driver.');
  }
  argv.add('-audiodev', opts(chooseBackend(i), { id: 'snd0' }));
  switch (device) {
    case 'hda':
      argv.add('-device', opts(config.machine === 'q35' ? 'ich9-intel-hda' : 'intel-hda', { id: 'hda0' }));
      argv.add('-device', opts('hda-duplex', { bus: 'hda0.0', audiodev: 'snd0' }));
      break;
    case 'ac97':
      argv.add('-device', opts('AC97', { audiodev: 'snd0' }));
      break;
    case 'virtio-sound':
      argv.add('-device', opts('virtio-sound-pci', { audiodev: 'snd0' }));
      break;
  }
}
