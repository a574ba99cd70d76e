// `guestbay list`: every guest in the store, damaged ones included.
import { parse, type Command } from '../common';
import { json } from '../output';

export const list: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const guests = await e.store.list();
  if (values.json) return json(e.io, guests.map((g) => ({ name: g.name, title: g.config?.title, os: g.config?.os, error: g.error }))), 0;
  if (guests.length === 0) e.io.out('No guests yet. Create one: guestbay create --preset linux --name my-linux');
  for (const g of guests) e.io.out(g.config ? `${g.name}\t${g.config.title ?? ''}\t${g.config.os.family} ${g.config.os.version}` : `${g.name}\tdamaged: ${g.error}`);
  return 0;
};
