// The port-forward editor: the forwards as a table and a form to add one, checked on the spot
// (ports, a host port forwarded twice). Who stores them is the caller's: the guest page calls
// guests.forwards.add/remove (live on a running guest), the wizard keeps them for the create.
import { useState } from 'react';
import type { PortForward } from '../../shared/vm-config';
import { portProblem } from '../checks';
import { described, Field } from './Field';

type ForwardForm = { protocol: 'tcp' | 'udp'; where: 'local' | 'all'; hostPort: string; guestPort: string };

export function ForwardEditor({
  forwards,
  onAdd,
  onRemove,
  busy = false,
  enabled = true,
  serverError,
  hint,
}: {
  forwards: PortForward[];
  /** Resolves true when the forward was taken (the form then empties). */
  onAdd(f: PortForward): Promise<boolean> | boolean;
  onRemove(f: PortForward): void;
  busy?: boolean;
  /** False where forwards cannot work (bridge or no network): the table stays, the form goes. */
  enabled?: boolean;
  /** The server's message for a port field (`hostPort` / `guestPort`). */
  serverError?(k: 'hostPort' | 'guestPort'): string | undefined;
  hint?: string;
}) {
  const [f, setF] = useState<ForwardForm>({ protocol: 'tcp', where: 'local', hostPort: '', guestPort: '' });
  const [errors, setErrors] = useState<Partial<Record<'hostPort' | 'guestPort', string>>>({});
  const err = (k: 'hostPort' | 'guestPort') => errors[k] ?? serverError?.(k);
  const add = async () => {
    const e: typeof errors = {};
    const hp = portProblem(f.hostPort, 'host port');
    const gp = portProblem(f.guestPort, 'guest port');
    if (hp) e.hostPort = hp;
    if (gp) e.guestPort = gp;
    const hostAddress = f.where === 'local' ? '127.0.0.1' : '0.0.0.0';
    if (!hp && forwards.some((x) => x.protocol === f.protocol && x.hostPort === Number(f.hostPort) && x.hostAddress === hostAddress)) {
      e.hostPort = `Host port ${f.hostPort}/${f.protocol} is forwarded already: remove that forward first, or pick another port.`;
    }
    setErrors(e);
    if (Object.keys(e).length) return;
    if (await onAdd({ protocol: f.protocol, hostAddress, hostPort: Number(f.hostPort), guestPort: Number(f.guestPort) })) setF({ ...f, hostPort: '', guestPort: '' });
  };
  return (
    <div className="subsection" data-testid="forwards">
      <h4>Port forwards</h4>
      <p className="hint">A port on this computer that reaches a port of the guest (e.g. 2222 → 22 for SSH).{hint ? ` ${hint}` : ''}</p>
      {!enabled && <p className="muted">Port forwards need user-mode networking.</p>}
      {forwards.length > 0 && (
        <table className="mini-table">
          <thead>
            <tr>
              <th scope="col">Protocol</th>
              <th scope="col">On this computer</th>
              <th scope="col">In the guest</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {forwards.map((x) => (
              <tr key={`${x.protocol}-${x.hostAddress}-${x.hostPort}`} data-testid={`forward-${x.protocol}-${x.hostPort}`}>
                <td>{x.protocol.toUpperCase()}</td>
                <td>
                  <code>
                    {x.hostAddress}:{x.hostPort}
                  </code>
                  {x.hostAddress !== '127.0.0.1' && <span className="tag tag-root" title="Other computers on your network can connect to it">reachable from the network</span>}
                </td>
                <td>
                  <code>{x.guestPort}</code>
                </td>
                <td>
                  <button type="button" className="btn btn-small" data-testid={`forward-remove-${x.protocol}-${x.hostPort}`} aria-label={`Remove the forward of ${x.protocol} port ${x.hostPort}`} disabled={busy} onClick={() => onRemove(x)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {enabled && (
        <div className="forward-form">
          <Field id="settings-forward-protocol" label="Protocol">
            <select id="settings-forward-protocol" data-testid="settings-forward-protocol" value={f.protocol} onChange={(e) => setF({ ...f, protocol: e.target.value as 'tcp' | 'udp' })}>
              <option value="tcp">TCP</option>
              <option value="udp">UDP</option>
            </select>
          </Field>
          <Field id="settings-forward-host-port" label="Host port" error={err('hostPort')}>
            <input {...described('settings-forward-host-port', err('hostPort'))} inputMode="numeric" placeholder="2222" value={f.hostPort} onChange={(e) => (setF({ ...f, hostPort: e.target.value }), setErrors({}))} />
          </Field>
          <Field id="settings-forward-guest-port" label="Guest port" error={err('guestPort')}>
            <input {...described('settings-forward-guest-port', err('guestPort'))} inputMode="numeric" placeholder="22" value={f.guestPort} onChange={(e) => (setF({ ...f, guestPort: e.target.value }), setErrors({}))} />
          </Field>
          <Field id="settings-forward-where" label="Who can connect" hint={f.where === 'local' ? 'Only programs on this computer (127.0.0.1).' : 'Any computer on your network (0.0.0.0): only if you mean it.'}>
            <select id="settings-forward-where" data-testid="settings-forward-where" value={f.where} onChange={(e) => setF({ ...f, where: e.target.value as 'local' | 'all' })}>
              <option value="local">This computer only</option>
              <option value="all">Every network</option>
            </select>
          </Field>
          <button type="button" className="btn btn-primary" data-testid="forward-add" disabled={busy} onClick={() => void add()}>
            Add forward
          </button>
        </div>
      )}
    </div>
  );
}
