// Step 6: host folders the guest can open, and how it mounts them.
import { PathField } from '../../components/PathField';
import { SHARE_METHODS, SHARE_METHODS_FOR } from './choices';
import { controls, Field, type StepProps } from './controls';

export function SharesStep(p: StepProps) {
  const { w, update, err, preview } = p;
  const { select } = controls(p);
  const methods = SHARE_METHODS_FOR[w.os];
  const defaultMethod = preview?.config.sharedFolders[0]?.method ?? (w.os.startsWith('windows') && !w.driversIso ? 'smb' : methods[0]!);
  const chosen = w.shareMethod || defaultMethod;
  return (
    <>
      <p className="hint intro">Folders of this computer the guest can open. Each becomes a share named after the folder.</p>
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
          methods.map((m) => [m, m === '9p' ? '9p (virtio-9p)' : m === 'smb' ? 'SMB (Samba)' : 'virtiofs']),
        )}
      </Field>
      <ul className="method-list">
        {methods.map((m) => (
          <li key={m} className={m === chosen ? 'chosen' : undefined}>
            {SHARE_METHODS[m]}
          </li>
        ))}
      </ul>
    </>
  );
}
