// USB devices of this computer passed to the guest, by vendor:product: picked from what is
// plugged in now (sysfs), plugged into a running guest at once and kept for its next start.
import { useState } from 'react';
import type { HostUsbDevice } from '../../../shared/contract';
import type { VmConfig } from '../../../shared/vm-config';
import { useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { described, Field } from '../Field';
import { UsbPicker, usbIdOf as idOf } from '../UsbPicker';
import { optionsOf, USB_CONTROLLER_CHOICES } from './labels';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';

type Draft = { controller: VmConfig['usb']['controller'] };

export function UsbSection() {
  const client = useClient();
  const ctx = useGuestEdit();
  // What the picker listed last: an attached device not among them is "not plugged in now".
  const [plugged, setPlugged] = useState<HostUsbDevice[] | null>(null);
  const s = useSection<Draft>({
    from: (c) => ({ controller: c.usb.controller }),
    into: (c, d) => ({ ...c, usb: { ...c.usb, controller: d.controller } }),
    fieldOf: (f) => (f === 'usb.controller' ? 'controller' : f.startsWith('usb.hostDevices') || f === 'vendorId' || f === 'productId' ? 'devices' : undefined),
  });
  const attached = ctx.config.usb.hostDevices;
  const attach = (d: HostUsbDevice) => void s.run(() => client.call('guests.usb.attach', { name: ctx.name, vendorId: d.vendorId, productId: d.productId, label: d.label.slice(0, 200) }));
  const detach = (d: { vendorId: string; productId: string }) => void s.run(() => client.call('guests.usb.detach', { name: ctx.name, vendorId: d.vendorId, productId: d.productId }));
  const pluggedIds = new Set((plugged ?? []).map(idOf));
  return (
    <SectionFrame id="usb" title="USB devices" applies="mixed" s={s} why="A device passed to the guest leaves this computer while the guest runs: a security key, a phone, a printer.">
      <div className="subsection" data-testid="usb-attached">
        <h4>Passed to the guest</h4>
        {attached.length === 0 && <p className="muted">None.</p>}
        <ul className="device-list">
          {attached.map((a) => (
            <li key={idOf(a)} className="device" data-testid={`usb-${a.vendorId}-${a.productId}`}>
              <div className="device-head">
                <strong>{a.label ?? 'USB device'}</strong>
                <code>{idOf(a)}</code>
                {plugged && !pluggedIds.has(idOf(a)) && <span className="muted">not plugged in now</span>}
                <button type="button" className="btn btn-small" data-testid={`usb-detach-${a.vendorId}-${a.productId}`} aria-label={`Stop passing ${a.label ?? idOf(a)} to the guest`} disabled={s.saving} onClick={() => detach(a)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
        {s.errors.devices && <p className="field-error" data-testid="usb-error">{s.errors.devices}</p>}
      </div>
      <UsbPicker passed={attached} busy={s.saving} onPick={attach} onList={(l) => setPlugged(l)} />
      <Field id="settings-usb-controller" label="USB controller" error={s.errors.controller} hint={USB_CONTROLLER_CHOICES[s.draft.controller].why}>
        <select {...described('settings-usb-controller', s.errors.controller)} value={s.draft.controller} onChange={(e) => s.set({ controller: e.target.value as Draft['controller'] })}>
          {optionsOf(USB_CONTROLLER_CHOICES).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
    </SectionFrame>
  );
}
