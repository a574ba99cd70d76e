// What is plugged into this computer's USB ports (host.usbDevices, read from sysfs), each with a
// button to pass it to the guest; hubs and what is passed already are left out. The guest page
// attaches at once (live on a running guest); the wizard keeps the pick for the create.
import { useCallback, useEffect, useState } from 'react';
import type { HostUsbDevice } from '../../shared/contract';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';

export const usbIdOf = (d: { vendorId: string; productId: string }) => `${d.vendorId.toLowerCase()}:${d.productId.toLowerCase()}`;

export function UsbPicker({ passed, onPick, busy = false, onList }: { passed: { vendorId: string; productId: string }[]; onPick(d: HostUsbDevice): void; busy?: boolean; onList?(plugged: HostUsbDevice[]): void }) {
  const client = useClient();
  const [plugged, setPlugged] = useState<HostUsbDevice[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const load = useCallback(() => {
    setListError(null);
    client.call('host.usbDevices', {}).then(
      (l) => (setPlugged(l), onList?.(l)),
      (e: unknown) => (setPlugged([]), setListError(e)),
    );
    // onList is the caller's notice, not a reason to list again.
  }, [client]);
  useEffect(() => load(), [load]);
  const candidates = (plugged ?? []).filter((d) => !d.hub && !passed.some((a) => usbIdOf(a) === usbIdOf(d)));
  return (
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
              <code>{usbIdOf(d)}</code>
              <span className="muted">
                bus {d.bus}, port {d.port}
                {d.speedMbps ? `, ${d.speedMbps >= 1000 ? `${d.speedMbps / 1000} Gbit/s` : `${d.speedMbps} Mbit/s`}` : ''}
              </span>
              <button type="button" className="btn btn-small" data-testid={`usb-attach-${d.vendorId}-${d.productId}`} aria-label={`Pass ${d.label} to the guest`} disabled={busy} onClick={() => onPick(d)}>
                Pass to the guest
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
