// `guestbay vfio bind|release ADDR… [--to DRIVER] [--yes]`: hand PCI functions to vfio-pci or
// back to the host through the privileged helper. The helper's own dry run is printed first;
// only with --yes does pkexec run it (asking for the password).
import { systemBinary } from '../../host/system-binary';
import { findHelper, previewHelper, runHelper, type HelperOp } from '../../passthrough/helper';
import { parse, type Command } from '../common';
import { UsageError } from '../output';


export const vfio: Command = async (e, args) => {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' }, to: { type: 'string' } }, 64);
  const [what, ...addresses] = positionals;
  if ((what !== 'bind' && what !== 'release') || addresses.length === 0) throw new UsageError('say bind or release, and at least one PCI address (like 0000:01:00.0)');
  if (what === 'bind' && values.to) throw new UsageError('--to is for release: bind always means vfio-pci');
  const op: HelperOp = what === 'bind' ? { op: 'bind-vfio', addresses } : { op: 'release', addresses, to: values.to };
  const helper = await findHelper();
  const steps = await previewHelper(helper, op);
  e.io.out(`As root, through pkexec, ${helper} will:`);
  for (const s of steps) e.io.out(`  ${s}`);
  if (!values.yes) {
    e.io.out('\nNothing done yet: run again with --yes to do it.');
    return 0;
  }
  for (const line of await runHelper(await systemBinary('pkexec'), helper, op)) e.io.out(`done: ${line}`);
  return 0;
};
