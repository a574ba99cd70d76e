// `guestbay media NAME [insert FILE | eject] [--drive ID]`: the discs in a guest's CD/DVD drives,
// changed at once on a running guest and kept for its next start.
import { homeOf, needName, parse, printEdit, withEditor, type Command } from '../common';
import { json, UsageError } from '../output';

export const media: Command = async (e, args) => {
  const { values, positionals } = parse(args, { drive: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } }, 3);
  const name = needName(positionals);
  const [, action, file] = positionals;
  if (action === undefined) {
    const config = await e.store.get(name);
    if (values.json) return json(e.io, config.media), 0;
    if (config.media.length === 0) e.io.out(`${name} has no drives. guestbay media ${name} insert FILE adds a CD/DVD drive with that disc.`);
    for (const m of config.media) e.io.out(`${m.id}\t${m.as === 'cdrom' ? 'CD/DVD' : 'disk'} (${m.role}, ${m.bus})\t${m.path ?? 'empty'}`);
    return 0;
  }
  let r;
  if (action === 'insert') {
    if (!file) throw new UsageError(`name the image: guestbay media ${name} insert FILE [--drive ID]`);
    r = await withEditor(e, (editor) => editor.mediaInsert(name, { drive: values.drive, path: file, cwd: e.cwd, home: homeOf(e) }));
  } else if (action === 'eject') {
    if (file) throw new UsageError(`eject takes no file: guestbay media ${name} eject [--drive ID] [--force]`);
    r = await withEditor(e, (editor) => editor.mediaEject(name, { drive: values.drive, force: values.force }));
  } else {
    throw new UsageError(`"${action}" is not a media action: insert FILE, or eject`);
  }
  if (values.json) return json(e.io, { config: r.config, revision: r.revision, appliedLive: r.appliedLive, pending: r.pending, warnings: r.warnings }), 0;
  printEdit(e, name, r);
  return 0;
};
