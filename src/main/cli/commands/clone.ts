// `guestbay clone SRC NEW [--linked]` and `guestbay base N [--undo]`: install once, reuse.
import { makeBase, unmakeBase, cloneGuest } from '../../disks/bases';
import { needName, parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';
import { progressPrinter } from '../progress';

export const clone: Command = async (e, args) => {
  const { values, positionals } = parse(args, { linked: { type: 'boolean' }, title: { type: 'string' }, json: { type: 'boolean' } }, 2);
  const source = needName(positionals);
  const name = positionals[1];
  if (!name) throw new UsageError('name the new guest, e.g. `guestbay clone win11 win11-test --linked`');
  const progress = progressPrinter(e.io);
  try {
    const r = await withSupervisor(e, (supervisor) => cloneGuest({ store: e.store, supervisor, progress }, source, name, { linked: Boolean(values.linked), title: values.title }));
    if (values.json) return json(e.io, r), 0;
    e.io.out(`Created "${name}" as a ${r.linked ? `linked clone of "${source}" (its disks start empty and read the rest from "${source}")` : `copy of "${source}"`} in ${e.store.dirs(name).dir}`);
    for (const n of r.notes) e.io.out(`  ${n}`);
    return 0;
  } finally {
    progress.done();
  }
};

export const base: Command = async (e, args) => {
  const { values, positionals } = parse(args, { undo: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  const config = await withSupervisor(e, (supervisor) => (values.undo ? unmakeBase : makeBase)({ store: e.store, supervisor }, name));
  if (values.json) return json(e.io, config), 0;
  e.io.out(config.base ? `"${name}" is a read-only base: clone it with \`guestbay clone ${name} NEW --linked\`; it does not start itself.` : `"${name}" is an ordinary guest again: it starts and its disks are writable.`);
  return 0;
};
