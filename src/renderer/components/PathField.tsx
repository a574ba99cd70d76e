// A path text field with "Browse…": the native dialog when there is one, else the in-app browser.
import { useState, type ReactNode } from 'react';
import { useClient } from '../store';
import { asSentence } from '../text';
import { FileBrowser } from './FileBrowser';

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={`${id}-error`} data-testid={`${id}-error`} role="alert">
      {asSentence(message)}
    </p>
  );
}

export interface PathFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string;
  hint?: ReactNode;
  mode?: 'file' | 'dir';
  filters?: { name: string; extensions: string[] }[];
  placeholder?: string;
}

export function PathField({ id, label, value, onChange, error, hint, mode = 'file', filters, placeholder }: PathFieldProps) {
  const client = useClient();
  const [browsing, setBrowsing] = useState(false);
  const browse = async () => {
    try {
      const r = mode === 'file' ? await client.call('dialog.pickFile', { title: label, filters }) : await client.call('dialog.pickFolder', { title: label });
      if (!r.supported) setBrowsing(true);
      else if (r.path) onChange(r.path);
    } catch {
      setBrowsing(true);
    }
  };
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="path-row">
        <input
          id={id}
          data-testid={id}
          type="text"
          value={value}
          placeholder={placeholder ?? '/path/to/file'}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        <button type="button" className="btn" data-testid={`${id}-browse`} onClick={() => void browse()}>
          Browse…
        </button>
      </div>
      {hint && <p className="hint">{hint}</p>}
      <FieldError id={id} message={error} />
      {browsing && (
        <FileBrowser
          mode={mode}
          title={label}
          start={value}
          filters={filters}
          onClose={() => setBrowsing(false)}
          onPick={(p) => {
            onChange(p);
            setBrowsing(false);
          }}
        />
      )}
    </div>
  );
}
