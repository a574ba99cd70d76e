// `guestbay import FILE [--name N] [--copy-disks]`: a guest from libvirt domain XML, a quickemu
// .conf or a VirtualBox .vbox, with what could not be carried over.
import { resolve } from 'node:path';
import { importGuest } from '../../disks/import';
import { parse, type Command } from '../common';
import { json, UsageError } from '../output';
import { progressPrinter } from '../progress';

export const importCmd: Command = async (e, args) => {
  const { values, positionals } = parse(args, { name: { type: 'string' }, 'copy-disks': { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const file = positionals[0];
  if (!file) throw new UsageError('name the file: guestbay import FILE (libvirt .xml, quickemu .conf or VirtualBox .vbox)');
  const progress = progressPrinter(e.io);
  try {
    const r = await importGuest({ store: e.store, progress }, resolve(e.cwd, file), { name: values.name, copyDisks: values['copy-disks'] });
    if (values.json) return json(e.io, r), 0;
    e.io.out(`Imported "${r.config.name}" from ${r.source === 'libvirt' ? 'libvirt' : r.source === 'quickemu' ? 'quickemu' : 'VirtualBox'} into ${e.store.dirs(r.config.name).dir}`);
    for (const f of r.inPlace) e.io.out(`  uses ${f} where it is`);
    for (const f of r.copied) e.io.out(`  copied ${f} into its folder`);
    if (r.notCarried.length) e.io.out(['Not carried over:', ...r.notCarried.map((n) => `  - ${n}`)].join('\n'));
    return 0;
  } finally {
    progress.done();
  }
};
