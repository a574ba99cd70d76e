// Which actions a guest's state allows, and running them (the store is refreshed from the reply).
import type { GuestbayClient, GuestStateName, GuestStatusDto } from '../shared/contract';

export type ActionId = 'start' | 'stop' | 'pause' | 'resume' | 'save' | 'switch';

export const ACTION_LABELS: Record<ActionId, string> = {
  start: 'Start',
  stop: 'Shut down',
  pause: 'Pause',
  resume: 'Resume',
  save: 'Save state',
  switch: 'Switch to',
};

/** The keyboard shortcut of each action, on the selected guest (the help overlay lists them). */
export const ACTION_KEYS: Record<ActionId, string> = {
  start: 'Enter',
  stop: 'Ctrl+.',
  pause: 'P',
  resume: 'P',
  save: 'S',
  switch: 'W',
};

export const ACTION_HELP: Record<ActionId, string> = {
  start: 'Start the guest (a saved guest continues where it was saved)',
  stop: 'Ask the guest to shut down, as the power button would',
  pause: 'Freeze the guest in memory; it keeps its RAM',
  resume: 'Let a paused guest run again',
  save: 'Write the guest\'s memory to disk and stop it; Start continues from there',
  switch: 'Save whatever guest is running and start this one',
};

export function allowed(state: GuestStateName | undefined, savable?: GuestStatusDto['savable'], problems?: GuestStatusDto['problems']): Record<ActionId, boolean> {
  const s = state ?? 'stopped';
  // A QEMU that does not answer can be asked nothing; Shut down stays, and says what to do.
  if (problems?.some((p) => p.kind === 'not-answering')) return { start: false, stop: true, pause: false, resume: false, save: false, switch: false };
  return {
    start: s === 'stopped' || s === 'saved' || s === 'crashed',
    stop: s === 'running' || s === 'paused' || s === 'starting',
    pause: s === 'running',
    resume: s === 'paused',
    save: (s === 'running' || s === 'paused') && savable?.ok !== false,
    switch: s === 'stopped' || s === 'saved',
  };
}

export async function runAction(client: GuestbayClient, id: ActionId, name: string): Promise<GuestStatusDto> {
  switch (id) {
    case 'start':
      return client.call('guests.start', { name });
    case 'stop':
      return client.call('guests.stop', { name });
    case 'pause':
      return client.call('guests.pause', { name });
    case 'resume':
      return client.call('guests.resume', { name });
    case 'save':
      return client.call('guests.save', { name });
    case 'switch':
      return (await client.call('guests.switch', { name })).status;
  }
}
