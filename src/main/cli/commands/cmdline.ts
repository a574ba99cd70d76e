// `guestbay cmdline N`: the exact command, preparation included, ready to paste into a shell.
import { probeHost } from '../../host/probe';
import { buildLaunchPlan } from '../../qemu/plan';
import { shellCommand } from '../../qemu/shell-quote';
import { prepareAsShell } from '../../vm/prepare';
import { accelFlag, needName, parse, type Command } from '../common';
import { json } from '../output';

export const cmdline: Command = async (e, args) => {
  const { values, positionals } = parse(args, { accel: { type: 'string' }, headless: { type: 'boolean' }, paused: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const accel = accelFlag(values.accel);
  const name = needName(positionals);
  const config = await e.store.get(name);
  const caps = await probeHost({ env: e.env });
  const d = e.store.dirs(name);
  const plan = buildLaunchPlan(config, caps, {
    vmDir: d.dir,
    runtimeDir: d.runtimeDir,
    logDir: d.logDir,
    headless: values.headless,
    paused: values.paused,
    accel,
  });
  if (values.json) return json(e.io, plan), 0;
  for (const w of plan.warnings) e.io.err(`# warning: ${w.message}`);
  for (const s of plan.sidecars) e.io.err(`# needs ${s.kind} first (${s.purpose}): ${shellCommand([s.binary, ...s.args], { wrap: false })}`);
  const lines = [...prepareAsShell(plan), shellCommand([plan.binary, ...plan.args])];
  e.io.out(lines.join(' &&\n'));
  return 0;
};
