// Name, title, autostart; the machine type and accelerator under "Advanced". A rename moves the
// guest's folder, so the guest-state model decides when it may happen (stopped, not saved).
import { useState } from 'react';
import { CallError } from '../../../shared/contract';
import { verdict } from '../../../shared/guest-state';
import { vmName, type VmConfig } from '../../../shared/vm-config';
import { useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { asSentence } from '../../text';
import { described, Field } from '../Field';
import { ACCEL_CHOICES, MACHINE_CHOICES, optionsOf } from './labels';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';

type Draft = { title: string; autostart: boolean; machine: VmConfig['machine']; accel: VmConfig['accel'] };

function Rename() {
  const client = useClient();
  const ctx = useGuestEdit();
  const [newName, setNewName] = useState(ctx.name);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const v = verdict({ name: ctx.name, title: ctx.config.title, state: ctx.state }, 'rename');
  const rename = async () => {
    const n = vmName.safeParse(newName);
    if (!n.success) return setError(asSentence(n.error.issues[0]?.message ?? 'This name is not allowed'));
    if (newName === ctx.name) return;
    setBusy(true);
    setError(undefined);
    try {
      // The store follows the rename (guests.changed) and takes this page to the new name.
      await client.call('guests.rename', { name: ctx.name, newName, revision: ctx.revision });
    } catch (e) {
      setError(e instanceof CallError ? (e.fields[0]?.message ?? e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Field id="settings-name" label="Name" error={error} hint={v.ok ? 'The guest’s folder, sockets and logs are named after it: letters, digits, ".", "_" and "-".' : v.reason}>
      <div className="path-row">
        <input {...described('settings-name', error)} value={newName} spellCheck={false} disabled={!v.ok || busy} onChange={(e) => (setNewName(e.target.value), setError(undefined))} />
        <button type="button" className="btn" data-testid="settings-rename" disabled={!v.ok || busy || newName === ctx.name} onClick={() => void rename()}>
          {busy ? 'Renaming…' : 'Rename'}
        </button>
      </div>
    </Field>
  );
}

export function GeneralSection() {
  const s = useSection<Draft>({
    from: (c) => ({ title: c.title ?? '', autostart: c.autostart, machine: c.machine, accel: c.accel }),
    into: (c, d) => ({ ...c, title: d.title.trim() || undefined, autostart: d.autostart, machine: d.machine, accel: d.accel }),
    check: (d) => (d.title.length > 200 ? { title: 'A title is at most 200 characters: shorten it.' } : {}),
    fieldOf: (f) => (f === 'title' ? 'title' : f === 'machine' ? 'machine' : f === 'accel' ? 'accel' : f === 'autostart' ? 'autostart' : undefined),
  });
  const d = s.draft;
  return (
    <SectionFrame id="general" title="Name and start" applies="mixed" s={s} why="The title is what the library shows; the name is the guest’s folder and what the CLI uses.">
      <Rename />
      <Field id="settings-title" label="Title" error={s.errors.title} hint="Any text, shown in the library and the tray. Empty: the name.">
        <input {...described('settings-title', s.errors.title)} value={d.title} onChange={(e) => s.set({ title: e.target.value })} />
      </Field>
      <label className="check">
        <input type="checkbox" data-testid="settings-autostart" checked={d.autostart} onChange={(e) => s.set({ autostart: e.target.checked })} />
        <span>
          <strong>Start with Guestbay</strong>
          <span className="hint">Started when the desktop app (in the tray) or guestbay serve starts.</span>
        </span>
      </label>
      <details className="advanced">
        <summary>Advanced: machine and accelerator</summary>
        <Field id="settings-machine" label="Machine" error={s.errors.machine} hint={MACHINE_CHOICES[d.machine].why}>
          <select {...described('settings-machine', s.errors.machine)} value={d.machine} onChange={(e) => s.set({ machine: e.target.value as Draft['machine'] })}>
            {optionsOf(MACHINE_CHOICES).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="settings-accel" label="Accelerator" error={s.errors.accel} hint={ACCEL_CHOICES[d.accel].why}>
          <select {...described('settings-accel', s.errors.accel)} value={d.accel} onChange={(e) => s.set({ accel: e.target.value as Draft['accel'] })}>
            {optionsOf(ACCEL_CHOICES).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      </details>
    </SectionFrame>
  );
}
