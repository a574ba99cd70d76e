// `guestbay status [N]`: every guest's state (or one's), found again from any process.
import { describe, parse, withSupervisor, type Command } from '../common';
import { json } from '../output';

export const status: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  return withSupervisor(e, async (sup) => {
    const list = positionals[0] ? [await sup.status(positionals[0])] : await sup.attachAll();
    if (values.json) return json(e.io, positionals[0] ? list[0] : list), 0;
    if (list.length === 0) e.io.out('No guests yet.');
    for (const st of list) e.io.out(describe(st));
    return 0;
  });
};
