// What every group of handlers shares: the services, the user's home (where relative paths and
// the file browser start), and the event stream. Each group implements a slice of the contract;
// index.ts checks that together they implement all of it.
import type { z } from 'zod';
import type { CallName, CallOutput, Calls, EventMessage } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import type { MacosSources } from '../macos/prepare';
import type { Store } from '../vm/store';
import type { Supervisor } from '../vm/supervisor';

export interface Pickers {
  file(o: { title: string; filters?: { name: string; extensions: string[] }[] }): Promise<string | null>;
  folder(o: { title: string }): Promise<string | null>;
}

export interface ApiDeps {
  store: Store;
  supervisor: Supervisor;
  probe: (o?: { refresh?: boolean }) => Promise<HostCaps>;
  env: NodeJS.ProcessEnv;
  /** Native dialogs (Electron); without them `dialog.*` answers `supported: false`. */
  pickers?: Pickers;
  /** The command that starts the desktop app, for the autostart entry; absent in headless use. */
  autostartExec?: string;
  /** Where macOS recovery images and OpenCore come from, when not Apple and GitHub (a mirror, a test server). */
  macosSources?: MacosSources;
  /** Tests: check every output against the contract too, so a drifting handler fails loudly. */
  validateOutputs?: boolean;
}

export interface ApiContext {
  deps: ApiDeps;
  /** The user's home: the file browser's start, and what relative paths are relative to. */
  home: string;
  emit(m: EventMessage): void;
}

export type Handler<C extends CallName> = (input: z.output<Calls[C]['input']>) => Promise<CallOutput<C>>;
export type Handlers<K extends CallName = CallName> = { [C in K]: Handler<C> };
