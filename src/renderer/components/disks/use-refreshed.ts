// What the disks tab's panels share: data read from the main process again whenever the guest's
// state changes or an operation ends, and one operation at a time with its outcome in words.
import { useCallback, useEffect, useState } from 'react';

export function useRefreshed<T>(read: () => Promise<T>, state: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(() => {
    read().then(
      (d) => (setData(d), setError(null)),
      (e: unknown) => setError(e),
    );
  }, [read]);
  useEffect(() => load(), [load, state]);

  /** Runs one operation: its sentence goes to `done`, its error to `error`; the data is read again either way. */
  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await what());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      load();
    }
  };
  return { data, error, busy, done, run };
}
