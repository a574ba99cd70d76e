// The frame of a guided setup (macOS, Windows): the title, the numbered steps with the current
// one marked, the step's body and error, and Back / the step's forward button. Each page keeps
// its steps' contents and what its forward button does; test ids are `<prefix>-step-<id>`,
// `<prefix>-error`, `<prefix>-back`.
import type { ReactNode } from 'react';
import { ErrorNotice } from '../ErrorNotice';

export function GuidedSetupFrame<S extends string>(p: {
  prefix: 'macos' | 'windows';
  title: string;
  steps: readonly { id: S; label: string }[];
  step: S;
  error: unknown;
  /** The footer's forward button (Next, or the step's own action); no footer when null. */
  forward: ReactNode | null;
  backDisabled: boolean;
  onBack(): void;
  children: ReactNode;
}) {
  const idx = p.steps.findIndex((s) => s.id === p.step);
  return (
    <section className="page wizard" aria-labelledby={`${p.prefix}-title`} data-testid={`${p.prefix}-setup`}>
      <header className="page-head">
        <h1 id={`${p.prefix}-title`}>{p.title}</h1>
      </header>
      <div className="wizard-body">
        <nav className="steps" aria-label="Steps">
          <ol>
            {p.steps.map((s, i) => (
              <li key={s.id}>
                <span className={`step${s.id === p.step ? ' current' : ''}${i < idx ? ' done' : ''}`} data-testid={`${p.prefix}-step-${s.id}`} aria-current={s.id === p.step ? 'step' : undefined}>
                  <span className="step-num">{i + 1}</span> {s.label}
                </span>
              </li>
            ))}
          </ol>
        </nav>
        <div className="step-body">
          <h2>{p.steps[idx]!.label}</h2>
          {p.children}
          {p.error !== null && <ErrorNotice error={p.error} title="Guestbay could not do this" testId={`${p.prefix}-error`} />}
          {p.forward !== null && (
            <footer className="wizard-foot">
              <button type="button" className="btn" data-testid={`${p.prefix}-back`} disabled={p.backDisabled} onClick={p.onBack}>
                Back
              </button>
              {p.forward}
            </footer>
          )}
        </div>
      </div>
    </section>
  );
}
