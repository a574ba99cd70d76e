// Carries out a launch plan's `prepare` steps (folders, the per-guest UEFI variable store,
// checks that images exist), or renders them as shell lines for `guestbay cmdline`.
import { access, chmod, mkdir } from 'node:fs/promises';
import type { LaunchPlan } from '../qemu/plan';
import { convertToQcow2 } from '../images';
import { convertToQcow2Args } from '../qemu/qemu-img';
import { shellCommand, shellQuote } from '../qemu/shell-quote';

export class MissingFileError extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
    readonly hint: string,
  ) {
    super(`${what} is missing: ${path} (${hint})`);
    this.name = 'MissingFileError';
  }
}

const exists = (p: string) => access(p).then(() => true, () => false);

export async function runPrepare(plan: Pick<LaunchPlan, 'prepare'>, qemuImg = 'qemu-img'): Promise<void> {
  for (const step of plan.prepare) {
    switch (step.kind) {
      case 'dir':
        await mkdir(step.path, { recursive: true, mode: step.mode });
        await chmod(step.path, step.mode);
        break;
      case 'vars':
        // Never replaced once made: it holds the guest's boot entries and keys.
        if (!(await exists(step.to))) await convertToQcow2(step.from, step.format, step.to, qemuImg);
        break;
      case 'exists':
        if (!(await exists(step.path))) throw new MissingFileError(step.path, step.what, step.hint);
        break;
    }
  }
}

export function prepareAsShell(plan: Pick<LaunchPlan, 'prepare'>): string[] {
  const lines: string[] = [];
  for (const step of plan.prepare) {
    if (step.kind === 'dir') lines.push(`mkdir -p -m ${step.mode.toString(8)} ${shellQuote(step.path)}`);
    if (step.kind === 'vars') {
      lines.push(`[ -e ${shellQuote(step.to)} ] || ${shellCommand(['qemu-img', ...convertToQcow2Args(step.from, step.format, step.to)], { wrap: false })}`);
    }
  }
  return lines;
}
