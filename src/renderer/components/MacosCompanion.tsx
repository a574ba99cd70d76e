// Beside a macOS guest that still has its recovery disk: the installer's steps, one at a time,
// each with what to do, what should be on screen and what to do if it is not. The place in the
// list is kept per guest in this browser, so a reload or a reboot of the guest does not lose it.
// The last step detaches the recovery disk (`macos.finish`) once macOS is shut down.
import { useEffect, useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import type { VmConfig } from '../../shared/vm-config';
import { MACOS_INSTALL_STEPS } from '../macos-install-steps';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';

const key = (name: string) => `guestbay.macos-companion.${name}`;

function savedStep(name: string): number {
  try {
    const n = Number(globalThis.localStorage?.getItem(key(name)) ?? 0);
    return Number.isInteger(n) && n >= 0 && n < MACOS_INSTALL_STEPS.length ? n : 0;
  } catch {
    return 0;
  }
}

export function MacosCompanion({ name, state, onFinished }: { name: string; state: GuestStateName; onFinished(config: VmConfig): void }) {
  const client = useClient();
  const [at, setAt] = useState(() => savedStep(name));
  const [done, setDone] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    try {
      globalThis.localStorage?.setItem(key(name), String(at));
    } catch {
      /* private mode: the place is just not remembered */
    }
  }, [name, at]);

  const stopped = state === 'stopped' || state === 'crashed';
  const finish = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('macos.finish', { name });
      setDone(r.done);
      onFinished(r.config);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="panel companion" aria-labelledby="companion-title" data-testid="macos-companion">
      <header className="panel-head">
        <h2 id="companion-title">Installing macOS</h2>
        <span className="muted">
          step {at + 1} of {MACOS_INSTALL_STEPS.length}
        </span>
      </header>
      <ol className="companion-steps">
        {MACOS_INSTALL_STEPS.map((s, i) => (
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
        {at < MACOS_INSTALL_STEPS.length - 1 ? (
          <button type="button" className="btn btn-primary" data-testid="companion-next" onClick={() => setAt(at + 1)}>
            Done, next step
          </button>
        ) : done ? (
          <ul data-testid="companion-finished">
            {done.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : (
          <>
            <button type="button" className="btn btn-primary" data-testid="companion-finish" disabled={!stopped || busy} onClick={() => void finish()}>
              {busy ? 'Finishing…' : 'Finish installation'}
            </button>
            {!stopped && <p className="hint">Shut macOS down first (Apple menu → Shut Down).</p>}
          </>
        )}
        {error !== null && <ErrorNotice error={error} title="The installation could not be finished" />}
      </footer>
    </aside>
  );
}
