// What every settings section needs to change a guest: its config and the revision it was read
// at, its state, and one way to send a change and take the answer (the new config, what was
// applied live, what waits for the next start, warnings). One per guest page.
import { createContext, useContext } from 'react';
import type { EditResult, GuestStateName, PendingChanges } from '../../shared/contract';
import type { VmConfig } from '../../shared/vm-config';

export interface GuestEdit {
  name: string;
  config: VmConfig;
  revision: string;
  state: GuestStateName;
  /** The guest-state model's word on editing the saved settings now, and on changing the running guest. */
  canEdit: { ok: true } | { ok: false; reason: string };
  live: boolean;
  pending: PendingChanges | null;
  /** Takes an edit's answer: the page's config, revision and pending changes follow it. */
  took(r: EditResult): void;
  /** Reads the guest again (after a conflict): its config and revision now, or null if it cannot be read. */
  reload(): Promise<{ config: VmConfig; revision: string } | null>;
}

export const GuestEditContext = createContext<GuestEdit | null>(null);

export function useGuestEdit(): GuestEdit {
  const c = useContext(GuestEditContext);
  if (!c) throw new Error('GuestEditContext missing');
  return c;
}
