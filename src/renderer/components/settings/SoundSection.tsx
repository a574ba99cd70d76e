// The sound card and where its sound goes on this computer; choices this QEMU cannot run say why.
import type { VmConfig } from '../../../shared/vm-config';
import { soundWords } from '../../guest-words';
import { useApp } from '../../store';
import { described, Field } from '../Field';
import { optionsOf, SOUND_BACKEND_CHOICES, SOUND_CHOICES } from './labels';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';

type Draft = { device: VmConfig['audio']['device']; backend: VmConfig['audio']['backend'] };

export function SoundSection() {
  const host = useApp((s) => s.host);
  const s = useSection<Draft>({
    from: (c) => ({ device: c.audio.device, backend: c.audio.backend }),
    into: (c, d) => ({ ...c, audio: { ...c.audio, device: d.device, backend: d.backend } }),
    fieldOf: (f) => (f === 'audio.device' ? 'device' : f === 'audio.backend' ? 'backend' : undefined),
  });
  const d = s.draft;
  const q = host?.qemu;
  const missingDevice = (v: Draft['device']) => (v === 'virtio-sound' && q && !q.devices.includes('virtio-sound-pci') ? ` (this QEMU ${q.version} lacks it)` : '');
  const missingBackend = (v: Draft['backend']) => {
    if (!q) return '';
    const name = v === 'pipewire' ? 'pipewire' : v === 'pa' ? 'pa' : v === 'alsa' ? 'alsa' : null;
    return name && !q.audiodevs.includes(name) ? ` (this QEMU ${q.version} lacks it)` : '';
  };
  return (
    <SectionFrame id="sound" title="Sound" applies="next-start" s={s} why={`Now: ${soundWords(s.base.config.audio)}.`}>
      <div className="field-row">
        <Field id="settings-sound" label="Sound card" error={s.errors.device} hint={SOUND_CHOICES[d.device].why + missingDevice(d.device)}>
          <select {...described('settings-sound', s.errors.device)} value={d.device} onChange={(e) => s.set({ device: e.target.value as Draft['device'] })}>
            {optionsOf(SOUND_CHOICES).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
                {missingDevice(o.value)}
              </option>
            ))}
          </select>
        </Field>
        {d.device !== 'none' && (
          <Field id="settings-sound-backend" label="Played through" error={s.errors.backend} hint={SOUND_BACKEND_CHOICES[d.backend].why + missingBackend(d.backend)}>
            <select {...described('settings-sound-backend', s.errors.backend)} value={d.backend} onChange={(e) => s.set({ backend: e.target.value as Draft['backend'] })}>
              {optionsOf(SOUND_BACKEND_CHOICES).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                  {missingBackend(o.value)}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
    </SectionFrame>
  );
}
