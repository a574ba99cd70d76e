// USB devices of this computer passed to the guest, by vendor:product: picked from what is
// plugged in now (sysfs), plugged into a running guest at once and kept for its next start.
import { useCallback, useEffect, useState } from 'react';
import type { HostUsbDevice } from '../../../shared/contract';
import type { VmConfig } from '../../../shared/vm-config';
import { useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { ErrorNotice } from '../ErrorNotice';
import { described, Field } from '../Field';
import { optionsOf, USB_CONTROLLER_CHOICES } from './labels';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';

type Draft = { controller: VmConfig['usb']['controller'] };

const idOf = (d: { vendorId: string; productId: string }) => `${d.vendorId.toLowerCase()}:${d.productId.toLowerCase()}`;

export function UsbSection() {
  const client = useClient();
  const ctx = useGuestEdit();
  const [plugged, setPlugged] = useState<HostUsbDevice[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const s = useSection<Draft>({
    from: (c) => ({ controller: c.usb.controller }),
    into: (c, d) => ({ ...c, usb: { ...c.usb, controller: d.controller } }),
    fieldOf: (f) => (f === 'usb.controller' ? 'controller' : f.startsWith('usb.hostDevices') || f === 'vendorId' || f === 'productId' ? 'devices' : undefined),
  });
  const load = useCallback(() => {
    setListError(null);
    client.call('host.usbDevices', {}).then(setPlugged, (e: unknown) => (setPlugged([]), setListError(e)));
  }, [client]);
  useEffect(() => load(), [load]);
  const attached = ctx.config.usb.hostDevices;
  const attach = (d: HostUsbDevice) => void s.run(() => client.call('guests.usb.attach', { name: ctx.name, vendorId: d.vendorId, productId: d.productId, label: d.label.slice(0, 200) }));
  const detach = (d: { vendorId: string; productId: string }) => void s.run(() => client.call('guests.usb.detach', { name: ctx.name, vendorId: d.vendorId, productId: d.productId }));
  const candidates = (plugged ?? []).filter((d) => !d.hub && !attached.some((a) => idOf(a) === idOf(d)));
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
      <div className="subsection" data-testid="usb-picker">
        <h4>
          Plugged into this computer{' '}
          <button type="button" className="btn btn-small" data-testid="usb-refresh" onClick={load}>
            Refresh
          </button>
        </h4>
        {listError !== null && <ErrorNotice error={listError} title="The USB devices could not be listed" />}
        {plugged === null && <p className="muted">Looking…</p>}
        {plugged && candidates.length === 0 && !listError && <p className="muted">{plugged.length === 0 ? 'No USB devices found on this computer.' : 'Nothing else to pass: the rest are hubs or passed already.'}</p>}
        <ul className="device-list">
          {candidates.map((d) => (
            <li key={`${d.port}`} className="device" data-testid={`usb-host-${d.vendorId}-${d.productId}`}>
              <div className="device-head">
                <strong>{d.label}</strong>
                <code>{idOf(d)}</code>
                <span className="muted">
                  bus {d.bus}, port {d.port}
                  {d.speedMbps ? `, ${d.speedMbps >= 1000 ? `${d.speedMbps / 1000} Gbit/s` : `${d.speedMbps} Mbit/s`}` : ''}
                </span>
                <button type="button" className="btn btn-small" data-testid={`usb-attach-${d.vendorId}-${d.productId}`} aria-label={`Pass ${d.label} to the guest`} disabled={s.saving} onClick={() => attach(d)}>
                  Pass to the guest
                </button>
              </div>
            </li>
          ))}
        </ul>
      </div>
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
