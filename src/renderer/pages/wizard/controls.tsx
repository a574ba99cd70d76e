// What every wizard step gets from the wizard, and the labelled inputs the steps are made of.
import type { ReactNode } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { FieldError } from '../../components/PathField';
import type { Preset, WizardState } from './model';

export type Preview = CallOutput<'guests.preview'>;

export interface StepProps {
  w: WizardState;
  /** The chosen preset, as `presets.list` describes it: its defaults and its OS's traits. */
  preset: Preset;
  /** Changes fields and clears their errors. */
  update(patch: Partial<WizardState>): void;
  /** The error shown at a field, from the step's own check or the server. */
  err(key: string): string | undefined;
  /** The preset's reason for a config field's value, from the last preview. */
  reason(key: string): string | undefined;
  preview: Preview | null;
}

/** A wizard field key → its data-testid (documented in TESTIDS.md). */
export function fieldTestId(key: string): string {
  const share = /^shares\.(\d+)$/.exec(key);
  if (share) return `field-share-${share[1]}`;
  const map: Record<string, string> = { diskSize: 'field-disk-size', memoryGiB: 'field-memory', existingDisk: 'field-existing-disk', driversIso: 'field-drivers-iso', diskBus: 'field-disk-bus', shareMethod: 'field-share-method' };
  return map[key] ?? `field-${key}`;
}

export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <p className="hint">{hint}</p>}
      <FieldError id={id} message={error} />
    </div>
  );
}

/** A text input and a select bound to one wizard field each. */
export function controls({ w, update, err }: Pick<StepProps, 'w' | 'update' | 'err'>) {
  const input = (key: keyof WizardState & string, props: { type?: string; placeholder?: string; inputMode?: 'numeric' | 'decimal' } = {}) => {
    const id = fieldTestId(key);
    return (
      <input
        id={id}
        data-testid={id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        spellCheck={false}
        value={String(w[key] ?? '')}
        aria-invalid={err(key) ? true : undefined}
        aria-describedby={err(key) ? `${id}-error` : undefined}
        onChange={(e) => update({ [key]: e.target.value } as Partial<WizardState>)}
      />
    );
  };

  const select = <K extends 'diskBus' | 'nic' | 'display' | 'shareMethod'>(key: K, presetValue: string | undefined, options: [WizardState[K], string][]) => {
    const id = fieldTestId(key);
    return (
      <select id={id} data-testid={id} value={w[key]} onChange={(e) => update({ [key]: e.target.value } as Partial<WizardState>)}>
        <option value="">Recommended{presetValue ? ` (${presetValue})` : ''}</option>
        {options.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    );
  };

  return { input, select };
}
