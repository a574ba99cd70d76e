// Step 6: host folders the guest can open, and how it mounts them.
import { SHARE_METHOD_LABELS, SHARE_METHOD_MEANINGS } from '../../../shared/vm-choices';
import { PathField } from '../../components/PathField';
import { controls, Field, type StepProps } from './controls';
import { GuestbayFolderChoice } from './GuestbayFolderChoice';
import { presetDefaults } from './model';

export function SharesStep(p: StepProps) {
  const { w, update, err, preset } = p;
  const { select } = controls(p);
  // The guest OS's methods, best first (the OS table), and the one the preset picks here.
  const methods = preset.traits.shareMethods;
  const defaultMethod = presetDefaults(w, preset).shareMethod;
  const chosen = w.shareMethod || defaultMethod;
  return (
    <>
      <GuestbayFolderChoice {...p} />
      <p className="hint intro">Folders of this guest’s own: each becomes a share named after the folder.</p>
      {w.shares.map((s, i) => (
        <div className="share-row" key={i}>
          <PathField
            id={`field-share-${i}`}
            label={`Folder ${i + 1}`}
            mode="dir"
            value={s}
            onChange={(v) => update({ shares: w.shares.map((x, j) => (j === i ? v : x)) })}
            error={err(`shares.${i}`)}
            placeholder="/home/you/Projects"
          />
          <button type="button" className="btn btn-small" data-testid={`share-remove-${i}`} onClick={() => update({ shares: w.shares.filter((_, j) => j !== i) })}>
            Remove
          </button>
        </div>
      ))}
      <p>
        <button type="button" className="btn" data-testid="share-add" onClick={() => update({ shares: [...w.shares, ''] })} disabled={w.shares.length >= 16}>
          Add a folder
        </button>
      </p>
      <Field id="field-share-method" label="How the guest sees them" error={err('shareMethod')}>
        {select(
          'shareMethod',
          defaultMethod,
          methods.map((m) => [m, SHARE_METHOD_LABELS[m]]),
        )}
      </Field>
      <ul className="method-list">
        {methods.map((m) => (
          <li key={m} className={m === chosen ? 'chosen' : undefined}>
            {SHARE_METHOD_MEANINGS[m]}
          </li>
        ))}
      </ul>
    </>
  );
}
