// `guestbay delete N --yes`: removes a guest; its disk images stay unless --delete-disks.
import { needName, parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';

export const del: Command = async (e, args) => {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' }, 'delete-disks': { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  await e.store.get(name); // a missing or damaged guest is reported before asking for --yes
  if (!values.yes) {
    throw new UsageError(`deleting "${name}" needs --yes (its disk images are kept unless you add --delete-disks)`);
  }
  const { kept } = await withSupervisor(e, (sup) => sup.delete(name, { deleteDisks: values['delete-disks'] }));
  if (values.json) return json(e.io, { deleted: name, kept }), 0;
  e.io.out(`Deleted "${name}".${kept.length ? ` Kept its images:\n  ${kept.join('\n  ')}` : ''}`);
  return 0;
};
