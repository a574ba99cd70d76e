// The app over a given client: main.tsx passes the real one, tests their own.
import { useEffect, useMemo } from 'react';
import type { GuestbayClient } from '../shared/contract';
import { App } from './App';
import { AppContext, createAppStore, type AppStore } from './store';

/**
 * `store`: one made and connected before React starts (main.tsx), so the guests are asked for
 * while the page renders its shell; without one, a store is made here and connected by an effect.
 */
export function Root({ client, store: given }: { client: GuestbayClient; store?: AppStore }) {
  const store = useMemo(() => given ?? createAppStore(client), [client, given]);
  useEffect(() => (given ? undefined : store.connect()), [store, given]);
  const value = useMemo(() => ({ client, store }), [client, store]);
  return (
    <AppContext.Provider value={value}>
      <App />
    </AppContext.Provider>
  );
}
