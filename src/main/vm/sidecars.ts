// Starts a plan's sidecars (virtiofsd per share, swtpm) and waits until each one's socket
// exists, so QEMU never races a daemon that is still starting. A sidecar that dies first is
// reported with the tail of its log. Each sidecar's identity is handed to the caller the moment
// it is spawned (the start's journal writes it down), before anything is waited for.
import { access } from 'node:fs/promises';
import { tailLines } from './bounded-read';
import { spawnDetached, type DetachedChild } from './spawn-detached';
import { endOwned, identify, type ProcessIdentity } from './process-info';
import type { Sidecar } from '../qemu/plan';

export interface RunningSidecar {
  sidecar: Sidecar;
  process: DetachedChild;
  pid: number;
  identity: ProcessIdentity;
}

export class SidecarError extends Error {
  constructor(
    readonly sidecar: Sidecar,
    message: string,
    readonly logTail: string,
  ) {
    super(`${sidecar.kind} (${sidecar.purpose}) ${message}${logTail ? `:\n${logTail}` : ''}`);
    this.name = 'SidecarError';
  }
}

/** The last lines of a log, read from its end ('' when there is none or it cannot be read). */
export async function tail(file: string, lines = 20): Promise<string> {
  return tailLines(file, lines).catch(() => '');
}

const exists = (p: string) => access(p).then(() => true, () => false);

export interface SidecarStartOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called as soon as the process exists, before waiting for its socket. */
  onSpawn?: (identity: ProcessIdentity) => Promise<void>;
}

export async function startSidecar(s: Sidecar, { timeoutMs = 5000, signal, onSpawn }: SidecarStartOptions = {}): Promise<RunningSidecar> {
  // A guest outlives the app, so its daemons must too; each run starts a fresh log.
  const child: DetachedChild = spawnDetached(s.binary, s.args, s.log, { truncate: true });
  let exited = false;
  void child.then(() => (exited = true), () => (exited = true));
  const identity = child.pid === undefined ? null : identify(child.pid);
  if (!identity) {
    await child;
    throw new SidecarError(s, 'could not be started', await tail(s.log));
  }
  await onSpawn?.(identity);
  const deadline = Date.now() + timeoutMs;
  while (!(await exists(s.socket))) {
    signal?.throwIfAborted();
    if (exited) throw new SidecarError(s, 'ended before it was ready', await tail(s.log));
    if (Date.now() > deadline) {
      await endOwned(identity, 500);
      throw new SidecarError(s, `did not create its socket within ${timeoutMs} ms`, await tail(s.log));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.unref();
  return { sidecar: s, process: child, pid: identity.pid, identity };
}

/** Starts each sidecar in turn; if one fails, those already started are ended. */
export async function startSidecars(list: Sidecar[], opts?: Omit<SidecarStartOptions, 'onSpawn'>): Promise<RunningSidecar[]> {
  const started: RunningSidecar[] = [];
  try {
    for (const s of list) started.push(await startSidecar(s, opts));
  } catch (e) {
    await stopSidecars(started);
    throw e;
  }
  return started;
}

/** Each sidecar leads its own process group: end the group, so nothing it forked is left. */
export async function stopSidecars(list: { identity?: ProcessIdentity }[]): Promise<void> {
  for (const r of list) if (r.identity) await endOwned(r.identity, 1000);
}
