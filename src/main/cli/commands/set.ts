// `guestbay set NAME key=value…`: change settings after creation (the keys are
// src/shared/settings-keys.ts, listed by `guestbay set --help`). Checked as the wizard checks;
// on a running guest media, USB devices and port forwards change at once, the rest at its
// next start. A refused change writes nothing.
import { settingKeys } from '../../../shared/settings-keys';
import { homeOf, needName, parse, printEdit, withEditor, type Command } from '../common';
import { json, UsageError } from '../output';

/** `guestbay set --help`: every key, what its values look like, when a change applies. */
export function setHelp(): string {
  const when = { live: 'at once on a running guest', 'next-start': 'at the next start', now: 'at once' } as const;
  const lines = [
    'usage: guestbay set NAME key=value… [--revision R] [--delete-removed-disks] [--json]',
    '',
    'Lists: key+=value adds, key-=value removes, key=value replaces. Paths may start with ~.',
    'A removed disk keeps its file unless --delete-removed-disks.',
    '',
  ];
  for (const k of settingKeys()) {
    lines.push(`  ${k.key}${k.list ? ' (list)' : ''}: ${k.help} Applies ${when[k.applies]}.`);
    lines.push(`      ${k.format}`);
    for (const v of k.values ?? []) lines.push(`      ${v.value}: ${v.help}`);
  }
  return lines.join('\n');
}

export const set: Command = async (e, args) => {
  const { values, positionals } = parse(args, { revision: { type: 'string' }, 'delete-removed-disks': { type: 'boolean' }, json: { type: 'boolean' } }, 65);
  const name = needName(positionals);
  const assignments = positionals.slice(1);
  if (assignments.length === 0) throw new UsageError(`give at least one key=value, e.g. guestbay set ${name} memory=8G (guestbay set --help lists the keys)`);
  // The disks this change removes (disk-=ID): their files go only when asked.
  const removed = values['delete-removed-disks'] ? assignments.flatMap((a) => /^disk-=(.+)$/.exec(a)?.[1] ?? []) : [];
  const r = await withEditor(e, (editor) => editor.set(name, assignments, { cwd: e.cwd, home: homeOf(e), revision: values.revision, deleteDiskFiles: removed }));
  if (values.json) return json(e.io, { config: r.config, revision: r.revision, appliedLive: r.appliedLive, pending: r.pending, warnings: r.warnings, deletedFiles: r.deletedFiles, keptFiles: r.keptFiles }), 0;
  printEdit(e, name, r);
  for (const f of r.keptFiles) e.io.out(`  Kept ${f} (--delete-removed-disks deletes it).`);
  for (const f of r.deletedFiles) e.io.out(`  Deleted ${f}.`);
  return 0;
};
