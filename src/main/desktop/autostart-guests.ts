// Guests marked `autostart` start when Guestbay does (the desktop app in the tray, or
// `guestbay serve`): those at rest are started (a saved one is restored), one after another,
// each failure said and the others still started.
import type { Supervisor } from '../vm/supervisor';

export async function startAutostartGuests(supervisor: Pick<Supervisor, 'store' | 'status' | 'start'>, report: (message: string) => void): Promise<string[]> {
  const started: string[] = [];
  for (const g of await supervisor.store.list()) {
    if (!g.config?.autostart) continue;
    try {
      const st = await supervisor.status(g.name);
      if (st.state !== 'stopped' && st.state !== 'crashed' && st.state !== 'saved') continue;
      await supervisor.start(g.name);
      started.push(g.name);
    } catch (e) {
      report(`guestbay: could not start ${g.config.title ?? g.name} (autostart): ${(e as Error).message}`);
    }
  }
  return started;
}
