// `guestbay cmdline N`: the exact start (preparation, sidecars, QEMU), ready to paste into a shell.
import { probeHost } from '../../host/probe';
import { buildLaunchPlan } from '../../qemu/plan';
import { pasteableCommand } from '../../disks/launch-script';
import { planContext } from '../../vm/plan-context';
import { accelFlag, needName, parse, type Command } from '../common';
import { json } from '../output';

export const cmdline: Command = async (e, args) => {
  const { values, positionals } = parse(args, { accel: { type: 'string' }, headless: { type: 'boolean' }, paused: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const accel = accelFlag(values.accel);
  const name = needName(positionals);
  const config = await e.store.get(name);
  const caps = await probeHost({ env: e.env });
  // As the start builds it, the Guestbay folder included (plan-context.ts).
  const plan = buildLaunchPlan(config, caps, await planContext(e.store.paths, config, { headless: values.headless, paused: values.paused, accel }));
  if (values.json) return json(e.io, plan), 0;
  // Everything the start needs, in order (folders, UEFI variables, sidecars, QEMU), as one
  // block that works when pasted into a terminal, even for a guest never started.
  e.io.out(pasteableCommand(name, plan));
  return 0;
};
