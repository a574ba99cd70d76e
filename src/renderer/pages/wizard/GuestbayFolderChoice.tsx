// The wizard's "Share the Guestbay folder": ticked as the settings say (new guests get it unless
// turned off there), with how this guest would see it and what that costs on this host, from
// the last server check (guests.preview's guestbayFolder): said before it is paid.
import { SHARE_METHOD_LABELS } from '../../../shared/vm-choices';
import { asSentence } from '../../text';
import { Mark } from '../../components/Icons';
import type { StepProps } from './controls';

export function GuestbayFolderChoice({ w, update, preview, preset }: Pick<StepProps, 'w' | 'update' | 'preview' | 'preset'>) {
  const gf = preview?.guestbayFolder;
  const ticked = w.guestbayFolder ?? preview?.config.guestbayFolder ?? true;
  const how = !gf ? null : gf.method ? `${preset.title} sees it over ${SHARE_METHOD_LABELS[gf.method]}, as the share “guestbay”.` : `${preset.title} cannot get it on this host:`;
  // Without a method the notes say why; with one they say what it costs.
  const notes = gf && (ticked || !gf.method) ? gf.notes : [];
  return (
    <div className="guestbay-folder" data-testid="wizard-guestbay-folder">
      <label className="check">
        <input type="checkbox" data-testid="field-guestbay-folder" checked={ticked} onChange={(e) => update({ guestbayFolder: e.target.checked })} />
        <span>
          <strong>Share the Guestbay folder{gf ? ` (${gf.path})` : ''}</strong>
          <span className="hint">One folder of this computer that every guest can open, so there is one place to pass files around. Its place is set on the Host page; a change there applies at each guest’s next start.</span>
        </span>
      </label>
      {how && (
        <p className="guestbay-folder-how" data-testid="wizard-guestbay-folder-method" data-method={gf?.method ?? 'none'}>
          {how}
        </p>
      )}
      {notes.length > 0 && (
        <ul className="warnings" data-testid="wizard-guestbay-folder-cost">
          {notes.map((n) => (
            <li key={n.id} data-id={n.id}>
              <Mark kind="warning" /> {asSentence(n.message)}
            </li>
          ))}
        </ul>
      )}
      {gf && !ticked && gf.method && <p className="hint" data-testid="wizard-guestbay-folder-off">Left out of this guest: it gets only the folders below.</p>}
    </div>
  );
}
