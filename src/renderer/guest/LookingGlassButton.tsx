// "Looking Glass" in the guest's header, for a guest that has it: opens the client on the guest's
// shared memory while it runs (guests.lookingGlass, as the tray's item does). When the client is
// not installed, the button is off and says what to install.
import { useEffect, useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import type { LookingGlassClientInfo } from '../../shared/contract-passthrough';
import { ErrorNotice } from '../components/ErrorNotice';
import { useClient } from '../store';

export function LookingGlassButton({ name, state, enabled }: { name: string; state: GuestStateName | undefined; enabled: boolean }) {
  const client = useClient();
  const [info, setInfo] = useState<LookingGlassClientInfo | null>(null);
  const [opened, setOpened] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (enabled) void client.call('host.lookingGlassClient', {}).then(setInfo, () => setInfo(null));
  }, [client, enabled]);
  if (!enabled) return null;
  const runs = state === 'running' || state === 'paused';
  const missing = info !== null && info.path === null;
  const why = missing ? `Looking Glass's client is not installed: ${info.install}` : !runs ? 'Looking Glass shows the guest while it runs: start it first.' : `Opens ${info?.path ?? 'looking-glass-client'} on the guest's shared memory`;
  const open = async () => {
    setError(null);
    setOpened(null);
    try {
      setOpened((await client.call('guests.lookingGlass', { name })).pid);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="looking-glass" data-testid={`looking-glass-${name}`}>
      <button type="button" className="btn btn-small" data-testid={`action-looking-glass-${name}`} disabled={!runs || missing || info === null} title={why} onClick={() => void open()}>
        Looking Glass
      </button>
      {missing && (
        <p className="hint" data-testid="looking-glass-missing">
          Looking Glass’s client is not installed: {info.install}
        </p>
      )}
      {opened !== null && (
        <p className="hint" role="status" data-testid="looking-glass-opened">
          Looking Glass opened in its own window.
        </p>
      )}
      {error !== null && <ErrorNotice error={error} title="Looking Glass could not be opened" testId="looking-glass-error" />}
    </div>
  );
}
