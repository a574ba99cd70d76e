// Running guests: every call goes through the one Supervisor, which owns the state and emits
// the events the UI follows.
import { switchNotification } from '../desktop/notifications';
import type { ApiContext, Handlers } from './context';

type LifecycleCalls = 'guests.start' | 'guests.stop' | 'guests.pause' | 'guests.resume' | 'guests.reset' | 'guests.save' | 'guests.restore' | 'guests.switch' | 'guests.agent';

export function lifecycleHandlers({ deps }: ApiContext): Handlers<LifecycleCalls> {
  const { store, supervisor } = deps;
  return {
    'guests.agent': (i) => supervisor.agent(i.name),
    'guests.start': (i) => supervisor.start(i.name, { headless: i.headless, paused: i.paused, fresh: i.fresh }),
    'guests.stop': (i) => supervisor.stop(i.name, { force: i.force, timeoutMs: i.timeoutSeconds === undefined ? undefined : i.timeoutSeconds * 1000 }),
    'guests.pause': (i) => supervisor.pause(i.name),
    'guests.resume': (i) => supervisor.resume(i.name),
    'guests.reset': (i) => supervisor.reset(i.name),
    'guests.save': (i) => supervisor.save(i.name),
    'guests.restore': (i) => supervisor.restore(i.name),
    'guests.switch': async (i) => {
      const r = await supervisor.switchTo(i.name);
      const titles = Object.fromEntries((await store.list()).map((g) => [g.name, g.config?.title ?? g.name]));
      return { summary: r.decision.summary, status: r.status, elapsedMs: r.elapsedMs, notification: switchNotification(r.decision, titles, i.name, r.elapsedMs) };
    },
  };
}
