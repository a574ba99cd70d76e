// `guestbay list`: every guest in the store, damaged ones included, each with its CPU
// architecture (a fourth column; "emulated" where it is not this computer's own).
import { archOfHost, runsNatively } from '../../../shared/os/arch-table';
import type { GuestArch } from '../../../shared/vm-choices';
import { parse, type Command } from '../common';
import { json } from '../output';

/** The architecture as `list` and `show` print it: its name, and whether this computer emulates it. */
export function archWords(arch: GuestArch, hostArch = archOfHost(process.arch)): string {
  return runsNatively(arch, hostArch) ? arch : `${arch} (emulated)`;
}

export const list: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const guests = await e.store.list();
  if (values.json) return json(e.io, guests.map((g) => ({ name: g.name, title: g.config?.title, os: g.config?.os, arch: g.config?.arch, error: g.error }))), 0;
  if (guests.length === 0) e.io.out('No guests yet. Create one: guestbay create --preset linux --name my-linux');
  for (const g of guests) e.io.out(g.config ? `${g.name}\t${g.config.title ?? ''}\t${g.config.os.family} ${g.config.os.version}\t${archWords(g.config.arch)}` : `${g.name}\tdamaged: ${g.error}`);
  return 0;
};
