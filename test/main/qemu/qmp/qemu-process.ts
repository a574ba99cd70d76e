// Starts a bare qemu-system-x86_64 under TCG with a QMP socket in a private directory, and
// makes sure it is gone afterwards.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { QmpClient } from '../../../../src/main/qemu/qmp';

export type QemuProcess = ResultPromise<{ reject: false; stdin: 'ignore'; timeout: number }>;

export interface QemuRun {
  dir: string;
  qmpPath: string;
  proc: QemuProcess;
  /** When the process was spawned (Date.now()). */
  spawnedAt: number;
  connect(): Promise<QmpClient>;
  /** SIGKILL if still running, wait for it, remove the directory. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * `args` are added after the common ones; as a function it gets the private directory first,
 * to create files (disks) there before QEMU starts.
 */
export async function startQemu(args: string[] | ((dir: string) => Promise<string[]>)): Promise<QemuRun> {
  // mkdtemp creates it 0700: the QMP socket is full control over the QEMU process.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gb-qmp-'));
  const qmpPath = path.join(dir, 'qmp.sock');
  let extra: string[];
  try {
    extra = typeof args === 'function' ? await args(dir) : args;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const spawnedAt = Date.now();
  const proc = execa(
    'qemu-system-x86_64',
    [
      '-accel', 'tcg',
      '-machine', 'q35',
      '-nodefaults',
      '-display', 'none',
      '-qmp', `unix:${qmpPath},server=on,wait=off`,
      ...extra,
    ],
    { reject: false, stdin: 'ignore', timeout: 10 * 60_000 },
  );
  const clients: QmpClient[] = [];
  let disposed: Promise<void> | undefined;
  return {
    dir,
    qmpPath,
    proc,
    spawnedAt,
    async connect() {
      const client = await QmpClient.connect(qmpPath, { timeoutMs: 15_000, retryForMs: 10_000 });
      clients.push(client);
      return client;
    },
    dispose() {
      disposed ??= (async () => {
        await Promise.all(clients.map((c) => c.close()));
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        await proc;
        await rm(dir, { recursive: true, force: true });
      })();
      return disposed;
    },
  };
}

/** Resolves when the process has exited, or rejects after `ms`. */
export async function exitWithin(run: QemuRun, ms: number): Promise<{ exitCode?: number; signal?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`QEMU still running after ${ms} ms`)), ms);
  });
  try {
    const r = await Promise.race([run.proc, timeout]);
    return { exitCode: r.exitCode, signal: r.signal };
  } finally {
    clearTimeout(timer);
  }
}
