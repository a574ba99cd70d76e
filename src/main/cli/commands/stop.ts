// `guestbay stop N`: ACPI power-down, then QEMU is told to quit after --timeout seconds.
import { lifecycle, needName, parse, type Command } from '../common';
import { UsageError } from '../output';

export const stop: Command = async (e, args) => {
  const { values, positionals } = parse(args, { force: { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout >= 0)) throw new UsageError('--timeout is a number of seconds');
  return lifecycle(e, values.json, (sup) => sup.stop(needName(positionals), { force: values.force, timeoutMs: timeout === undefined ? undefined : timeout * 1000 }));
};
