// The tray menu as a pure function of the guests' states: the Electron part only renders it.
// Every item that acts names the contract call it makes, so a click is one `dispatch`.
import type { CallInput, CallName, GuestStateName, GuestStatusDto } from '../../shared/contract';

export interface TrayGuest {
  name: string;
  title: string;
  state: GuestStateName;
  /** false with the reason when QEMU cannot save this guest (then "Save" is off). */
  savable: boolean;
}

/** A guest as the tray shows it, from its status (the one every call and `guest.state` event carries). */
export function trayGuest(status: GuestStatusDto, title: string): TrayGuest {
  return { name: status.name, title, state: status.state, savable: status.savable?.ok !== false };
}

export type TrayAction =
  | { kind: 'call'; call: Extract<CallName, 'guests.switch' | 'guests.start' | 'guests.stop' | 'guests.pause' | 'guests.resume' | 'guests.save'>; input: CallInput<'guests.start'> }
  | { kind: 'show-display'; name: string }
  | { kind: 'open-app' }
  | { kind: 'quit' };

export interface TrayItem {
  id: string;
  label: string;
  enabled: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
  separator?: boolean;
}

export type TrayIcon = 'idle' | 'running' | 'busy';

const LIVE: GuestStateName[] = ['running', 'paused'];
const BUSY: GuestStateName[] = ['starting', 'stopping', 'saving'];

const STATE_LABEL: Record<GuestStateName, string> = {
  stopped: 'stopped',
  starting: 'starting…',
  running: 'running',
  paused: 'paused',
  saving: 'saving…',
  saved: 'saved',
  stopping: 'shutting down…',
  crashed: 'crashed',
};

/** The icon says at a glance whether anything runs (and whether something is in progress). */
export function trayIcon(guests: TrayGuest[]): TrayIcon {
  if (guests.some((g) => BUSY.includes(g.state))) return 'busy';
  return guests.some((g) => LIVE.includes(g.state)) ? 'running' : 'idle';
}

export function trayTooltip(guests: TrayGuest[]): string {
  const live = guests.filter((g) => LIVE.includes(g.state));
  if (live.length === 0) return 'Guestbay: no guest running';
  return `Guestbay: ${live.map((g) => `${g.title} (${STATE_LABEL[g.state]})`).join(', ')}`;
}

function guestItems(g: TrayGuest): TrayItem[] {
  const idle = g.state === 'stopped' || g.state === 'saved' || g.state === 'crashed';
  const live = LIVE.includes(g.state);
  const call = (id: string, label: string, c: Extract<TrayAction, { kind: 'call' }>['call'], enabled: boolean): TrayItem => ({
    id: `${g.name}:${id}`,
    label,
    enabled,
    action: { kind: 'call', call: c, input: { name: g.name } },
  });
  return [
    call('switch', 'Switch to', 'guests.switch', g.state !== 'running' && !BUSY.includes(g.state)),
    call('start', g.state === 'saved' ? 'Start (restore)' : 'Start', 'guests.start', idle),
    call('stop', 'Shut down', 'guests.stop', live),
    g.state === 'paused' ? call('resume', 'Resume', 'guests.resume', true) : call('pause', 'Pause', 'guests.pause', g.state === 'running'),
    call('save', g.savable ? 'Save' : 'Save (not possible for this guest)', 'guests.save', live && g.savable),
    { id: `${g.name}:display`, label: 'Show display', enabled: live, action: { kind: 'show-display', name: g.name } },
  ];
}

export function trayMenu(guests: TrayGuest[]): TrayItem[] {
  const items: TrayItem[] = guests.length
    ? guests.map((g) => ({ id: `guest:${g.name}`, label: `${g.title} — ${STATE_LABEL[g.state]}`, enabled: true, submenu: guestItems(g) }))
    : [{ id: 'no-guests', label: 'No guests yet', enabled: false }];
  return [
    ...items,
    { id: 'sep', label: '', enabled: false, separator: true },
    { id: 'open', label: 'Open Guestbay', enabled: true, action: { kind: 'open-app' } },
    { id: 'quit', label: 'Quit', enabled: true, action: { kind: 'quit' } },
  ];
}

/** Finds an item by id anywhere in the menu (what a click on it carries). */
export function findItem(items: TrayItem[], id: string): TrayItem | undefined {
  for (const i of items) {
    if (i.id === id) return i;
    const sub = i.submenu && findItem(i.submenu, id);
    if (sub) return sub;
  }
  return undefined;
}
