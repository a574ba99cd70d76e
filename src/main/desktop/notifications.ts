// Notification texts, in plain words, from what the supervisor reports.
import type { SwitchDecision } from '../vm/switch-policy';

const DONE: Record<'save' | 'shutdown', string> = { save: 'Saved', shutdown: 'Shut down' };
const THEN: Record<SwitchDecision['then'], string> = { start: 'started', restore: 'restored', resume: 'resumed', nothing: 'kept' };

/** "Saved Windows 11, restored macOS Sonoma in 3.2 s". */
export function switchNotification(decision: SwitchDecision, titles: Record<string, string>, targetName: string, elapsedMs: number): { title: string; body: string } {
  const title = (n: string) => titles[n] ?? n;
  const parts = decision.evict.map((s) => `${DONE[s.action]} ${title(s.guest)}`);
  const target = decision.then === 'nothing' ? `${title(targetName)} was already running` : `${THEN[decision.then]} ${title(targetName)}`;
  const body = `${[...parts, parts.length ? target : target[0]!.toUpperCase() + target.slice(1)].join(', ')} in ${(elapsedMs / 1000).toFixed(1)} s`;
  return { title: `Switched to ${title(targetName)}`, body };
}
