// The app's lifecycle decisions, kept out of main.ts so they are plain functions under test.
import type { HostCaps } from '../../shared/host-caps';
import type { GuestStatus } from '../vm/supervisor';

const LIVE = new Set<GuestStatus['state']>(['starting', 'running', 'paused', 'stopping', 'saving']);

/**
 * Whether the app stays alive once its last window is closed. Guests outlive the window, so
 * while one runs the app keeps watching it; with the tray the app always stays, as the tray is
 * how the window comes back. A macOS guest being prepared keeps it too: quitting would cancel a
 * download that may have run for half an hour.
 */
export function keepRunningWithoutWindows(guests: Pick<GuestStatus, 'state'>[], o: { hasTray: boolean; preparing?: boolean }): boolean {
  return o.hasTray || o.preparing === true || guests.some((g) => LIVE.has(g.state));
}

/**
 * One probe shared by the supervisor and the UI: a probe boots a KVM test guest and lists
 * QEMU's devices, seconds of work whose answer does not change between clicks. `refresh`
 * probes again (after the user installed something); a failed probe is not kept.
 */
export function sharedProbe(run: (o: { useCache: boolean }) => Promise<HostCaps>): (o?: { refresh?: boolean }) => Promise<HostCaps> {
  let last: Promise<HostCaps> | undefined;
  return (o) => {
    if (!last || o?.refresh) {
      const p = run({ useCache: !o?.refresh });
      last = p;
      p.catch(() => {
        if (last === p) last = undefined;
      });
    }
    return last;
  };
}
