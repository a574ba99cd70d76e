// The contract's implementation, the same for every transport (Electron IPC, the headless
// WebSocket, in-process tests): `dispatch` validates the input against the contract, runs the
// handler over the services, and answers a Reply — it never throws.
import { homedir } from 'node:os';
import { calls, isCallName, type EventMessage, type Reply } from '../../shared/contract';
import type { ApiContext, ApiDeps, Handlers } from './context';
import { diskHandlers } from './disks';
import { passthroughHandlers } from './passthrough';
import { toWireError, validationError } from './errors';
import { fileHandlers } from './files';
import { guestHandlers } from './guests';
import { guestToolsHandlers } from './guest-tools';
import { hostHandlers } from './host';
import { lifecycleHandlers } from './lifecycle';
import { macosHandlers } from './macos';
import { MacJobs } from '../macos/jobs';
import { windowsHandlers } from './windows';
import { WindowsJobs } from '../windows/jobs';
import { mediaHandlers } from './media';
import { SerialConsoles, serialHandlers } from './serial';
import { settingsHandlers } from './settings';
import { editHandlers } from './edit';
import { GuestEditor } from '../vm/edit/editor';
import { GuestsWatcher } from '../vm/watch';
import { displayHandlers } from './display';
import { DisplayBridge } from '../display/bridge';
import { LastScreens } from '../display/last-screen';
import { thumbnail } from '../vm/screenshot';

export type { ApiDeps, Pickers } from './context';

export interface Api {
  dispatch(call: string, input: unknown): Promise<Reply>;
  onEvent(fn: (m: EventMessage) => void): () => void;
  /** Guests' screens: the transports attach their byte channels to tickets from `display.open`. */
  displays?: DisplayBridge;
  /** Closes serial consoles and views, and lets go of the guests without stopping them. */
  dispose(): Promise<void>;
  /** Settles once the guests' folders are watched: from then on every change elsewhere is announced. */
  ready?: Promise<void>;
}

export function createApi(deps: ApiDeps): Api {
  const listeners = new Set<(m: EventMessage) => void>();
  const emit = (m: EventMessage) => {
    for (const fn of [...listeners]) {
      try {
        fn(m);
      } catch (e) {
        // Events are emitted from inside the supervisor: one broken listener (a closed window)
        // must not break the lifecycle operation that emitted them.
        console.error('guestbay: an event listener failed:', e);
      }
    }
  };
  const editor = new GuestEditor({ store: deps.store, supervisor: deps.supervisor, probe: () => deps.probe(), hostUsb: deps.hostUsb });
  // Changes made here and by other processes alike become `guests.changed` (and, for guests
  // started or stopped elsewhere, `guest.state`), each announced once.
  const watcher = new GuestsWatcher({
    store: deps.store,
    status: (name) => deps.supervisor.status(name),
    onChange: (payload) => emit({ event: 'guests.changed', payload }),
    onState: (payload) => emit({ event: 'guest.state', payload }),
  });
  const watching = deps.watch === false ? Promise.resolve() : watcher.start().catch((e: Error) => console.error(`guestbay: cannot watch the guests' folders: ${e.message}`));
  const ctx: ApiContext = {
    deps,
    home: deps.env.HOME || homedir(),
    emit,
    editor,
    changed: async (name) => {
      await watching;
      await watcher.check(name);
    },
    renamed: async (oldName, newName) => {
      await watching;
      watcher.noteRename(oldName, newName);
      await watcher.check();
    },
  };
  const consoles = new SerialConsoles((name, data) => emit({ event: 'serial.data', payload: { name, data } }));
  const jobs = new MacJobs({
    store: deps.store,
    probe: () => deps.probe(),
    env: deps.env,
    sources: deps.macosSources,
    onJob: (job) => emit({ event: 'macos.job', payload: job }),
  });
  const windowsJobs = new WindowsJobs({
    store: deps.store,
    probe: () => deps.probe(),
    env: deps.env,
    ...(deps.windowsSources ? { sources: deps.windowsSources } : {}),
    onJob: (job) => emit({ event: 'windows.job', payload: job }),
  });
  const displays = new DisplayBridge();
  const screens = new LastScreens((name) => deps.store.dirs(name).dir);
  const guests = guestHandlers(ctx);
  const handlers = {
    ...hostHandlers(ctx),
    ...guests,
    // After the guests' own: `guests.screenshot` there becomes display-aware (the open view's picture).
    ...displayHandlers(ctx, displays, screens),
    ...withResetNotice(lifecycleHandlers(ctx), emit),
    ...serialHandlers(ctx, consoles),
    ...mediaHandlers(ctx),
    ...fileHandlers(ctx),
    ...settingsHandlers(ctx),
    ...editHandlers(ctx),
    ...macosHandlers(ctx, jobs),
    ...windowsHandlers(ctx, windowsJobs),
    ...diskHandlers(ctx),
    ...guestToolsHandlers(ctx),
    ...passthroughHandlers(ctx),
  } satisfies Handlers;

  const unsubscribe = deps.supervisor.onEvent((e) => {
    if (e.type === 'state') {
      // The whole status, as every call that answers with one gives it.
      watcher.noteState(e.status);
      emit({ event: 'guest.state', payload: e.status });
      // QEMU is gone: so is the far end of the console.
      const { name, state } = e.status;
      if (state === 'stopped' || state === 'crashed' || state === 'saved') {
        consoles.close(name);
        // And of its screen: open views say why and wait for the guest to be back.
        displays.closeGuest(name, state === 'saved' ? `"${name}" was saved` : state === 'crashed' ? `"${name}" crashed` : `"${name}" stopped`);
      }
      // The last picture before a save, so the library shows the saved guest as it was.
      if (state === 'saving') void keepLastScreen(name);
    } else {
      emit({ event: 'progress', payload: { name: e.name, operation: e.operation, message: e.message, fraction: e.fraction } });
    }
  });

  async function keepLastScreen(name: string): Promise<void> {
    try {
      const png = await thumbnail(await deps.supervisor.monitor(name), { workDir: deps.store.dirs(name).runtimeDir, maxWidth: 320, maxHeight: 240 });
      await screens.keep(name, png, { force: true });
    } catch {
      // No screen, or QEMU already gone: the last periodic picture stays.
    }
  }

  let disposed: Promise<void> | undefined;

  return {
    ready: watching,
    async dispatch(call, input) {
      try {
        if (!isCallName(call)) return { ok: false, error: { name: 'UnknownCall', message: `there is no call named "${String(call)}"` } };
        if (disposed) return { ok: false, error: { name: 'ApiClosedError', message: 'Guestbay is shutting down' } };
        const spec = calls[call];
        const parsed = spec.input.safeParse(input ?? {});
        if (!parsed.success) return { ok: false, error: validationError(call, parsed.error) };
        const output = await (handlers[call] as (i: unknown) => Promise<unknown>)(parsed.data);
        if (deps.validateOutputs) {
          const checked = spec.output.safeParse(output);
          if (!checked.success) return { ok: false, error: validationError(call, checked.error, 'output') };
        }
        return { ok: true, output };
      } catch (e) {
        return { ok: false, error: toWireError(e) };
      }
    },
    displays,
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    dispose() {
      disposed ??= (async () => {
        unsubscribe();
        watcher.close();
        consoles.closeAll();
        displays.dispose();
        // A half-built guest is never left: its staging folder goes, the verified download stays.
        await Promise.all([jobs.dispose(), windowsJobs.dispose()]);
        listeners.clear();
        await deps.supervisor.detach();
      })();
      return disposed;
    },
  };
}

/** A reset keeps QEMU (and the view's connection): the view is told, so it can say so. */
function withResetNotice<H extends { 'guests.reset': (i: { name: string }) => Promise<unknown> }>(h: H, emit: (m: EventMessage) => void): H {
  const reset = h['guests.reset'];
  return {
    ...h,
    'guests.reset': async (i: { name: string }) => {
      const r = await reset(i);
      emit({ event: 'display.notice', payload: { name: i.name, message: 'The guest was reset: it is starting again.' } });
      return r;
    },
  };
}
