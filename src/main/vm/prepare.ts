// Carries out a launch plan's `prepare` steps (folders, the per-guest UEFI variable store,
// checks that images exist), or renders them as shell lines for `guestbay cmdline`.
import { access, chmod, mkdir, open, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ramFileSpaceProblem } from '../../shared/disk-space';
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
      case 'ram-file': {
        // A new file renamed over the old one, never the old one reused: a fresh boot must never
        // see a stale RAM, and the new inode differs from the old (a saved state's fingerprint
        // names the inode). Sparse until the guest touches it.
        const fresh = `${step.path}.new`;
        await rm(fresh, { force: true });
        // The old file's blocks are freed when the new one replaces it.
        const fs = await statfs(dirname(step.path)).catch(() => null);
        const old = await stat(step.path).catch(() => null);
        const problem = fs && ramFileSpaceProblem(step.sizeMiB * 2 ** 20, fs.bavail * fs.bsize + (old ? old.blocks * 512 : 0), dirname(step.path));
        if (problem) throw new Error(problem);
        const f = await open(fresh, 'wx', 0o600);
        try {
          await f.truncate(step.sizeMiB * 2 ** 20);
        } finally {
          await f.close();
        }
        await rename(fresh, step.path);
        break;
      }
      case 'exists':
        if (!(await exists(step.path))) throw new MissingFileError(step.path, step.what, step.hint);
        break;
    }
  }
}

export function prepareAsShell(plan: Pick<LaunchPlan, 'prepare'>): string[] {
  const lines: string[] = [];
  for (const step of plan.prepare) {
    // Every folder it creates gets the mode, parents included, as Guestbay's own mkdir gives
    // them: `mkdir -p -m` sets only the last one, and a pasted command would leave the runtime
    // folder 0755 (which Guestbay then refuses to use).
    if (step.kind === 'dir') lines.push(`(umask ${(~step.mode & 0o777).toString(8).padStart(3, '0')} && mkdir -p ${shellQuote(step.path)})`);
    if (step.kind === 'ram-file') {
      const fresh = shellQuote(`${step.path}.new`);
      lines.push(`(umask 077 && rm -f ${fresh} && truncate -s ${step.sizeMiB}M ${fresh} && mv -f ${fresh} ${shellQuote(step.path)})`);
    }
    if (step.kind === 'vars') {
      lines.push(`[ -e ${shellQuote(step.to)} ] || ${shellCommand(['qemu-img', ...convertToQcow2Args(step.from, step.format, step.to)], { wrap: false })}`);
    }
  }
  return lines;
}
