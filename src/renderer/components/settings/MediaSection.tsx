// CD/DVD drives: the disc in each, changed or ejected at once on a running guest (QMP
// blockdev-change-medium), kept in the settings for the next start either way. A stopped guest
// without a drive gets one when a disc is inserted.
import { useState } from 'react';
import type { Media } from '../../../shared/vm-config';
import { useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { PathField } from '../PathField';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';

const ROLE: Record<Media['role'], string> = {
  install: 'Installer',
  drivers: 'Drivers disc',
  recovery: 'macOS recovery',
  bootloader: 'Boot loader (OpenCore)',
};

const DISC_FILTERS = [{ name: 'Disc images', extensions: ['iso', 'img', 'dmg'] }];

function Drive({ m, s }: { m: Media; s: ReturnType<typeof useSection<Record<string, never>>> }) {
  const client = useClient();
  const ctx = useGuestEdit();
  const [path, setPath] = useState('');
  const id = `settings-media-${m.id}`;
  const insert = async () => {
    if (!path.trim()) return s.setErrors({ [m.id]: 'Pick a disc image first (Browse), or type its full path.' });
    const r = await s.run(() => client.call('guests.media.insert', { name: ctx.name, drive: m.id, path: path.trim() }));
    if (r) setPath('');
  };
  const eject = () => void s.run(() => client.call('guests.media.eject', { name: ctx.name, drive: m.id }));
  return (
    <li className="device" data-testid={`media-${m.id}`}>
      <div className="device-head">
        <strong>{m.id}</strong>
        <span>{ROLE[m.role]}</span>
        {m.path ? <code className="device-path" data-testid={`media-${m.id}-path`}>{m.path}</code> : <span className="muted" data-testid={`media-${m.id}-path`}>Empty</span>}
        <span className="muted">
          {m.as === 'cdrom' ? 'CD/DVD' : 'disk'} on {m.bus.toUpperCase()}
        </span>
        {m.path && m.as === 'cdrom' && (
          <button type="button" className="btn btn-small" data-testid={`media-eject-${m.id}`} disabled={s.saving} onClick={eject}>
            Eject
          </button>
        )}
      </div>
      {m.as === 'cdrom' && (
        <div className="inline-form">
          <PathField id={id} label={m.path ? 'Change the disc' : 'Insert a disc'} value={path} onChange={(v) => (setPath(v), s.setErrors({}))} error={s.errors[m.id]} filters={DISC_FILTERS} placeholder="/path/to/disc.iso" />
          <button type="button" className="btn btn-primary" data-testid={`media-insert-${m.id}`} disabled={s.saving} onClick={() => void insert()}>
            {m.path ? 'Change' : 'Insert'}
          </button>
        </div>
      )}
    </li>
  );
}

function NewDrive({ s }: { s: ReturnType<typeof useSection<Record<string, never>>> }) {
  const client = useClient();
  const ctx = useGuestEdit();
  const [path, setPath] = useState('');
  const add = async () => {
    if (!path.trim()) return s.setErrors({ new: 'Pick a disc image first (Browse), or type its full path.' });
    const r = await s.run(() => client.call('guests.media.insert', { name: ctx.name, path: path.trim() }));
    if (r) setPath('');
  };
  return (
    <div className="inline-form">
      <PathField id="settings-media-new" label="Add a CD/DVD drive with this disc" value={path} onChange={(v) => (setPath(v), s.setErrors({}))} error={s.errors.new} filters={DISC_FILTERS} placeholder="/path/to/disc.iso" />
      <button type="button" className="btn btn-primary" data-testid="media-insert-new" disabled={s.saving} onClick={() => void add()}>
        Add drive
      </button>
    </div>
  );
}

export function MediaSection() {
  const ctx = useGuestEdit();
  // No form of its own: every change is a call that edits at once.
  const s = useSection<Record<string, never>>({
    from: () => ({}),
    into: (c) => c,
    fieldOf: (f) => {
      const m = /^media\.(\d+)/.exec(f);
      if (m) return ctx.config.media[Number(m[1])]?.id ?? 'new';
      if (f === 'path' || f === 'drive') return ctx.config.media.some((x) => x.as === 'cdrom') ? (ctx.config.media.find((x) => x.as === 'cdrom')?.id ?? 'new') : 'new';
      return undefined;
    },
  });
  const cds = ctx.config.media.some((m) => m.as === 'cdrom');
  return (
    <SectionFrame id="media" title="CD/DVD" applies="live" s={s} why="Discs change at once on a running guest, as if you swapped them in a real drive; the guest keeps them for its next start too.">
      {ctx.config.media.length === 0 && <p className="muted">No CD/DVD drives.</p>}
      <ul className="device-list">
        {ctx.config.media.map((m) => (
          <Drive key={m.id} m={m} s={s} />
        ))}
      </ul>
      {!cds && !ctx.live && <NewDrive s={s} />}
      {!cds && ctx.live && <p className="muted">A drive can be added while the guest is shut down.</p>}
    </SectionFrame>
  );
}
