// Beside a macOS guest that still has its recovery disk: the installer's steps (InstallCompanion).
// The last step detaches the recovery disk (`macos.finish`) once macOS is shut down.
import { useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import type { VmConfig } from '../../shared/vm-config';
import { MACOS_INSTALL_STEPS } from '../macos-install-steps';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';
import { InstallCompanion } from './InstallCompanion';

export function MacosCompanion({ name, state, onFinished }: { name: string; state: GuestStateName; onFinished(config: VmConfig): void }) {
  const client = useClient();
  const [done, setDone] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

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
    <InstallCompanion
      storageKey={`guestbay.macos-companion.${name}`}
      title="Installing macOS"
      steps={MACOS_INSTALL_STEPS}
      testId="macos-companion"
      last={
        <>
          {done ? (
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
        </>
      }
    />
  );
}
