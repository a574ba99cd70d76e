// `guestbay tools NAME [--insert]`: makes the guest's tools disk (guest-tools.img in its folder:
// per-OS setup that mounts its shared folders and installs the guest agent), and with --insert
// puts it in as a read-only USB stick, at once on a running guest.
import { needName, parse, printEdit, withEditor, type Command } from '../common';
import { json } from '../output';

export const tools: Command = async (e, args) => {
  const { values, positionals } = parse(args, { insert: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  const [{ insertToolsDisk, makeToolsDisk }, { probeHost }] = await Promise.all([import('../../guest-tools/service'), import('../../host/probe')]);
  const probe = () => probeHost({ env: e.env });
  return withEditor(e, async (editor, sup) => {
    const d = { store: e.store, supervisor: sup, probe };
    if (!values.insert) {
      const r = await makeToolsDisk(d, name);
      if (values.json) return json(e.io, { path: r.path, files: r.files, shares: r.shares, inserted: false }), 0;
      e.io.out(`Made ${r.path}:`);
      for (const f of r.files) e.io.out(`  ${f}`);
      e.io.out(`Insert it as a USB stick with: guestbay tools ${name} --insert`);
      return 0;
    }
    const r = await insertToolsDisk({ ...d, editor }, name);
    if (values.json) return json(e.io, { path: r.path, files: r.files, inserted: true, appliedLive: r.outcome.appliedLive, pending: r.outcome.pending }), 0;
    e.io.out(`Made ${r.path} (${r.files.length} files).`);
    printEdit(e, name, r.outcome);
    e.io.out('In the guest: open the USB stick GUESTTOOLS and follow README.txt.');
    return 0;
  });
};
