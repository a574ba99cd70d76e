// Quitting with guests running asks: leave them running (the default: they outlive the app),
// save them, or shut them down. The plan is pure; `carryOut` does it with progress.
import type { GuestStatus, Supervisor } from '../vm/supervisor';

export type QuitChoice = 'leave' | 'save' | 'shutdown';

export interface QuitStep {
  name: string;
  action: 'leave' | 'save' | 'shutdown';
  /** Why a guest that should be saved is shut down instead. */
  note?: string;
}

const LIVE = new Set(['running', 'paused', 'starting']);

export function quitPlan(choice: QuitChoice, guests: Pick<GuestStatus, 'name' | 'state' | 'savable'>[]): QuitStep[] {
  return guests
    .filter((g) => LIVE.has(g.state))
    .map((g) => {
      if (choice !== 'save') return { name: g.name, action: choice };
      if (g.savable && !g.savable.ok) return { name: g.name, action: 'shutdown', note: g.savable.reason };
      return { name: g.name, action: 'save' };
    });
}

export async function carryOut(sup: Supervisor, steps: QuitStep[], onProgress: (done: number, total: number, step: QuitStep) => void): Promise<void> {
  let done = 0;
  for (const step of steps) {
    onProgress(done, steps.length, step);
    if (step.action === 'save') await sup.save(step.name);
    else if (step.action === 'shutdown') await sup.stop(step.name);
    done += 1;
  }
  onProgress(done, steps.length, steps.at(-1) ?? { name: '', action: 'leave' });
  // Whatever stays running is let go of, never stopped.
  await sup.detach();
}
