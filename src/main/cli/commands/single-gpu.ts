// `guestbay single-gpu ADDR`: the single-GPU passthrough steps for this GPU, in order, each with
// the privileged helper's own account of what it writes (a dry run: nothing changes).
// `guestbay single-gpu --give-back NAME`: gives back the GPU a single-GPU guest took, when no
// Guestbay process saw the guest end (the record in its folder says how; as root through pkexec).
import { findHelper } from '../../passthrough/helper';
import { iommuReport } from '../../passthrough/iommu-report';
import { singleGpuDryRun, singleGpuSteps } from '../../passthrough/single-gpu';
import { parse, withSupervisor, type Command } from '../common';
import { UsageError } from '../output';

export const singleGpu: Command = async (e, args) => {
  const { values, positionals } = parse(args, { 'give-back': { type: 'string' } }, 1);
  const back = values['give-back'];
  if (back !== undefined) {
    if (positionals.length) throw new UsageError('--give-back takes the guest\'s name only');
    return withSupervisor(e, async (sup) => {
      await sup.store.get(back);
      const r = await sup.giveGpuBack(back);
      if (!r.ran) e.io.out(`${back} holds no GPU to give back (it did not take one, or it was given back already).`);
      else if (r.errors.length) {
        for (const err of r.errors) e.io.err(`guestbay: ${err}`);
        e.io.err('Some steps failed; the record is kept, so this can be run again. docs/single-gpu.md: the way back by hand.');
        return 1;
      } else e.io.out(`The host has its GPU back from ${back}.`);
      return 0;
    });
  }
  const [gpu] = positionals;
  if (!gpu) throw new UsageError('name the GPU by its PCI address (guestbay iommu lists them)');
  const lines = await singleGpuDryRun(await findHelper(), singleGpuSteps(await iommuReport({ env: e.env }), gpu));
  e.io.out('Dry run — nothing is changed. As root, through pkexec:');
  for (const l of lines) e.io.out(l);
  e.io.out('\nTurn it on for a guest: guestbay set NAME single-gpu=on. If the screen stays black, the way back over SSH is in docs/single-gpu.md.');
  return 0;
};
