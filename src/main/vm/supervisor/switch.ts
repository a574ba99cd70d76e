// "Switch to B": decided by the one switch policy (switch-policy.ts), carried out here.
import type { RunningGuest, SwitchDecision } from '../switch-policy';
import { decideSwitch } from '../switch-policy';
import { resume, start, status, stop } from './lifecycle';
import { restore, save } from './save-restore';
import type { GuestStatus, StartOptions, SupervisorCore } from './types';

export interface SwitchResult {
  decision: SwitchDecision;
  status: GuestStatus;
  elapsedMs: number;
}

/** Decides with the one switch policy, carries it out, and reports what happened. */
export async function switchTo(core: SupervisorCore, name: string, o: StartOptions = {}): Promise<SwitchResult> {
  const started = performance.now();
  const target = await core.store.get(name);
  const caps = await core.probe();
  const running: RunningGuest[] = [];
  for (const g of await core.store.list()) {
    if (!g.config || g.name === name) continue;
    const s = await core.session(g.name);
    if (s && (s.state === 'running' || s.state === 'paused' || s.state === 'starting')) {
      running.push({ config: g.config, state: s.state, savable: s.plan.savable });
    }
  }
  const targetState = (await status(core, name)).state;
  const decision = decideSwitch(
    target,
    targetState === 'running' || targetState === 'paused' || targetState === 'saved' || targetState === 'crashed' ? targetState : 'stopped',
    running,
    { memoryMiB: caps.memory.totalMiB, availableMiB: caps.memory.availableMiB },
    { iommuGroups: caps.iommu.groups },
  );
  const evict = async () => {
    for (const step of decision.evict) {
      core.progress(name, 'switch', `${step.action === 'save' ? 'saving' : 'shutting down'} ${step.guest}: ${step.because}`);
      if (step.action === 'save') await save(core, step.guest);
      else await stop(core, step.guest);
    }
  };
  // The time to a usable next guest: taken when it runs, not when the last save ends.
  let readyMs = 0;
  const bringUp = async (): Promise<GuestStatus> => {
    let st: GuestStatus;
    switch (decision.then) {
      case 'restore':
        st = await restore(core, name, o);
        break;
      case 'resume':
        st = await resume(core, name);
        break;
      case 'start':
        st = await start(core, name, { ...o, fresh: true });
        break;
      default:
        st = await status(core, name);
    }
    readyMs = performance.now() - started;
    return st;
  };
  let result: GuestStatus;
  if (decision.overlap) {
    // RAM holds both: the next guest restores while the one left is written out.
    const [saved, up] = await Promise.allSettled([evict(), bringUp()]);
    if (up.status === 'rejected') throw up.reason;
    if (saved.status === 'rejected') throw saved.reason;
    result = up.value;
  } else {
    await evict();
    result = await bringUp();
  }
  return { decision, status: result, elapsedMs: readyMs };
}
