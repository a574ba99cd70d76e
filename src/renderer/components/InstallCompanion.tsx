// Beside a guest being installed: the installer's steps, one at a time, each with what to do,
// what should be on screen and what to do if it is not. The place in the list is kept per guest
// in this browser, so a reload or a reboot of the guest does not lose it. What the last step
// offers (finish macOS, remove Windows' answer disk) is the caller's.
import { useEffect, useState, type ReactNode } from 'react';
import type { InstallStep } from '../macos-install-steps';

function savedStep(key: string, count: number): number {
  try {
    const n = Number(globalThis.localStorage?.getItem(key) ?? 0);
    return Number.isInteger(n) && n >= 0 && n < count ? n : 0;
  } catch {
    return 0;
  }
}

export function InstallCompanion({ storageKey, title, steps, testId, last }: { storageKey: string; title: string; steps: readonly InstallStep[]; testId: string; last: ReactNode }) {
  const [at, setAt] = useState(() => savedStep(storageKey, steps.length));
  useEffect(() => {
    try {
      globalThis.localStorage?.setItem(storageKey, String(at));
    } catch {
      /* private mode: the place is just not remembered */
    }
  }, [storageKey, at]);

  return (
    <aside className="panel companion" aria-labelledby="companion-title" data-testid={testId}>
      <header className="panel-head">
        <h2 id="companion-title">{title}</h2>
        <span className="muted">
          step {at + 1} of {steps.length}
        </span>
      </header>
      <ol className="companion-steps">
        {steps.map((s, i) => (
          <li key={s.id} className={i === at ? 'current' : i < at ? 'done' : ''} data-testid={`companion-step-${s.id}`} data-state={i === at ? 'current' : i < at ? 'done' : 'pending'}>
            <button type="button" className="link" onClick={() => setAt(i)} aria-current={i === at ? 'step' : undefined}>
              {s.title}
            </button>
            {i === at && (
              <div className="companion-detail">
                <p>{s.doThis}</p>
                <p>
                  <strong>You should see:</strong> {s.expect}
                </p>
                <details>
                  <summary>If you don’t</summary>
                  <p>{s.ifNot}</p>
                </details>
              </div>
            )}
          </li>
        ))}
      </ol>
      <footer className="companion-foot">
        {at < steps.length - 1 ? (
          <button type="button" className="btn btn-primary" data-testid="companion-next" onClick={() => setAt(at + 1)}>
            Done, next step
          </button>
        ) : (
          last
        )}
      </footer>
    </aside>
  );
}
