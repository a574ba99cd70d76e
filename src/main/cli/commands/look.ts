// `guestbay look N [--disk ID]`: a guest's disk from the host without root: partitions, file
// systems, files copied out (`--copy P:/path --to DIR`), and the privileged commands for the rest,
// run through pkexec only with `--mount`.
import { formatSize } from '../../../shared/size';
import { copyOut, lookInside, mountPrivileged } from '../../disks/inspect';
import { systemBinary } from '../../host/system-binary';
import { needName, parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';

export const look: Command = async (e, args) => {
  const { values, positionals } = parse(args, { disk: { type: 'string' }, copy: { type: 'string' }, to: { type: 'string' }, mount: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  return withSupervisor(e, async (supervisor) => {
    const ctx = { store: e.store, supervisor };
    if (values.copy !== undefined) {
      const m = /^(\d+):(\/.*)$/.exec(values.copy);
      if (!m) throw new UsageError('--copy takes PARTITION:/path, e.g. --copy 2:/etc/hostname (partition 0: a disk without a partition table)');
      if (!values.to) throw new UsageError('--to names the folder to copy into');
      const r = await copyOut(ctx, name, { disk: values.disk, partition: Number(m[1]), path: m[2]!, dest: values.to.startsWith('/') ? values.to : `${e.cwd}/${values.to}` });
      if (values.json) return json(e.io, r), 0;
      for (const n of r.notes) e.io.err(`note: ${n}`);
      e.io.out(`Copied to ${r.copied} (read with ${r.tool})`);
      return 0;
    }
    if (values.mount) {
      const r = await mountPrivileged(ctx, name, { disk: values.disk, pkexec: await systemBinary('pkexec') });
      if (values.json) return json(e.io, r), 0;
      e.io.out(r.mounted.length ? `Mounted read-only: ${r.mounted.join(', ')}` : 'Connected as /dev/nbd0; no file system the kernel mounts directly (see `guestbay look` for LVM)');
      return 0;
    }
    const r = await lookInside(ctx, name, { disk: values.disk });
    if (values.json) return json(e.io, r), 0;
    e.io.out(`disk ${r.disk} of "${name}": ${r.file} (${r.format}, ${formatSize(r.size)}), ${r.scheme === 'none' ? 'no partition table' : `${r.scheme.toUpperCase()} partition table`}`);
    for (const n of r.notes) e.io.out(`  note: ${n}`);
    for (const p of r.partitions) {
      e.io.out(`  ${p.index === 0 ? 'whole disk' : `partition ${p.index}`}: ${formatSize(p.size)} at ${p.start}, ${p.type}${p.name ? ` "${p.name}"` : ''}, ${p.filesystemLabel}${p.reader ? ` — copy out: guestbay look ${name} --copy ${p.index}:/PATH --to DIR` : ''}`);
    }
    e.io.out(['As root, to mount it read-only (or run these through pkexec: guestbay look ' + name + ' --mount):', ...r.privileged.map((l) => `  ${l}`)].join('\n'));
    return 0;
  });
};
