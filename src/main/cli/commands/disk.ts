// `guestbay disk …`: a guest's disks (facts with the backing chain, check and repair, resize,
// convert, compact, import, commit into a base, flatten) and image files (convert), with
// progress on stderr. Every change needs the guest shut down and no linked clone on the disk.
import { resolve } from 'node:path';
import { formatSize, parseSize } from '../../../shared/size';
import { ConfigError } from '../../../shared/vm-config';
import { ConfirmationNeededError, type DiskContext } from '../../disks/context';
import { commitIntoBase, flattenDisks } from '../../disks/bases';
import { checkGuestDisk, compactGuestDisk, convertGuestDisk, guestDisksReport, importDiskInto, resizeGuestDisk, type DiskReport } from '../../disks/guest-disks';
import { convertImage } from '../../images';
import { needName, parse, withSupervisor, type Command, type Env } from '../common';
import { json, UsageError } from '../output';
import { progressPrinter } from '../progress';

async function withDisks<T>(e: Env, fn: (ctx: DiskContext) => Promise<T>): Promise<T> {
  const progress = progressPrinter(e.io);
  const ac = new AbortController();
  // Ctrl-C during a conversion removes the partial file (images/convert.ts) before exiting.
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await withSupervisor(e, (supervisor) => fn({ store: e.store, supervisor, progress, signal: ac.signal }));
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
  }
}

function size(text: string | undefined): number {
  if (!text) throw new UsageError('give the new size, e.g. `guestbay disk resize win11 128G`');
  const r = parseSize(text);
  if (!r.ok) throw new ConfigError([{ field: 'size', message: r.error }]);
  return r.bytes;
}

function toFormat(v: string | undefined, fallback?: 'qcow2' | 'raw'): 'qcow2' | 'raw' {
  const f = v ?? fallback;
  if (f !== 'qcow2' && f !== 'raw') throw new UsageError('--to is qcow2 or raw');
  return f;
}

export function describeDisk(d: DiskReport): string[] {
  const lines = [`${d.kind === 'vars' ? 'UEFI variables' : `disk ${d.id}`}: ${d.path}`];
  if (d.error) return [...lines, `  unreadable: ${d.error}`];
  lines.push(`  ${d.format}, ${formatSize(d.virtualSize)} virtual, ${formatSize(d.actualSize)} used on the host${d.readOnly ? ', read-only' : ''}${d.corrupt ? ', MARKED CORRUPT' : ''}${d.dirty ? ', not closed cleanly' : ''}`);
  for (const c of d.chain) lines.push(`  └ on ${c.file} (${c.format}, ${formatSize(c.actualSize)} used${c.guest ? `, base "${c.guest}"` : ''})`);
  for (const s of d.snapshots) lines.push(`  snapshot ${s.name}: ${new Date(s.date * 1000).toISOString()}${s.vmStateSize ? `, with memory (${formatSize(s.vmStateSize)})` : ''}`);
  if (d.clones.length) lines.push(`  linked clones on it: ${d.clones.map((c) => `${c.guest} (${c.disk})`).join(', ')}`);
  return lines;
}

export const disk: Command = async (e, args) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'info': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, 1);
      const r = await withDisks(e, (ctx) => guestDisksReport(ctx, needName(positionals)));
      if (values.json) return json(e.io, r), 0;
      e.io.out(`${r.name}${r.base ? ` — a read-only base since ${r.base.since}` : ''}`);
      for (const d of r.disks) e.io.out(describeDisk(d).join('\n'));
      return 0;
    }
    case 'check': {
      const { values, positionals } = parse(rest, { disk: { type: 'string' }, repair: { type: 'string' }, json: { type: 'boolean' } }, 1);
      if (values.repair !== undefined && values.repair !== 'leaks' && values.repair !== 'all') throw new UsageError('--repair is leaks or all');
      const r = await withDisks(e, (ctx) => checkGuestDisk(ctx, needName(positionals), { disk: values.disk, repair: values.repair as 'leaks' | 'all' | undefined }));
      if (values.json) return json(e.io, r), 0;
      if (r.unsupported) e.io.out(`disk ${r.disk}: a raw image has no metadata to check`);
      else if (r.ok && !r.leaks) e.io.out(`disk ${r.disk}: no errors${r.leaksFixed ? ` (${r.leaksFixed} leaked clusters freed)` : ''}${r.corruptionsFixed ? ` (${r.corruptionsFixed} errors repaired)` : ''}`);
      else e.io.out(`disk ${r.disk}: ${r.corruptions} errors, ${r.leaks} leaked clusters${r.leaks && r.ok ? ' (only wasted space: --repair leaks frees it)' : r.corruptions ? ' (--repair all, after a backup)' : ''}`);
      return r.ok ? 0 : 1;
    }
    case 'resize': {
      const { values, positionals } = parse(rest, { disk: { type: 'string' }, shrink: { type: 'boolean' }, json: { type: 'boolean' } }, 2);
      const name = needName(positionals);
      const r = await withDisks(e, (ctx) => resizeGuestDisk(ctx, name, size(positionals[1]), { disk: values.disk, confirmShrink: values.shrink })).catch((err: Error) => {
        if (err instanceof ConfirmationNeededError) throw new ConfirmationNeededError(err.message.replace(/confirm the shrink\.$/, 'repeat with --shrink.'));
        throw err;
      });
      if (values.json) return json(e.io, r), 0;
      e.io.out(r.from === r.to ? `disk ${r.disk} is ${formatSize(r.to)} already` : `disk ${r.disk}: ${formatSize(r.from)} → ${formatSize(r.to)}${r.to > r.from ? ' (grow the partition inside the guest to use it)' : ''}`);
      return 0;
    }
    case 'convert': {
      const { values, positionals } = parse(rest, { disk: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' } }, 2);
      if (positionals.length === 2) {
        const [from, out] = positionals.map((p) => resolve(e.cwd, p)) as [string, string];
        const r = await withDisks(e, (ctx) =>
          convertImage(from, out, { fromFormat: values.from, toFormat: toFormat(values.to, 'qcow2'), onProgress: (f) => ctx.progress?.('', 'convert', `converting to ${out}`, f), signal: ctx.signal }),
        );
        if (values.json) return json(e.io, { path: r.path, fromFormat: r.from.format }), 0;
        e.io.out(`${r.path}: ${toFormat(values.to, 'qcow2')} from ${r.from.format} (${formatSize(r.from.virtualSize)})`);
        return 0;
      }
      const name = needName(positionals);
      const r = await withDisks(e, (ctx) => convertGuestDisk(ctx, name, toFormat(values.to), { disk: values.disk }));
      if (values.json) return json(e.io, r), 0;
      e.io.out(`disk ${r.disk} of "${name}" is now ${r.file}; the old file is kept: ${r.kept}`);
      return 0;
    }
    case 'compact': {
      const { values, positionals } = parse(rest, { disk: { type: 'string' }, json: { type: 'boolean' } }, 1);
      const r = await withDisks(e, (ctx) => compactGuestDisk(ctx, needName(positionals), { disk: values.disk }));
      if (values.json) return json(e.io, r), 0;
      e.io.out(`disk ${r.disk}: ${formatSize(r.before)} → ${formatSize(r.after)} on the host`);
      return 0;
    }
    case 'import': {
      const { values, positionals } = parse(rest, { from: { type: 'string' }, bus: { type: 'string' }, json: { type: 'boolean' } }, 2);
      const name = needName(positionals);
      if (!positionals[1]) throw new UsageError('name the image to import, e.g. `guestbay disk import win11 ~/VirtualBox\\ VMs/win/win.vdi`');
      const bus = values.bus as 'virtio' | 'sata' | 'ide' | 'nvme' | 'scsi' | 'usb' | undefined;
      if (bus && !['virtio', 'sata', 'ide', 'nvme', 'scsi', 'usb'].includes(bus)) throw new UsageError('--bus is virtio, sata, ide, nvme, scsi or usb');
      const r = await withDisks(e, (ctx) => importDiskInto(ctx, name, resolve(e.cwd, positionals[1]!), { fromFormat: values.from, bus }));
      if (values.json) return json(e.io, r), 0;
      e.io.out(`"${name}" has a new disk ${r.disk}: ${r.file} (from ${r.fromFormat})`);
      return 0;
    }
    case 'commit':
    case 'flatten': {
      const { values, positionals } = parse(rest, { disk: { type: 'string' }, json: { type: 'boolean' } }, 1);
      const name = needName(positionals);
      const r = await withDisks(e, async (ctx): Promise<{ disks: string[] }> => (sub === 'commit' ? { disks: (await commitIntoBase(ctx, name, values.disk)).committed } : { disks: (await flattenDisks(ctx, name, values.disk)).flattened }));
      if (values.json) return json(e.io, r), 0;
      e.io.out(sub === 'commit' ? `"${name}": disk ${r.disks.join(', ')} committed into its base` : `"${name}": disk ${r.disks.join(', ')} standalone now`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown disk command "${sub}"` : 'say what to do: guestbay disk info|check|resize|convert|compact|import|commit|flatten …');
  }
};
