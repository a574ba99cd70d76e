// The frame every settings section shares: its title, when its changes reach a running guest,
// its one-line why, a conflict or refusal, what the last change did, and Save/Revert while its
// draft differs from the guest's settings.
import type { ReactNode } from 'react';
import type { EditResult } from '../../../shared/contract';
import { ErrorNotice } from '../ErrorNotice';
import { useGuestEdit } from '../../guest/edit-context';
import type { Conflict, Section } from './use-section';
import { Mark } from '../Icons';

export type Applies = 'live' | 'next-start' | 'now' | 'mixed';

const APPLIES_WORDS: Record<Exclude<Applies, 'now'>, string> = {
  live: 'Changes the running guest at once',
  'next-start': 'Applies at next start',
  mixed: 'Some changes at once, the rest at next start',
};

export function AppliesTag({ applies }: { applies: Applies }) {
  const { live } = useGuestEdit();
  if (!live || applies === 'now') return null;
  return (
    <span className={`applies applies-${applies}`} data-testid="applies">
      {APPLIES_WORDS[applies]}
    </span>
  );
}

export function ConflictNotice({ conflict, onReload }: { conflict: Conflict; onReload(): void }) {
  return (
    <div className="notice notice-warning" role="alert" data-testid="settings-conflict">
      <strong>Not saved: this guest was changed elsewhere meanwhile</strong>
      <p>
        {conflict.changed.length ? `Changed elsewhere: ${conflict.changed.join(', ')}. ` : ''}
        Reload to see the guest as it is now, then make your change again.
      </p>
      <button type="button" className="btn btn-small" data-testid="settings-reload" onClick={onReload}>
        Reload this guest
      </button>
    </div>
  );
}

/** What an edit did: applied to the running guest now, waiting for the next start, warnings. */
export function EditOutcome({ r }: { r: EditResult }) {
  return (
    <div className="edit-outcome" role="status" data-testid="settings-saved">
      {r.appliedLive.length > 0 ? (
        <ul className="applied">
          {r.appliedLive.map((a) => (
            <li key={a}>
              <Mark kind="check" /> {a}
            </li>
          ))}
        </ul>
      ) : (
        <p>
          <Mark kind="check" /> Saved.{r.pending && r.pending.changes.length > 0 ? ' The running guest gets it at its next start.' : ''}</p>
      )}
      {r.warnings.length > 0 && (
        <ul className="warnings" data-testid="settings-warnings">
          {r.warnings.map((w) => (
            <li key={w.field + w.message}>
              <Mark kind="warning" /> {w.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SectionFrame<D>({
  id,
  title,
  why,
  applies,
  s,
  children,
  saveLabel = 'Save changes',
}: {
  id: string;
  title: string;
  why?: ReactNode;
  applies: Applies;
  /** The section's form, when it has one (Save and Revert appear while it differs). */
  s?: Section<D>;
  children: ReactNode;
  saveLabel?: string;
}) {
  const ctx = useGuestEdit();
  return (
    <section className="settings-section" aria-labelledby={`settings-${id}-title`} data-testid={`settings-section-${id}`}>
      <header className="section-head">
        <h3 id={`settings-${id}-title`}>{title}</h3>
        <AppliesTag applies={applies} />
      </header>
      {why && <p className="hint section-why">{why}</p>}
      {!ctx.canEdit.ok && (
        <p className="notice" data-testid="settings-locked">
          {ctx.canEdit.reason}
        </p>
      )}
      {s?.conflict && <ConflictNotice conflict={s.conflict} onReload={() => void s.reload()} />}
      {s && s.notice !== null && <ErrorNotice error={s.notice} title="This change was not made" testId="settings-error" />}
      <fieldset className="section-body" disabled={!ctx.canEdit.ok || s?.saving}>
        {children}
      </fieldset>
      {s?.saved && <EditOutcome r={s.saved} />}
      {s && s.dirty && ctx.canEdit.ok && (
        <footer className="section-foot">
          <button type="button" className="btn btn-primary" data-testid={`settings-save-${id}`} disabled={s.saving} onClick={() => void s.save()}>
            {s.saving ? 'Saving…' : saveLabel}
          </button>
          <button type="button" className="btn" data-testid={`settings-revert-${id}`} disabled={s.saving} onClick={s.revert}>
            Revert
          </button>
          {ctx.live && applies !== 'live' && applies !== 'now' && <span className="muted">The running guest gets this at its next start.</span>}
        </footer>
      )}
    </section>
  );
}

/** Radio choices, each with its one-line why. */
export function Choices<T extends string>({
  name,
  legend,
  value,
  options,
  onChange,
  testId,
  disabled,
}: {
  name: string;
  legend: string;
  value: T;
  options: { value: T; label: string; why: string; disabled?: string }[];
  onChange(v: T): void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <fieldset className="choices" role="radiogroup" aria-label={legend}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className={`choice${value === o.value ? ' selected' : ''}${o.disabled ? ' choice-off' : ''}`}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} disabled={disabled || Boolean(o.disabled)} data-testid={`${testId}-${o.value}`} onChange={() => onChange(o.value)} />
          <span>
            <strong>{o.label}</strong>
            <span className="hint">{o.disabled ?? o.why}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
