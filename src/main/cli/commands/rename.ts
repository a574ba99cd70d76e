// `guestbay rename OLD NEW`: the guest's folder moves (rename(2) within the guests' folder) and
// its config takes the new name. Refused while it runs or is saved.
import { renameGuest } from '../../vm/edit/manage';
import { parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';

export const rename: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 2);
  const [from, to] = positionals;
  if (!from || !to) throw new UsageError('name the guest and its new name: guestbay rename OLD NEW');
  const r = await withSupervisor(e, (supervisor) => renameGuest({ store: e.store, supervisor }, from, to));
  if (values.json) return json(e.io, r), 0;
  e.io.out(`Renamed ${from} to ${to}: ${e.store.dirs(to).dir}`);
  return 0;
};
