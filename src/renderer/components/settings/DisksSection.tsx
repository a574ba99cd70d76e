// The guest's disks: each one's bus and cache (next start), adding a new image or an existing
// file, and removing one, which keeps its file unless the user says, in a dialog that names the
// file, that it is to be deleted.
import { useState } from 'react';
import { parseSize, formatSize } from '../../../shared/size';
import type { Disk, DiskBus } from '../../../shared/vm-config';
import { useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { Dialog } from '../Dialog';
import { described, Field } from '../Field';
import { PathField } from '../PathField';
import { CACHE_CHOICES, DISK_BUS_CHOICES, optionsOf } from './labels';
import { SectionFrame } from './SectionFrame';
import { useSection, type Section } from './use-section';
import { firstTimeOnly } from '../../text';

type Draft = { disks: { id: string; bus: DiskBus; cache: Disk['cache'] }[] };

function RemoveDisk({ disk, onClose, s }: { disk: Disk; onClose(): void; s: Section<Draft> }) {
  const client = useClient();
  const ctx = useGuestEdit();
  const [del, setDel] = useState(false);
  const [done, setDone] = useState<{ kept: string | null; deleted: string | null } | null>(null);
  const remove = async () => {
    const r = await s.run(() => client.call('guests.disks.remove', { name: ctx.name, id: disk.id, deleteFile: del, revision: ctx.revision }));
    if (r) setDone({ kept: r.kept, deleted: r.deleted });
    else onClose();
  };
  return (
    <Dialog label={`Remove disk ${disk.id}`} testId="disk-remove-dialog" onClose={onClose}>
      <header className="dialog-head">
        <h2>Remove disk {disk.id}?</h2>
      </header>
      {done ? (
        <>
          <p data-testid="disk-remove-done">{done.deleted ? `Removed, and deleted ${done.deleted}.` : `Removed. Its file is kept: ${done.kept ?? disk.path}.`}</p>
          <footer className="dialog-foot">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Close
            </button>
          </footer>
        </>
      ) : (
        <>
          <p>
            The guest no longer sees <code>{disk.path}</code>
            {ctx.live ? ' from its next start' : ''}. What happens to the file?
          </p>
          <fieldset className="choices">
            <legend className="visually-hidden">The disk’s file</legend>
            <label className={`choice${!del ? ' selected' : ''}`}>
              <input type="radio" name="disk-file" data-testid="disk-remove-keep" checked={!del} onChange={() => setDel(false)} />
              <span>
                <strong>Keep the file</strong>
                <span className="hint">It stays where it is; it can be added again later.</span>
              </span>
            </label>
            <label className={`choice choice-danger${del ? ' selected' : ''}`}>
              <input type="radio" name="disk-file" data-testid="disk-remove-delete" checked={del} onChange={() => setDel(true)} />
              <span>
                <strong>Delete the file</strong>
                <span className="hint">Everything on this disk is lost. This cannot be undone.</span>
              </span>
            </label>
          </fieldset>
          <footer className="dialog-foot">
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className={`btn ${del ? 'btn-danger' : 'btn-primary'}`} data-testid="disk-remove-confirm" disabled={s.saving} onClick={() => void remove()}>
              {del ? 'Remove and delete the file' : 'Remove, keep the file'}
            </button>
          </footer>
        </>
      )}
    </Dialog>
  );
}

function AddDisk({ s, shownAbove }: { s: Section<Draft>; shownAbove: Set<string> }) {
  const client = useClient();
  const ctx = useGuestEdit();
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [size, setSize] = useState('16G');
  const [path, setPath] = useState('');
  const [bus, setBus] = useState<DiskBus>(ctx.config.disks[0]?.bus ?? 'virtio');
  const [errors, setErrors] = useState<{ size?: string; path?: string }>({});
  const add = async () => {
    if (mode === 'new') {
      const r = parseSize(size);
      if (!r.ok) return setErrors({ size: r.error });
    } else if (!path.trim().startsWith('/')) {
      return setErrors({ path: 'Give the full path of the image, starting with /, or pick it with Browse.' });
    }
    setErrors({});
    const r = await s.run(() =>
      client.call('guests.disks.add', { name: ctx.name, revision: ctx.revision, disk: mode === 'new' ? { size: size.trim(), bus } : { path: path.trim(), bus } }),
    );
    if (r) setPath('');
  };
  return (
    <details className="add-box" data-testid="disk-add-box">
      <summary>Add a disk</summary>
      <div className="segmented" role="group" aria-label="New or existing disk">
        <button type="button" className="btn btn-small" aria-pressed={mode === 'new'} data-testid="disk-add-new" onClick={() => setMode('new')}>
          New image
        </button>
        <button type="button" className="btn btn-small" aria-pressed={mode === 'existing'} data-testid="disk-add-existing" onClick={() => setMode('existing')}>
          Existing file
        </button>
      </div>
      <div className="field-row">
        {mode === 'new' ? (
          <Field id="settings-disk-add-size" label="Size" error={errors.size ?? s.errors['add.size']} hint="A qcow2 image in the guest’s folder; it grows as the guest writes, up to this size.">
            <input {...described('settings-disk-add-size', errors.size ?? s.errors['add.size'])} value={size} onChange={(e) => setSize(e.target.value)} />
          </Field>
        ) : (
          <PathField
            id="settings-disk-add-path"
            label="Image file"
            value={path}
            onChange={setPath}
            error={errors.path ?? s.errors['add.path']}
            filters={[{ name: 'Disk images', extensions: ['qcow2', 'img', 'raw', 'vmdk', 'vdi'] }]}
            hint="Used where it is, never copied."
          />
        )}
        <Field id="settings-disk-add-bus" label="Bus" hint={shownAbove.has(DISK_BUS_CHOICES[bus].why) ? undefined : DISK_BUS_CHOICES[bus].why}>
          <select id="settings-disk-add-bus" data-testid="settings-disk-add-bus" value={bus} onChange={(e) => setBus(e.target.value as DiskBus)}>
            {optionsOf(DISK_BUS_CHOICES).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <button type="button" className="btn btn-primary" data-testid="disk-add" disabled={s.saving} onClick={() => void add()}>
        {mode === 'new' ? 'Create and add the disk' : 'Add the disk'}
      </button>
    </details>
  );
}

export function DisksSection() {
  const ctx = useGuestEdit();
  const [removing, setRemoving] = useState<Disk | null>(null);
  const s = useSection<Draft>({
    from: (c) => ({ disks: c.disks.map((d) => ({ id: d.id, bus: d.bus, cache: d.cache })) }),
    into: (c, d) => ({ ...c, disks: c.disks.map((x) => ({ ...x, ...(d.disks.find((y) => y.id === x.id) ?? {}) })) }),
    fieldOf: (f) => {
      // A disk being added is past the end of the list it was added to.
      const m = /^disks\.(\d+)\.(bus|cache|size|path)/.exec(f);
      const known = m && ctx.config.disks[Number(m[1])];
      if (m && known && (m[2] === 'bus' || m[2] === 'cache')) return `${known.id}.${m[2]}`;
      if (m && !known && (m[2] === 'size' || m[2] === 'path')) return `add.${m[2]}`;
      if (/^disk\.(size|path)/.test(f)) return `add.${f.slice(5).split('.')[0]}`;
      return undefined;
    },
  });
  // Two disks on one bus (or cache) say its why once; the add form only when it differs from theirs.
  const once = firstTimeOnly();
  const shownAbove = new Set(s.draft.disks.flatMap((d) => [DISK_BUS_CHOICES[d.bus].why, CACHE_CHOICES[d.cache].why]));
  const setDisk = (id: string, patch: Partial<Draft['disks'][number]>) => s.set({ disks: s.draft.disks.map((x) => (x.id === id ? { ...x, ...patch } : x)) });
  return (
    <SectionFrame id="disks" title="Disks" applies="next-start" s={s} why="Removing a disk keeps its file unless you say otherwise.">
      {ctx.config.disks.length === 0 && <p className="muted">No disks.</p>}
      <ul className="device-list">
        {ctx.config.disks.map((disk) => {
          const d = s.draft.disks.find((x) => x.id === disk.id) ?? disk;
          const busErr = s.errors[`${disk.id}.bus`];
          const cacheErr = s.errors[`${disk.id}.cache`];
          return (
            <li key={disk.id} className="device" data-testid={`disk-${disk.id}`}>
              <div className="device-head">
                <strong>{disk.id}</strong>
                <code className="device-path">{disk.path}</code>
                <span className="muted">
                  {disk.format}
                  {disk.size ? `, ${formatSize(disk.size)}` : ''}
                  {disk.readOnly ? ', read-only' : ''}
                </span>
                <button type="button" className="btn btn-small btn-quiet-danger" data-testid={`disk-remove-${disk.id}`} onClick={() => setRemoving(disk)}>
                  Remove…
                </button>
              </div>
              <div className="field-row">
                <Field id={`settings-disk-${disk.id}-bus`} label="Bus" error={busErr} hint={once(DISK_BUS_CHOICES[d.bus].why)}>
                  <select {...described(`settings-disk-${disk.id}-bus`, busErr)} value={d.bus} onChange={(e) => setDisk(disk.id, { bus: e.target.value as DiskBus })}>
                    {optionsOf(DISK_BUS_CHOICES).map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field id={`settings-disk-${disk.id}-cache`} label="Cache" error={cacheErr} hint={once(CACHE_CHOICES[d.cache].why)}>
                  <select {...described(`settings-disk-${disk.id}-cache`, cacheErr)} value={d.cache} onChange={(e) => setDisk(disk.id, { cache: e.target.value as Disk['cache'] })}>
                    {optionsOf(CACHE_CHOICES).map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
            </li>
          );
        })}
      </ul>
      <AddDisk s={s} shownAbove={shownAbove} />
      {removing && <RemoveDisk disk={removing} s={s} onClose={() => setRemoving(null)} />}
    </SectionFrame>
  );
}
