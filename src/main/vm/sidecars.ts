// Starts a plan's sidecars (virtiofsd per share, swtpm) and waits until each one's socket
// exists, so QEMU never races a daemon that is still starting. A sidecar that dies first is
// reported with the tail of its log.
import { access, readFile } from 'node:fs/promises';
import { spawnDetached, type DetachedChild } from './spawn-detached';
import { killTree } from './process-info';
import type { Sidecar } from '../qemu/plan';

export interface RunningSidecar {
  sidecar: Sidecar;
  process: DetachedChild;
  pid: number;
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

export async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const exists = (p: string) => access(p).then(() => true, () => false);

export async function startSidecar(s: Sidecar, { timeoutMs = 5000 } = {}): Promise<RunningSidecar> {
  // A guest outlives the app, so its daemons must too; each run starts a fresh log.
  const child: DetachedChild = spawnDetached(s.binary, s.args, s.log, { truncate: true });
  let exited = false;
  void child.then(() => (exited = true), () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (!(await exists(s.socket))) {
    if (exited || child.pid === undefined) {
      throw new SidecarError(s, 'ended before it was ready', await tail(s.log));
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new SidecarError(s, `did not create its socket within ${timeoutMs} ms`, await tail(s.log));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.unref();
  return { sidecar: s, process: child, pid: child.pid! };
}

export async function startSidecars(list: Sidecar[], opts?: { timeoutMs?: number }): Promise<RunningSidecar[]> {
  const started: RunningSidecar[] = [];
  try {
    for (const s of list) started.push(await startSidecar(s, opts));
  } catch (e) {
    stopSidecars(started);
    throw e;
  }
  return started;
}

/** Each sidecar leads its own process group: end the group, so nothing it forked is left. */
export function stopSidecars(list: RunningSidecar[]): void {
  for (const r of list) killTree(r.pid);
}
