// `guestbay pending NAME`: what a running guest gets only at its next start, and the QEMU
// command before and after, as a diff (- now, + next start).
import { needName, parse, withEditor, type Command } from '../common';
import { json } from '../output';

export const pending: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  const p = await withEditor(e, (editor) => editor.pending(name));
  if (values.json) return json(e.io, p), 0;
  if (!p) {
    e.io.out(`Nothing waits for ${name}'s next start (it is not running, or it runs as its settings say).`);
    return 0;
  }
  if (p.changes.length) e.io.out(`At the next start: ${p.changes.map((c) => c.label).join(', ')}.\n`);
  for (const l of p.lines) e.io.out(`${l.op === 'removed' ? '-' : l.op === 'added' ? '+' : ' '} ${l.text}`);
  return 0;
};
