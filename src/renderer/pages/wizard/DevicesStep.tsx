// Step 5: disk controller, network (mode, card, port forwards), display (adapter, where it is
// shown), sound and USB devices of this computer; "Recommended" leaves the preset's. The port
// forwards and the USB picker are the guest page's own components.
import { choicesOf, DISK_BUS_LABELS, DISPLAY_DEVICE_LABELS, NIC_LABELS } from '../../../shared/vm-choices';
import { ForwardEditor } from '../../components/ForwardEditor';
import { NET_MODE_CHOICES, optionsOf, SOUND_CHOICES, VIEWER_CHOICES } from '../../components/settings/labels';
import { Choices } from '../../components/settings/SectionFrame';
import { UsbPicker, usbIdOf } from '../../components/UsbPicker';
import { useApp } from '../../store';
import { controls, Field, type StepProps } from './controls';
import { effectiveNetMode, presetDefaults, type WizardState } from './model';

export function DevicesStep(p: StepProps) {
  const { w, err, reason, preset, update } = p;
  const host = useApp((s) => s.host);
  const { select } = controls(p);
  const d = presetDefaults(w, preset);
  const mode = effectiveNetMode(w);
  const noHelper = host && !host.tools.qemuBridgeHelper ? 'qemu-bridge-helper is not installed on this computer (see Host).' : undefined;
  const viewer = w.viewer || 'guestbay';
  return (
    <>
      <p className="hint">
        <strong>virtio</strong> devices are made for virtual machines: far faster, but the guest needs drivers (Linux has them built in; Windows gets them from the virtio-win disc; macOS has few).
        <strong> Emulated</strong> devices imitate real hardware every system knows, at a cost in speed.
      </p>
      <div className="field-row">
        <Field id="field-disk-bus" label="Disk controller" error={err('diskBus')} hint={reason('disks.0.bus')}>
          {select('diskBus', d.diskBus, choicesOf(DISK_BUS_LABELS))}
        </Field>
        <Field id="field-display" label="Display adapter" error={err('display')} hint={reason('display.device')}>
          {/* "Recommended" is the preset's own choice, so `auto` is not offered again. */}
          {select('display', d.display, choicesOf(DISPLAY_DEVICE_LABELS).filter(([d]) => d !== 'auto'))}
        </Field>
      </div>
      <Choices name="wizard-viewer" legend="Where the screen is shown" testId="wizard-viewer" value={viewer} onChange={(v) => update({ viewer: v })} options={optionsOf(VIEWER_CHOICES)} />
      <h3 className="wizard-sub">Network</h3>
      <div className="field-row">
        <Field id="field-net-mode" label="Network" error={err('network')} hint={NET_MODE_CHOICES[mode].why}>
          <select id="field-net-mode" data-testid="field-net-mode" value={mode} onChange={(e) => update({ netMode: e.target.value as WizardState['netMode'] })}>
            {optionsOf(NET_MODE_CHOICES).map((o) => (
              <option key={o.value} value={o.value} disabled={o.value === 'bridge' && Boolean(noHelper)}>
                {o.label}
                {o.value === 'bridge' && noHelper ? ' (needs qemu-bridge-helper)' : ''}
              </option>
            ))}
          </select>
        </Field>
        {mode === 'bridge' && (
          <Field id="field-bridge" label="Host bridge" error={err('bridge')} hint="An existing bridge on this computer, allowed in /etc/qemu/bridge.conf.">
            <input id="field-bridge" data-testid="field-bridge" placeholder="br0" spellCheck={false} value={w.bridge} aria-invalid={err('bridge') ? true : undefined} aria-describedby={err('bridge') ? 'field-bridge-error' : undefined} onChange={(e) => update({ bridge: e.target.value })} />
          </Field>
        )}
        {mode !== 'none' && (
          <Field id="field-nic" label="Network card" error={err('nic')} hint={reason('network.nic')}>
            {select('nic', d.nic, choicesOf(NIC_LABELS))}
          </Field>
        )}
      </div>
      {mode !== 'none' && (
        <ForwardEditor
          forwards={w.forwards}
          enabled={mode === 'user'}
          serverError={() => err('forwards')}
          onAdd={(f) => (update({ forwards: [...w.forwards, f] }), true)}
          onRemove={(x) => update({ forwards: w.forwards.filter((y) => y !== x) })}
        />
      )}
      <h3 className="wizard-sub">Sound and USB</h3>
      <Field id="field-sound" label="Sound card" error={err('sound')} hint={w.sound ? SOUND_CHOICES[w.sound].why : reason('audio.device')}>
        <select id="field-sound" data-testid="field-sound" value={w.sound} onChange={(e) => update({ sound: e.target.value as WizardState['sound'] })}>
          <option value="">Recommended</option>
          {optionsOf(SOUND_CHOICES).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <div className="subsection" data-testid="wizard-usb">
        <h4>USB devices passed to the guest</h4>
        {w.usbDevices.length === 0 && <p className="muted">None: add any below, now or later in the guest’s settings.</p>}
        <ul className="device-list">
          {w.usbDevices.map((u) => (
            <li key={usbIdOf(u)} className="device" data-testid={`wizard-usb-${u.vendorId}-${u.productId}`}>
              <div className="device-head">
                <strong>{u.label ?? 'USB device'}</strong>
                <code>{usbIdOf(u)}</code>
                <button type="button" className="btn btn-small" aria-label={`Stop passing ${u.label ?? usbIdOf(u)} to the guest`} onClick={() => update({ usbDevices: w.usbDevices.filter((x) => x !== u) })}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
        {err('usbDevices') && <p className="field-error">{err('usbDevices')}</p>}
        <UsbPicker passed={w.usbDevices} onPick={(d) => update({ usbDevices: [...w.usbDevices, { vendorId: d.vendorId.toLowerCase(), productId: d.productId.toLowerCase(), label: d.label.slice(0, 200) }] })} />
      </div>
    </>
  );
}
