// The window's guest actions: which are allowed and why not come from the one guest-state model
// (src/shared/guest-state.ts), the same the tray, the CLI and the supervisor ask; this file adds
// the window's own keys and runs an action over the contract.
import type { GuestbayClient, GuestStatusDto } from '../shared/contract';
import { ACTION_HELP as MODEL_HELP, ACTION_LABELS as MODEL_LABELS, stateInput, verdicts, type GuestAction, type Verdict } from '../shared/guest-state';

/** The actions a button or a key runs in one call that answers with the guest's status. */
export type ActionId = Extract<GuestAction, 'start' | 'stop' | 'forceOff' | 'pause' | 'resume' | 'save' | 'switch' | 'reset'>;

export const ACTION_LABELS: Record<ActionId, string> = MODEL_LABELS;
export const ACTION_HELP: Record<ActionId, string> = MODEL_HELP;

/** The keyboard shortcut of each action, on the selected guest (the help overlay lists them). */
export const ACTION_KEYS: Record<ActionId, string> = {
  start: 'Enter',
  stop: 'Ctrl+.',
  forceOff: 'Ctrl+Shift+.',
  pause: 'P',
  resume: 'P',
  save: 'S',
  switch: 'W',
  reset: 'Ctrl+Shift+R',
};

/** Each action's verdict for this guest: `ok`, or the reason it is off (shown as the button's tooltip). */
export function actionVerdicts(status: GuestStatusDto | undefined, o: { name: string; title?: string; busy?: string; damaged?: boolean }): Record<GuestAction, Verdict> {
  // A guest that does not answer, or lost a helper, says so through its status's problems.
  return verdicts(stateInput(status ?? { name: o.name, state: 'stopped' }, { title: o.title, busy: o.busy, damaged: o.damaged }));
}

export async function runAction(client: GuestbayClient, id: ActionId, name: string): Promise<GuestStatusDto> {
  switch (id) {
    case 'start':
      return client.call('guests.start', { name });
    case 'stop':
      return client.call('guests.stop', { name });
    case 'forceOff':
      return client.call('guests.stop', { name, force: true });
    case 'pause':
      return client.call('guests.pause', { name });
    case 'resume':
      return client.call('guests.resume', { name });
    case 'save':
      return client.call('guests.save', { name });
    case 'reset':
      return client.call('guests.reset', { name });
    case 'switch':
      return (await client.call('guests.switch', { name })).status;
  }
}
