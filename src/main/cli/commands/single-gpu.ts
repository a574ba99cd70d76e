// `guestbay single-gpu ADDR`: the single-GPU passthrough steps for this GPU, in order, each with
// the privileged helper's own account of what it writes (a dry run: nothing changes).
import { findHelper } from '../../passthrough/helper';
import { iommuReport } from '../../passthrough/iommu-report';
import { singleGpuDryRun, singleGpuSteps } from '../../passthrough/single-gpu';
import { parse, type Command } from '../common';
import { UsageError } from '../output';


export const singleGpu: Command = async (e, args) => {
  const { positionals } = parse(args, {}, 1);
  const [gpu] = positionals;
  if (!gpu) throw new UsageError('name the GPU by its PCI address (guestbay iommu lists them)');
  const lines = await singleGpuDryRun(await findHelper(), singleGpuSteps(await iommuReport({ env: e.env }), gpu));
  e.io.out('Dry run — nothing is changed. As root, through pkexec:');
  for (const l of lines) e.io.out(l);
  e.io.out('\nIf the screen stays black, the way back over SSH is in docs/single-gpu.md.');
  return 0;
};
