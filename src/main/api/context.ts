// What every group of handlers shares: the services, the user's home (where relative paths and
// the file browser start), and the event stream. Each group implements a slice of the contract;
// index.ts checks that together they implement all of it.
import type { z } from 'zod';
import type { CallName, CallOutput, Calls, EventMessage, HostUsbDevice } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import type { ProbeOptions } from '../host/options';
import type { MacosSources } from '../macos/prepare';
import type { WindowsSources } from '../windows/prepare';
import type { GuestEditor } from '../vm/edit/editor';
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
  /** Where virtio-win and the Windows ISO come from, when not the Fedora project and Microsoft (a mirror, a test server). */
  windowsSources?: WindowsSources;
  /** Tests: check every output against the contract too, so a drifting handler fails loudly. */
  validateOutputs?: boolean;
  /** Opens a folder in the desktop's file manager (Electron's shell); absent in headless use. */
  openPath?: (path: string) => Promise<boolean>;
  /** The host's USB devices; tests point it at a fixture tree (default: this host's sysfs). */
  hostUsb?: () => Promise<HostUsbDevice[]>;
  /** Where the passthrough calls read the host (sysfs, /dev/input, PATH for Looking Glass's client); tests point it at a fixture tree. */
  passthroughHost?: Pick<ProbeOptions, 'root' | 'path' | 'env'>;
  /** Watch the guests' and the runtime folders for changes made by other processes (default true). */
  watch?: boolean;
}

export interface ApiContext {
  deps: ApiDeps;
  /** The user's home: the file browser's start, and what relative paths are relative to. */
  home: string;
  emit(m: EventMessage): void;
  /** Every change to guests goes through it (src/main/vm/edit/). */
  editor: GuestEditor;
  /**
   * After a call changed guests: looks at them (one, or all) and announces what changed as
   * `guests.changed`, once, however many clients or processes also saw it.
   */
  changed(name?: string): Promise<void>;
  /** After a rename: announced as a rename, not a delete and a create. */
  renamed(oldName: string, newName: string): Promise<void>;
}

export type Handler<C extends CallName> = (input: z.output<Calls[C]['input']>) => Promise<CallOutput<C>>;
export type Handlers<K extends CallName = CallName> = { [C in K]: Handler<C> };
