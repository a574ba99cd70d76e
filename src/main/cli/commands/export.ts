// `guestbay export N --script|--libvirt [--output FILE]`: the guest to run without Guestbay (a
// bash script that starts it exactly as Guestbay does) or to move to libvirt (domain XML).
import { resolve } from 'node:path';
import { libvirtDomain } from '../../disks/libvirt-export';
import { launchScript } from '../../disks/launch-script';
import { probeHost } from '../../host/probe';
import { buildLaunchPlan } from '../../qemu/plan';
import { writeFileAtomic } from '../../vm/atomic-file';
import { planContext } from '../../vm/plan-context';
import { accelFlag, needName, parse, type Command } from '../common';
import { json, UsageError } from '../output';

export const exportCmd: Command = async (e, args) => {
  const { values, positionals } = parse(
    args,
    { script: { type: 'boolean' }, libvirt: { type: 'boolean' }, output: { type: 'string', short: 'o' }, headless: { type: 'boolean' }, accel: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  const name = needName(positionals);
  if (Boolean(values.script) === Boolean(values.libvirt)) throw new UsageError('choose one: --script (a bash script that starts the guest) or --libvirt (a libvirt domain)');
  const accel = accelFlag(values.accel);
  const config = await e.store.get(name);
  const d = e.store.dirs(name);
  let text: string;
  let notes: string[];
  if (values.script) {
    const caps = await probeHost({ env: e.env });
    const plan = buildLaunchPlan(config, caps, await planContext(e.store.paths, config, { headless: values.headless, accel }));
    text = launchScript(name, plan);
    notes = plan.warnings.map((w) => w.message);
  } else {
    const r = libvirtDomain(config, d.dir);
    text = r.xml;
    notes = r.notCarried.map((n) => `not carried: ${n}`);
  }
  const output = values.output === undefined ? undefined : resolve(e.cwd, values.output);
  if (output) await writeFileAtomic(output, text, values.script ? 0o700 : 0o600);
  if (values.json) return json(e.io, { format: values.script ? 'script' : 'libvirt', output, text: output ? undefined : text, notes }), 0;
  if (output) e.io.out(`Wrote ${output}`);
  else e.io.out(text.replace(/\n$/, ''));
  for (const n of notes) e.io.err(`# ${n}`);
  return 0;
};
