// The one guest-state model: which actions a guest's status allows, and, when one is not
// allowed, why in plain words. The tray (src/main/desktop/tray-model.ts), the window
// (src/renderer: GuestActions, the store, the shortcuts), the CLI and the supervisor's guards
// all ask here, so a paused guest offers the same things everywhere and a refusal reads the
// same whether a button is greyed out or a command is refused. Pure: no Node, no DOM.
import type { GuestProblem, GuestStateName, GuestStatusDto } from './contract';

/** Everything a user can do to a guest as a whole. */
export const GUEST_ACTIONS = [
  'start',
  'stop',
  'forceOff',
  'pause',
  'resume',
  'save',
  'restore',
  'discardSaved',
  'switch',
  'reset',
  'delete',
  'rename',
  /** Change a setting on the running guest now (media, USB devices, port forwards, link). */
  'editLive',
  /** Change the saved settings; on a running guest they apply at its next start. */
  'editSettings',
  'openFolder',
  'showDisplay',
] as const;
export type GuestAction = (typeof GUEST_ACTIONS)[number];

/** The labels every client shows for an action (buttons, tray items, the help overlay). */
export const ACTION_LABELS: Record<GuestAction, string> = {
  start: 'Start',
  stop: 'Shut down',
  forceOff: 'Force off',
  pause: 'Pause',
  resume: 'Resume',
  save: 'Save state',
  restore: 'Restore',
  discardSaved: 'Discard saved state',
  switch: 'Switch to',
  reset: 'Reset',
  delete: 'Delete',
  rename: 'Rename',
  editLive: 'Change now',
  editSettings: 'Edit settings',
  openFolder: 'Open folder',
  showDisplay: 'Show display',
};

/** One line on what each action does (tooltips, the help overlay, `guestbay help`). */
export const ACTION_HELP: Record<GuestAction, string> = {
  start: 'Start the guest (a saved guest continues where it was saved)',
  stop: 'Ask the guest to shut down, as the power button would',
  forceOff: 'End the guest at once, as pulling the plug would: unsaved work in it is lost',
  pause: 'Freeze the guest in memory; it keeps its RAM',
  resume: 'Let a paused guest run again',
  save: "Write the guest's memory to disk and stop it; Start continues from there",
  restore: 'Continue a saved guest where it was saved',
  discardSaved: 'Forget the saved state: the next start boots the guest afresh',
  switch: 'Make room for this guest (save or shut down what it needs) and run it',
  reset: 'Restart the guest at once, like the reset button: unsaved work in it is lost',
  delete: 'Remove the guest; its disk images are kept unless you choose to delete them',
  rename: "Change the guest's name (its folder moves with it)",
  editLive: 'Change media, USB devices, port forwards or the network link while it runs',
  editSettings: "Change the guest's settings; a running guest gets them at its next start",
  openFolder: "Open the guest's folder (its configuration, disks and logs)",
  showDisplay: "Show the guest's screen",
};

/** What the model needs to know of a guest: its status as every call and event carries it, and a little more. */
export interface GuestStateInput {
  /** The name, or the title when there is one: refusals name the guest as the user knows it. */
  title?: string;
  name: string;
  state: GuestStateName;
  /** From the running plan: whether QEMU can save this guest, and why not. */
  savable?: GuestStatusDto['savable'];
  /** Running, but something it needs has failed (a helper process died): the reason. */
  degraded?: string;
  /** QEMU runs but does not answer (hung, or stopped by a signal): only ending it can be asked. */
  notAnswering?: Pick<GuestProblem, 'message' | 'fix'>;
  /** Its vm.json cannot be read: only delete, remove and open folder make sense (and ending it, if it still runs). */
  damaged?: boolean;
  /** An operation this client already runs on it (e.g. 'save'): every other action waits. */
  busy?: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** States where QEMU runs the guest (its vCPUs may be stopped). */
export const LIVE_STATES: readonly GuestStateName[] = ['running', 'paused'];
/** States of an operation under way: nothing else may start until it ends. */
export const BUSY_STATES: readonly GuestStateName[] = ['starting', 'stopping', 'saving'];
/** States where no QEMU runs. */
export const AT_REST_STATES: readonly GuestStateName[] = ['stopped', 'saved', 'crashed'];

export const isLive = (s: GuestStateName) => LIVE_STATES.includes(s);
export const isBusy = (s: GuestStateName) => BUSY_STATES.includes(s);
export const isAtRest = (s: GuestStateName) => AT_REST_STATES.includes(s);

/** A state as a sentence ends: "X is running", "X is shutting down". */
export const STATE_WORDS: Record<GuestStateName, string> = {
  stopped: 'stopped',
  starting: 'starting',
  running: 'running',
  paused: 'paused',
  saving: 'being saved',
  saved: 'saved',
  stopping: 'shutting down',
  crashed: 'stopped after a crash',
};

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Whether `action` is allowed for a guest in this status, and if not, why in one or two sentences. */
export function verdict(g: GuestStateInput, action: GuestAction): Verdict {
  const who = g.title || `"${g.name}"`;
  const st = g.state;
  const words = STATE_WORDS[st];

  if (action === 'openFolder') return OK;
  if (g.notAnswering) {
    if (action === 'stop' || action === 'forceOff') return OK;
    return no(`${cap(sentence(g.notAnswering.message))} ${cap(sentence(g.notAnswering.fix))}`);
  }
  if (g.damaged) {
    // A running guest whose vm.json broke is still ended the usual ways; nothing else reads a config it cannot read.
    if (isLive(st) && (action === 'stop' || action === 'forceOff')) return OK;
    if (action === 'delete' && !isLive(st) && !isBusy(st)) return OK;
    return no(`The configuration of ${who} is damaged: fix its vm.json, or remove the guest${isLive(st) ? ' once it is shut down' : ''}.`);
  }
  if (g.busy) return no(`${who} is busy: ${g.busy} is in progress. Wait for it to finish.`);
  if (isBusy(st)) {
    // Pulling the plug is what a guest that does not shut down needs: always possible once QEMU runs.
    if (action === 'forceOff' && st === 'stopping') return OK;
    if (action === 'showDisplay' && st !== 'saving') return OK;
    return no(`${who} is ${words}: wait until it is done.`);
  }

  switch (action) {
    case 'start':
      if (isAtRest(st)) return OK;
      return no(`${who} is already ${words}.`);
    case 'restore':
      if (st === 'saved') return OK;
      return no(isLive(st) ? `${who} is already ${words}.` : `${who} has no saved state to restore: start it instead.`);
    case 'discardSaved':
      if (st === 'saved') return OK;
      return no(`${who} has no saved state.`);
    case 'stop':
      if (isLive(st)) return OK;
      return no(`${who} is not running.`);
    case 'forceOff':
      if (isLive(st)) return OK;
      return no(`${who} is not running.`);
    case 'pause':
      if (st === 'running') return OK;
      return no(st === 'paused' ? `${who} is already paused.` : `${who} is not running.`);
    case 'resume':
      if (st === 'paused') return OK;
      return no(st === 'running' ? `${who} is already running.` : `${who} is not paused${st === 'saved' ? ': it is saved, start it to continue' : ''}.`);
    case 'save':
      if (!isLive(st)) return no(st === 'saved' ? `${who} is already saved.` : `${who} is not running, so there is nothing to save.`);
      // Paused or running alike: what stops a save is the machine (its CPU, a passed-through
      // device, a share's daemon), never the run state.
      if (g.savable && !g.savable.ok) return no(`${who} cannot be saved: ${sentence(g.savable.reason)}`);
      if (g.degraded) return no(`${who} cannot be saved while ${g.degraded}: shut it down and start it again.`);
      return OK;
    case 'switch':
      // The switch policy handles every target that is not already the one running: it starts a
      // stopped or crashed guest, restores a saved one, resumes a paused one.
      if (st === 'running') return no(`${who} is already running.`);
      return OK;
    case 'reset':
      if (isLive(st)) return OK;
      return no(`${who} is not running.`);
    case 'delete':
      if (isLive(st)) return no(`${who} is ${words}: shut it down (or force it off) before deleting it.`);
      if (st === 'saved') return no(`${who} has a saved state that deleting it would lose: start it and shut it down, or discard the saved state first.`);
      return OK;
    case 'rename':
      if (isLive(st)) return no(`${who} is ${words}: shut it down before renaming it (its sockets and logs are named after it).`);
      if (st === 'saved') return no(`${who} is saved, and its saved state expects its name: start it and shut it down, or discard the saved state first.`);
      return OK;
    case 'editLive':
      if (isLive(st)) return OK;
      return no(`${who} is not running: change its settings instead, they apply when it starts.`);
    case 'editSettings':
      // A running guest keeps the command it started with: its changes wait for the next start.
      if (st === 'saved') return no(`${who} is saved, and its saved state expects the settings it was saved with: start it and shut it down, or discard the saved state first.`);
      return OK;
    case 'showDisplay':
      if (isLive(st)) return OK;
      return no(`${who} is not running.`);
  }
}

/** Every action's verdict at once (what a menu or a row of buttons needs). */
export function verdicts(g: GuestStateInput): Record<GuestAction, Verdict> {
  return Object.fromEntries(GUEST_ACTIONS.map((a) => [a, verdict(g, a)])) as Record<GuestAction, Verdict>;
}

/** The model's input from a status as the contract carries it. */
export function stateInput(status: Pick<GuestStatusDto, 'name' | 'state' | 'savable' | 'problems'>, extra: Pick<GuestStateInput, 'title' | 'busy' | 'damaged'> = {}): GuestStateInput {
  const hung = status.problems?.find((p) => p.kind === 'not-answering');
  const lost = status.problems?.filter((p) => p.kind === 'sidecar-ended').map((p) => p.message);
  return {
    name: status.name,
    state: status.state,
    savable: status.savable,
    ...(hung ? { notAnswering: { message: hung.message, fix: hung.fix } } : {}),
    ...(lost?.length ? { degraded: lost.join(' and ') } : {}),
    ...extra,
  };
}
