// Step 1: which system, and the guest's name. A tile per preset from `presets.list`, and one
// for macOS, whose releases are presets too but go through their guided setup.
import { MACOS_RELEASES } from '../../../shared/os/macos-releases';
import { GUEST_ARCH_LABELS } from '../../../shared/vm-choices';
import { OsIcon } from '../../components/Icons';
import { useApp } from '../../store';
import { controls, Field, type StepProps } from './controls';
import { MACOS_CHOICE } from './model';

export function OsStep(p: Omit<StepProps, 'preset'> & { preset: StepProps['preset'] | undefined }) {
  const { w, update, err, preset } = p;
  const navigate = useApp((s) => s.navigate);
  const presets = useApp((s) => s.presets);
  const { input } = controls(p);
  const mac = presets.find((x) => x.family === 'macos');
  const tiles = [
    ...presets.filter((x) => x.family !== 'macos').map((x) => ({ id: x.id, title: x.title, family: x.family, blurb: x.summary })),
    ...(mac ? [{ id: MACOS_CHOICE, title: 'macOS', family: mac.family, blurb: mac.summary }] : []),
  ];
  return (
    <>
      <fieldset className="os-grid">
        <legend>Operating system</legend>
        {tiles.map((o) => (
          <label key={o.id} className={`os-choice${w.os === o.id ? ' selected' : ''}`} data-testid={`wizard-os-${o.id}`}>
            <input type="radio" name="os" value={o.id} checked={w.os === o.id} onChange={() => update({ os: o.id, firmware: null, tpm: null, shareMethod: '' })} />
            <OsIcon family={o.family} size={36} />
            <span>
              <strong>{o.title}</strong>
              <span className="hint">{o.blurb}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {w.os === MACOS_CHOICE ? (
        <div className="notice" data-testid="wizard-macos-note">
          <strong>macOS has a guided setup of its own.</strong>
          <p>
            It checks this host first, downloads the recovery image from Apple’s servers (verifying Apple’s signature and every chunk), builds an
            OpenCore boot disk with a Mac identity for this guest, creates the guest, and then walks you through the installer beside the running
            guest. The same from a terminal: <code>guestbay macos prepare --release sonoma --name mac</code>.
          </p>
          <p className="muted">{MACOS_RELEASES.length} releases, {MACOS_RELEASES[0]!.name} to {MACOS_RELEASES.at(-1)!.name}.</p>
          <button type="button" className="btn btn-primary" data-testid="wizard-macos-guided" onClick={() => navigate({ page: 'macos' })}>
            Start the guided macOS setup
          </button>
        </div>
      ) : (
        <>
          {preset?.family === 'windows' && (preset.version === '10' || preset.version === '11') && (
            // Windows installs itself with the guided setup (answer file, virtio drivers); the plain wizard below still makes an empty guest.
            <div className="notice" data-testid="wizard-windows-note">
              <strong>Windows {preset.version} can install itself.</strong>
              <p>
                The guided setup checks this host, reads your ISO’s editions (or downloads it from Microsoft), adds the virtio drivers and an answer file
                with your account, so Setup runs without questions; a panel beside the guest says what happens. The same from a terminal:{' '}
                <code>guestbay windows prepare --name win{preset.version} --iso Win{preset.version}.iso</code>.
              </p>
              <button type="button" className="btn btn-primary" data-testid="wizard-windows-guided" onClick={() => navigate({ page: 'windows', version: preset.version as '10' | '11' })}>
                Start the guided Windows setup
              </button>
            </div>
          )}
          <Field id="field-name" label="Name" error={err('name')} hint="Used for the guest’s folder and on the command line: letters, digits, “.”, “_” and “-”.">
            {input('name', { placeholder: 'e.g. arch or win11' })}
          </Field>
          <Field id="field-title" label="Title (optional)" error={err('title')} hint="What the library shows; any text.">
            {input('title', { placeholder: preset?.title })}
          </Field>
          {preset ? (
            // The guest's CPU architecture and why it runs as fast or slow as it will here
            // (emulated when it is not the host's own: the arch table's words and measured ratio).
            <p className="hint" data-testid="wizard-arch">
              <strong>Architecture: {GUEST_ARCH_LABELS[preset.arch]}.</strong> {preset.archWhy}
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
