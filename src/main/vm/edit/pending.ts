// What a running guest gets only at its next start: the settings that differ between the guest
// as it runs and its saved config, and the two QEMU commands side by side as a line diff (one
// option per line, as `guestbay cmdline` prints them). "As it runs" is the runtime record's
// command, or, once something was changed live (a disc, a USB device, a forward), the command
// of the config as it runs now (kept in the runtime folder as live-config.json), so what was
// already applied is not listed again.
import { join } from 'node:path';
import type { PendingChanges } from '../../../shared/contract';
import { configChanges } from '../../../shared/config-diff';
import type { HostCaps } from '../../../shared/host-caps';
import { parseVmConfig } from '../../../shared/migrations';
import type { VmConfig } from '../../../shared/vm-config';
import { buildLaunchPlan, type LaunchContext, type LaunchPlan } from '../../qemu/plan';
import { shellCommand } from '../../qemu/shell-quote';
import { readJsonOrNull, writeJsonAtomic } from '../atomic-file';

const LIVE_CONFIG = 'live-config.json';

/** The config as the running guest has it after live changes; null when nothing was changed live. */
export async function readLiveConfig(runtimeDir: string): Promise<VmConfig | null> {
  const doc = await readJsonOrNull<unknown>(join(runtimeDir, LIVE_CONFIG));
  if (doc === null) return null;
  try {
    return parseVmConfig(doc);
  } catch {
    return null;
  }
}

/** Kept with the run's other files: it goes when the run ends (the runtime folder is cleared). */
export function writeLiveConfig(runtimeDir: string, config: VmConfig): Promise<void> {
  return writeJsonAtomic(join(runtimeDir, LIVE_CONFIG), config, { durable: false });
}

/** How this run began (`-S`, `-incoming defer`) is not the machine: left out of both sides. */
function machineArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-S') continue;
    if (args[i] === '-incoming') {
      i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

export type DiffLine = PendingChanges['lines'][number];

/** A line diff (longest common subsequence): unchanged, removed (only in `a`) and added (only in `b`) lines, in order. */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: 'removed', text: a[i++]! });
    else out.push({ op: 'added', text: b[j++]! });
  }
  while (i < n) out.push({ op: 'removed', text: a[i++]! });
  while (j < m) out.push({ op: 'added', text: b[j++]! });
  return out;
}

const lines = (argv: string[]) => shellCommand(argv).split(' \\\n  ');

export interface PendingInput {
  /** The running guest's plan, from its runtime record. */
  running: LaunchPlan;
  /** The config as it runs after live changes, if any were made. */
  live: VmConfig | null;
  /** The saved config: what the next start uses. */
  saved: VmConfig;
  caps: HostCaps;
  /** Where the guest lives and the Guestbay folder, as a start has them (plan-context.ts). */
  dirs: Pick<LaunchContext, 'vmDir' | 'runtimeDir' | 'logDir' | 'guestbayFolder'>;
}

/** The pending changes of a running guest; null when its next start would run the same machine. */
export function pendingChanges(i: PendingInput): PendingChanges | null {
  const options = i.running.options ?? {};
  const ctx = { ...i.dirs, headless: options.headless, accel: options.accel ?? i.running.accel };
  const base = i.live ?? i.running.config;
  let runningArgs = i.running.args;
  if (i.live) {
    try {
      runningArgs = buildLaunchPlan(i.live, i.caps, ctx).args;
    } catch {
      // The host changed under the running guest: the record's command is what is known.
    }
  }
  const runningArgv = [i.running.binary, ...machineArgs(runningArgs)];
  let nextArgv: string[];
  try {
    nextArgv = [i.running.binary, ...machineArgs(buildLaunchPlan(i.saved, i.caps, ctx).args)];
  } catch (e) {
    // The saved config cannot be launched here (a missing virtiofsd…): say so in the diff.
    nextArgv = [`# the next start will fail: ${(e as Error).message}`];
  }
  const changes = base ? configChanges(base, i.saved).filter((c) => c.field !== 'title' && c.field !== 'autostart') : [];
  const diff = diffLines(lines(runningArgv), lines(nextArgv));
  if (!changes.length && diff.every((l) => l.op === 'same')) return null;
  const runs = base ? { cores: base.cpu.cores, memoryMiB: base.memoryMiB } : undefined;
  return { changes, running: shellCommand(runningArgv), next: shellCommand(nextArgv), lines: diff, runs };
}
