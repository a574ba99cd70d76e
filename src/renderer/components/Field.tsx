// A labelled form field: the label, the control, its one-line why, and its message when refused.
import type { ReactNode } from 'react';
import { FieldError } from './PathField';

export function Field({ id, label, error, hint, children, className }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {/* A message says it all: the hint would only repeat it ("This computer has 2 threads."). */}
      {hint && !error && <p className="hint">{hint}</p>}
      <FieldError id={id} message={error} />
    </div>
  );
}

/** Props that tie an input to its message (aria-invalid, aria-describedby). */
export function described(id: string, error: string | undefined) {
  return { id, 'data-testid': id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined } as const;
}
