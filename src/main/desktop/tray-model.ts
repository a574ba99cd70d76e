// The tray menu as a pure function of the guests' states: the Electron part only renders it.
// Every item that acts names the contract call it makes, so a click is one `dispatch`.
import type { CallInput, CallName, GuestStateName, GuestStatusDto } from '../../shared/contract';
import { ACTION_LABELS, isBusy, isLive, stateInput, verdicts, type GuestAction } from '../../shared/guest-state';
import { runsNatively } from '../../shared/os/arch-table';
import { GUEST_ARCH_LABELS, type GuestArch } from '../../shared/vm-choices';

export interface TrayGuest {
  name: string;
  title: string;
  state: GuestStateName;
  /** What the guest-state model needs beyond the state: whether QEMU can save it, and why not. */
  savable?: GuestStatusDto['savable'];
  /** What is wrong with it while it runs (QEMU not answering, a helper gone). */
  problems?: GuestStatusDto['problems'];
  /** What an operation on it is doing now (a switch saving it, a restore loading it): the supervisor's latest progress. */
  progress?: TrayProgress;
  /** Its CPU architecture where that is not the host's own (so it is emulated, and slow); absent otherwise. */
  arch?: GuestArch;
  /** It has a Looking Glass display: while it runs, the menu opens the client. */
  lookingGlass?: boolean;
}

/** The supervisor's progress event for one guest, as far as the tray shows it. */
export interface TrayProgress {
  operation: string;
  message: string;
  /** 0–1 where the operation knows how far it is (memory written or loaded). */
  fraction?: number;
}

/** A guest's progress in a few words: "saving… 42%", "restore: loading the saved state 60%". */
export function progressLabel(p: TrayProgress): string {
  const pct = p.fraction === undefined ? '' : ` ${Math.round(p.fraction * 100)}%`;
  return `${p.operation}: ${p.message}${pct}`;
}

/**
 * A guest as the tray shows it, from its status (the one every call and `guest.state` event
 * carries); `arch` and `hostArch` (the guest's and the host's architecture) mark an emulated one;
 * `lookingGlass`: it has a Looking Glass display, which the menu opens while it runs.
 */
export function trayGuest(status: GuestStatusDto, title: string, o: { arch?: GuestArch; hostArch?: GuestArch | null; lookingGlass?: boolean } = {}): TrayGuest {
  return {
    name: status.name,
    title,
    state: status.state,
    savable: status.savable,
    ...(status.problems ? { problems: status.problems } : {}),
    ...(runsNatively(o.arch ?? 'x86_64', o.hostArch === undefined ? 'x86_64' : o.hostArch) ? {} : { arch: o.arch ?? 'x86_64' }),
    ...(o.lookingGlass ? { lookingGlass: true } : {}),
  };
}

export type TrayAction =
  | { kind: 'call'; call: Extract<CallName, 'guests.switch' | 'guests.start' | 'guests.stop' | 'guests.pause' | 'guests.resume' | 'guests.save' | 'guests.lookingGlass'>; input: CallInput<'guests.stop'> }
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
  if (guests.some((g) => isBusy(g.state))) return 'busy';
  return guests.some((g) => isLive(g.state)) ? 'running' : 'idle';
}

export function trayTooltip(guests: TrayGuest[]): string {
  // A switch in progress is what the user waits for: it comes first, for each guest it involves.
  const busy = guests.filter((g) => g.progress);
  const doing = busy.map((g) => `${g.title}: ${progressLabel(g.progress!)}`).join('; ');
  const live = guests.filter((g) => isLive(g.state) && !g.progress);
  if (live.length === 0) return doing ? `Guestbay: ${doing}` : 'Guestbay: no guest running';
  const running = live.map((g) => `${g.title} (${STATE_LABEL[g.state]})`).join(', ');
  return `Guestbay: ${doing ? `${doing}; ` : ''}${running}`;
}

/** The guest's line in the menu: another architecture's marked, then its state, or while an operation runs, how far it is. */
function guestLabel(g: TrayGuest): string {
  const arch = g.arch ? ` · ${GUEST_ARCH_LABELS[g.arch]}, emulated` : '';
  return `${g.title}${arch} — ${g.progress ? progressLabel(g.progress) : STATE_LABEL[g.state]}`;
}

/**
 * A guest's submenu: each item enabled exactly when the guest-state model allows its action
 * (src/shared/guest-state.ts), as the window's buttons are. A menu item cannot show a tooltip,
 * so an action that is off for a reason of the guest's own (Save of a guest QEMU cannot save)
 * says so in its label.
 */
function guestItems(g: TrayGuest): TrayItem[] {
  const v = verdicts(stateInput(g, { title: g.title }));
  const call = (id: GuestAction, label: string, c: Extract<TrayAction, { kind: 'call' }>['call'], input: CallInput<'guests.stop'> = { name: g.name }): TrayItem => ({
    id: `${g.name}:${id}`,
    label,
    enabled: v[id].ok,
    action: { kind: 'call', call: c, input },
  });
  const cannotSave = isLive(g.state) && g.savable?.ok === false;
  return [
    call('switch', ACTION_LABELS.switch, 'guests.switch'),
    call('start', g.state === 'saved' ? 'Start (restore)' : ACTION_LABELS.start, 'guests.start'),
    call('stop', ACTION_LABELS.stop, 'guests.stop'),
    call('forceOff', ACTION_LABELS.forceOff, 'guests.stop', { name: g.name, force: true }),
    g.state === 'paused' ? call('resume', ACTION_LABELS.resume, 'guests.resume') : call('pause', ACTION_LABELS.pause, 'guests.pause'),
    call('save', cannotSave ? 'Save (not possible for this guest)' : 'Save', 'guests.save'),
    { id: `${g.name}:display`, label: ACTION_LABELS.showDisplay, enabled: v.showDisplay.ok, action: { kind: 'show-display', name: g.name } },
    // Looking Glass's window, the same call as the guest page's button: only for a guest that has
    // it, and on only while it runs (its frames come from the guest's GPU).
    ...(g.lookingGlass
      ? [{ id: `${g.name}:looking-glass`, label: 'Open Looking Glass', enabled: g.state === 'running' || g.state === 'paused', action: { kind: 'call' as const, call: 'guests.lookingGlass' as const, input: { name: g.name } } }]
      : []),
  ];
}

export function trayMenu(guests: TrayGuest[]): TrayItem[] {
  const items: TrayItem[] = guests.length
    ? guests.map((g) => ({ id: `guest:${g.name}`, label: guestLabel(g), enabled: true, submenu: guestItems(g) }))
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
