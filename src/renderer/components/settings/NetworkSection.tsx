// The network: mode, card and MAC address (next start); port forwards, added and removed at once
// on a running guest with user networking, listening on 127.0.0.1 unless the user chooses every
// address; and the running guest's cable, plugged or unplugged (QMP set_link).
import { useState } from 'react';
import type { Network, NicModel } from '../../../shared/vm-config';
import { bridgeProblem } from '../../checks';
import { useApp, useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { described, Field } from '../Field';
import { ForwardEditor } from '../ForwardEditor';
import { NET_MODE_CHOICES, NIC_CHOICES, optionsOf } from './labels';
import { Choices, SectionFrame } from './SectionFrame';
import { useSection, type FieldErrors, type Section } from './use-section';

type Draft = { mode: Network['mode']; bridge: string; nic: NicModel; mac: string };

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/** A locally administered unicast MAC in QEMU's 52:54:00 range. */
function randomMac(): string {
  const b = new Uint8Array(3);
  crypto.getRandomValues(b);
  return ['52', '54', '00', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

function Forwards({ s }: { s: Section<Draft> }) {
  const client = useClient();
  const ctx = useGuestEdit();
  const user = ctx.config.network.mode === 'user';
  return (
    <ForwardEditor
      forwards={ctx.config.network.portForwards}
      enabled={user}
      busy={s.saving}
      hint={ctx.live && user ? 'Added and removed at once on the running guest.' : undefined}
      serverError={(k) => s.errors[`forward.${k}`]}
      onAdd={async (forward) => Boolean(await s.run(() => client.call('guests.forwards.add', { name: ctx.name, forward })))}
      onRemove={(x) => void s.run(() => client.call('guests.forwards.remove', { name: ctx.name, protocol: x.protocol, hostPort: x.hostPort, hostAddress: x.hostAddress }))}
    />
  );
}

function Link() {
  const client = useClient();
  const ctx = useGuestEdit();
  const [up, setUp] = useState(true);
  const [error, setError] = useState<string | null>(null);
  if (!ctx.live || ctx.config.network.mode === 'none') return null;
  const toggle = async () => {
    setError(null);
    try {
      setUp((await client.call('guests.link', { name: ctx.name, up: !up })).up);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="subsection">
      <h4>Cable</h4>
      <p>
        <span data-testid="net-link-state">{up ? 'Plugged in.' : 'Unplugged: the guest sees no network.'}</span>{' '}
        <button type="button" className="btn btn-small" data-testid="net-link" onClick={() => void toggle()}>
          {up ? 'Unplug the cable' : 'Plug the cable in'}
        </button>
      </p>
      <p className="hint">For this run only: every start begins plugged in.</p>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

export function NetworkSection() {
  const host = useApp((s) => s.host);
  const s = useSection<Draft>({
    from: (c) => ({ mode: c.network.mode, bridge: c.network.bridge ?? '', nic: c.network.nic, mac: c.network.mac ?? '' }),
    into: (c, d) => ({ ...c, network: { ...c.network, mode: d.mode, nic: d.nic, bridge: d.mode === 'bridge' ? d.bridge.trim() : c.network.bridge, mac: d.mac.trim() || undefined } }),
    check: (d) => {
      const e: FieldErrors = {};
      if (d.mac.trim() && !MAC.test(d.mac.trim())) e.mac = 'A MAC address is six pairs of lower-case hex digits, like 52:54:00:12:34:56; or leave it empty to let QEMU choose.';
      const bridge = d.mode === 'bridge' ? bridgeProblem(d.bridge) : null;
      if (bridge) e.bridge = bridge;
      return e;
    },
    fieldOf: (f) => {
      if (f === 'network.mode') return 'mode';
      if (f === 'network.nic') return 'nic';
      if (f === 'network.mac') return 'mac';
      if (f === 'network.bridge') return 'bridge';
      const m = /^network\.portForwards\.\d+\.(hostPort|guestPort)|^forward\.(hostPort|guestPort)/.exec(f);
      if (m) return `forward.${m[1] ?? m[2]}`;
      return undefined;
    },
  });
  const d = s.draft;
  const noHelper = host && !host.tools.qemuBridgeHelper ? 'qemu-bridge-helper is not installed on this computer (see Host).' : undefined;
  return (
    <SectionFrame id="network" title="Network" applies="mixed" s={s} why="The card and the mode apply at the next start; port forwards and the cable change at once.">
      <Choices
        name="net-mode"
        legend="Mode"
        testId="settings-net-mode"
        value={d.mode}
        onChange={(mode) => s.set({ mode })}
        options={optionsOf(NET_MODE_CHOICES).map((o) => (o.value === 'bridge' && noHelper && d.mode !== 'bridge' ? { ...o, disabled: noHelper } : o))}
      />
      {d.mode === 'bridge' && (
        <Field id="settings-bridge" label="Host bridge" error={s.errors.bridge} hint="An existing bridge on this computer, allowed in /etc/qemu/bridge.conf.">
          <input {...described('settings-bridge', s.errors.bridge)} placeholder="br0" value={d.bridge} onChange={(e) => s.set({ bridge: e.target.value })} />
        </Field>
      )}
      {d.mode !== 'none' && (
        <div className="field-row">
          <Field id="settings-nic" label="Network card" error={s.errors.nic} hint={NIC_CHOICES[d.nic].why}>
            <select {...described('settings-nic', s.errors.nic)} value={d.nic} onChange={(e) => s.set({ nic: e.target.value as NicModel })}>
              {optionsOf(NIC_CHOICES).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
          <Field id="settings-mac" label="MAC address" error={s.errors.mac} hint="Empty: QEMU chooses. Set one when a licence or a DHCP reservation expects it.">
            <div className="path-row">
              <input {...described('settings-mac', s.errors.mac)} placeholder="automatic" spellCheck={false} value={d.mac} onChange={(e) => s.set({ mac: e.target.value.toLowerCase() })} />
              <button type="button" className="btn" data-testid="settings-mac-random" onClick={() => s.set({ mac: randomMac() })}>
                New
              </button>
            </div>
          </Field>
        </div>
      )}
      <Forwards s={s} />
      <Link />
    </SectionFrame>
  );
}
