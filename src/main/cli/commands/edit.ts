// `guestbay edit NAME`: the guest's config in $VISUAL or $EDITOR, as `virsh edit` does it. The
// edit is checked as every other change is; when it is refused the editor opens again with the
// reasons at the top (lines starting with //, which are ignored), so nothing typed is lost and
// no invalid file is ever written. The revision read at the start is the one the edit is made
// on: if the guest changed meanwhile, the edit is refused as a conflict and kept in a file.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../shared/vm-config';
import { ConflictError } from '../../vm/store';
import { LiveChangeError } from '../../vm/edit/live';
import { needName, parse, printEdit, withEditor, type Command } from '../common';
import { json, UsageError } from '../output';

const HEADER = (name: string) => [
  `// Editing ${name}. Lines starting with // are ignored.`,
  '// Save and close to apply. Leave it unchanged, or empty it, to cancel.',
];

/** The editor command: $VISUAL, else $EDITOR, else vi; words split on spaces (no shell). */
function editorCommand(env: NodeJS.ProcessEnv): string[] {
  const cmd = (env.VISUAL || env.EDITOR || 'vi').trim().split(/\s+/).filter(Boolean);
  if (cmd.length === 0) throw new UsageError('set $EDITOR (or $VISUAL) to your editor, e.g. EDITOR=nano');
  return cmd;
}

export const edit: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  const { config, revision } = await e.store.read(name);
  const original = `${JSON.stringify(config, null, 2)}\n`;
  const dir = await mkdtemp(join(tmpdir(), `guestbay-edit-${name}-`));
  const file = join(dir, `${name}.json`);
  const [cmd, ...cmdArgs] = editorCommand(e.env);
  let text = original;
  let problems: string[] = [];
  try {
    for (;;) {
      await writeFile(file, [...HEADER(name), ...problems.map((p) => `// ${p}`), text].join('\n'), { mode: 0o600 });
      const run = await execa(cmd!, [...cmdArgs, file], { stdio: 'inherit', reject: false, env: e.env });
      if (run.exitCode !== 0) {
        e.io.err(`guestbay: the editor (${cmd}) exited with status ${run.exitCode}: nothing was changed.`);
        return 1;
      }
      const edited = (await readFile(file, 'utf8'))
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('//'))
        .join('\n');
      if (edited.trim() === '' || edited.trim() === original.trim()) {
        e.io.out(`No change to ${name}.`);
        return 0;
      }
      text = edited;
      let doc: unknown;
      try {
        doc = JSON.parse(edited);
      } catch (err) {
        problems = ['Refused, nothing was saved: this is not valid JSON.', `  ${(err as Error).message}`, 'Fix it and save again.'];
        continue;
      }
      try {
        const r = await withEditor(e, (editor) => editor.update(name, doc, { revision }));
        if (values.json) return json(e.io, { config: r.config, revision: r.revision, appliedLive: r.appliedLive, pending: r.pending, warnings: r.warnings }), 0;
        printEdit(e, name, r);
        return 0;
      } catch (err) {
        if (err instanceof ConfigError || err instanceof LiveChangeError) {
          const list = err instanceof ConfigError ? err.errors.map((f) => `  ${f.field || 'config'}: ${f.message}`) : [`  ${err.message}`];
          problems = ['Refused, nothing was saved:', ...list, 'Fix it and save again.'];
          continue;
        }
        if (err instanceof ConflictError) {
          // The work is not lost: kept where the user can take it from.
          const kept = join(tmpdir(), `guestbay-edit-${name}-${Date.now()}.json`);
          await writeFile(kept, edited, { mode: 0o600 });
          throw new ConflictError(err.vmName, err.changes, err.revision, `Your edit is kept in ${kept}.`);
        }
        throw err;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
