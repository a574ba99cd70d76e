// Single-GPU passthrough for real, around a guest's run: before QEMU starts, the steps the dry
// run prints (display manager stopped, consoles and the firmware framebuffer let go, the card
// handed to vfio-pci), each one operation of the privileged helper; when the guest ends (shut
// down, crashed, or its start failed after the swap), the way back. The way back is written to
// the guest's folder before the first step, so whichever Guestbay process sees the guest end,
// or the next start, can give the GPU back even if the process that took it is gone; a record
// from before a reboot is dropped (a reboot gives the host its own drivers again).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IommuReport } from '../../shared/iommu-report';
import { ConfigError, type VmConfig } from '../../shared/vm-config';
import type { HelperRunner } from '../passthrough/helper-runner';
import { singleGpuSteps, SingleGpuError, type SingleGpuStep } from '../passthrough/single-gpu';
import { passedGpu, singleGpuProblems } from '../passthrough/single-gpu-guard';
import { readJsonOrNull, writeJsonAtomic } from './atomic-file';

export interface SingleGpuHost {
  runner: HelperRunner;
  /** The IOMMU groups with each function's driver now (what the card goes back to). */
  report(): Promise<IommuReport>;
  /** This boot's id (/proc/sys/kernel/random/boot_id). */
  bootId?(): Promise<string>;
}

const RECORD = 'single-gpu-give-back.json';
interface GiveBackRecord {
  bootId: string;
  gpu: string;
  steps: SingleGpuStep[];
}

const readBootId = async (host: SingleGpuHost) => (host.bootId ? host.bootId() : (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim());

/** Whether a guest's GPU was taken and not given back yet (its record is there). */
/**
 * Whether a run left a way back to follow, asked synchronously: a guest's end waits for the
 * give-back only when there is one, and is told at once otherwise (one stat).
 */
export function hasGiveBackRecord(vmDir: string): boolean {
  return existsSync(join(vmDir, RECORD));
}

export async function gpuNotGivenBack(vmDir: string): Promise<boolean> {
  return (await readJsonOrNull<GiveBackRecord>(join(vmDir, RECORD))) !== null;
}

/**
 * Takes the host's only GPU for this guest: checks the guest may (single-gpu-guard.ts), writes
 * the way back, then runs each before-start step in order. A step that fails gives everything
 * back at once and throws.
 */
export async function giveGpuToGuest(host: SingleGpuHost, vmDir: string, config: VmConfig, progress: (what: string) => void = () => {}): Promise<void> {
  const report = await host.report();
  const problems = singleGpuProblems(config, report);
  if (problems.length) throw new ConfigError(problems);
  const gpu = passedGpu(config, report)!;
  const steps = singleGpuSteps(report, gpu.address);
  const record: GiveBackRecord = { bootId: await readBootId(host), gpu: gpu.address, steps: steps.filter((s) => s.phase === 'after-end') };
  // Written before the first step: a start killed half-way still knows the drivers to go back to.
  await writeJsonAtomic(join(vmDir, RECORD), record);
  for (const s of steps.filter((x) => x.phase === 'before-start')) {
    progress(s.what);
    try {
      await host.runner.run(s.op);
    } catch (e) {
      const back = await giveGpuBack(host, vmDir, progress);
      throw new SingleGpuError(
        `Single-GPU passthrough stopped at "${s.what}": ${(e as Error).message}. ` +
          (back.errors.length ? `Giving the GPU back failed too (${back.errors.join('; ')}): docs/single-gpu.md says how to get the host back.` : 'The host has its GPU back.'),
      );
    }
  }
}

/**
 * Gives the GPU back after the guest ended (or its start failed): every after-end step, each
 * tried even when one before it failed, so as much of the host comes back as can. Does nothing
 * when no record is there (the guest did not take the GPU, or another process gave it back:
 * the record is claimed by renaming it, so only one process runs the steps). A step that fails
 * leaves the record for the next try (the next start, or `guestbay single-gpu --give-back`).
 */
export async function giveGpuBack(host: SingleGpuHost, vmDir: string, progress: (what: string) => void = () => {}): Promise<{ ran: boolean; errors: string[] }> {
  const file = join(vmDir, RECORD);
  const claimed = join(vmDir, `.${RECORD}.${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await rename(file, claimed);
  } catch {
    return { ran: false, errors: [] };
  }
  const record = await readJsonOrNull<GiveBackRecord>(claimed);
  if (!record || record.bootId !== (await readBootId(host))) {
    await rm(claimed, { force: true });
    return { ran: false, errors: [] };
  }
  const errors: string[] = [];
  for (const s of record.steps) {
    progress(s.what);
    try {
      await host.runner.run(s.op);
    } catch (e) {
      errors.push(`${s.what}: ${(e as Error).message}`);
    }
  }
  if (errors.length) await rename(claimed, file).catch(() => undefined);
  else await rm(claimed, { force: true });
  return { ran: true, errors };
}
