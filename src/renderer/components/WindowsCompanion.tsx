// Beside a Windows guest that still has its answer disk: Setup's stages (InstallCompanion), and
// at the end the answer disk removed from the guest (it holds the password) once it is stopped.
// The file itself stays in the guest's folder until the user deletes it: Guestbay never
// deletes a disk image on its own.
import { useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import { WINDOWS_INSTALL_STEPS } from '../windows-install-steps';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';
import { InstallCompanion } from './InstallCompanion';

/** The answer disk's drive id (src/main/windows/prepare.ts). */
export const ANSWER_DRIVE = 'answer0';

export function WindowsCompanion({ name, state, answerPath }: { name: string; state: GuestStateName; answerPath: string }) {
  const client = useClient();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const stopped = state === 'stopped' || state === 'crashed';

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const { config, revision } = await client.call('guests.get', { name });
      await client.call('guests.update', { name, revision, config: { ...config, media: config.media.filter((m) => m.id !== ANSWER_DRIVE) } });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <InstallCompanion
      storageKey={`guestbay.windows-companion.${name}`}
      title="Installing Windows"
      steps={WINDOWS_INSTALL_STEPS}
      testId="windows-companion"
      last={
        <>
          {done ? (
            <p data-testid="companion-finished">
              The answer disk is removed from the guest. Its file is still in the guest’s folder ({answerPath}): delete it when you no longer need it.
            </p>
          ) : (
            <>
              <button type="button" className="btn btn-primary" data-testid="companion-remove-answer" disabled={!stopped || busy} onClick={() => void remove()}>
                {busy ? 'Removing…' : 'Remove the answer disk'}
              </button>
              {!stopped && <p className="hint">Shut Windows down first (Start → Power → Shut down).</p>}
            </>
          )}
          {error !== null && <ErrorNotice error={error} title="The answer disk could not be removed" />}
        </>
      }
    />
  );
}
