// Single-GPU passthrough: the host gives its only GPU to the guest while the guest runs and takes
// it back when the guest ends. Every step is one of the privileged helper's operations, in this
// order; the dry run asks the helper itself (`--dry-run`) what each would write, so what is shown
// is what would run. Opt-in only, and the way back over SSH is in docs/single-gpu.md.
import type { IommuReport } from '../../shared/iommu-report';
import { previewHelper, type HelperOp } from './helper';
import { slotOf } from './verdicts';

export interface SingleGpuStep {
  /** When it runs: before the guest starts, or after it ends. */
  phase: 'before-start' | 'after-end';
  what: string;
  op: HelperOp;
}

export class SingleGpuError extends Error {
  override name = 'SingleGpuError';
}

/** The GPU at `gpu` and the other functions of its card (its audio), with the drivers they have now. */
export function singleGpuSteps(report: Pick<IommuReport, 'groups' | 'verdicts'>, gpu: string): SingleGpuStep[] {
  const all = report.groups.flatMap((g) => g.devices);
  const dev = all.find((d) => d.address === gpu);
  if (!dev || !dev.classCode.startsWith('03')) throw new SingleGpuError(`${gpu} is not a GPU on this computer.`);
  const v = report.verdicts.find((x) => x.address === gpu);
  if (v?.kind === 'cannot') throw new SingleGpuError(`${gpu} cannot be passed through: ${v.summary}`);
  const card = all.filter((d) => slotOf(d.address) === slotOf(gpu)).sort((a, b) => a.address.localeCompare(b.address));
  const addresses = card.map((d) => d.address);
  // Given back to the drivers they had: one release per driver (the helper's --to); a function
  // no driver held goes back through the kernel's own probe.
  const byDriver = new Map<string | null, string[]>();
  for (const d of card) {
    const drv = d.driver === 'vfio-pci' ? null : d.driver;
    byDriver.set(drv, [...(byDriver.get(drv) ?? []), d.address]);
  }
  const releases: SingleGpuStep[] = [...byDriver.entries()].map(([to, addrs]) => ({
    phase: 'after-end',
    what: `Give ${addrs.join(', ')} back to ${to ?? 'the driver the kernel picks'}`,
    op: { op: 'release', addresses: addrs, ...(to ? { to } : {}) },
  }));
  return [
    { phase: 'before-start', what: 'Stop the display manager (the graphical session ends; save your work first)', op: { op: 'display-manager', action: 'stop' } },
    { phase: 'before-start', what: 'Detach the text consoles from the framebuffer', op: { op: 'vtconsoles', action: 'unbind' } },
    { phase: 'before-start', what: 'Release the firmware framebuffer (efifb, simpledrm) that holds the GPU', op: { op: 'framebuffer', action: 'unbind' } },
    { phase: 'before-start', what: 'Load the vfio-pci driver (if it is not loaded yet)', op: { op: 'load-vfio' } },
    { phase: 'before-start', what: `Hand ${addresses.join(', ')} to vfio-pci`, op: { op: 'bind-vfio', addresses } },
    ...releases,
    { phase: 'after-end', what: 'Give the firmware framebuffer back', op: { op: 'framebuffer', action: 'bind' } },
    { phase: 'after-end', what: 'Attach the text consoles again', op: { op: 'vtconsoles', action: 'bind' } },
    { phase: 'after-end', what: 'Start the display manager again', op: { op: 'display-manager', action: 'start' } },
  ];
}

/** The dry run: each step with the helper's own account of what it would do. */
export async function singleGpuDryRun(helper: string, steps: SingleGpuStep[], sysfsRoot?: string): Promise<string[]> {
  const out: string[] = [];
  let phase: SingleGpuStep['phase'] | null = null;
  let n = 0;
  for (const s of steps) {
    if (s.phase !== phase) {
      phase = s.phase;
      out.push(phase === 'before-start' ? 'Before the guest starts:' : 'The guest runs with the GPU. When it ends:');
    }
    n += 1;
    out.push(`${n}. ${s.what}`);
    for (const line of await previewHelper(helper, s.op, sysfsRoot)) out.push(`     ${line}`);
  }
  return out;
}
