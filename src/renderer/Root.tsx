// The app over a given client: main.tsx passes the real one, tests their own.
import { useEffect, useMemo } from 'react';
import type { GuestbayClient } from '../shared/contract';
import { App } from './App';
import { AppContext, createAppStore } from './store';

export function Root({ client }: { client: GuestbayClient }) {
  const store = useMemo(() => createAppStore(client), [client]);
  useEffect(() => store.connect(), [store]);
  const value = useMemo(() => ({ client, store }), [client, store]);
  return (
    <AppContext.Provider value={value}>
      <App />
    </AppContext.Provider>
  );
}
