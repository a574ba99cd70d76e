// The contract's calls for disks, snapshots, clones, import and export (issue 16), spread into
// `calls` in contract.ts: the same declaration style, kept in a file of their own so they merge
// cleanly with other groups of calls. Long operations report through the `progress` event; a
// call refused until confirmed fails with `ConfirmationNeededError`, whose message says what
// would be lost, and is repeated with `confirm: true`.
import { z } from 'zod';
import { SNAPSHOT_TAG } from './snapshot-tag';
import { vmConfig, vmName } from './vm-config';

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const name = z.object({ name: vmName });
const diskId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a disk id is a short lower-case identifier').optional();

export { SNAPSHOT_TAG };
const tag = z.string().regex(SNAPSHOT_TAG, 'a snapshot name uses letters, digits, ".", "_" and "-" (up to 64), and starts with a letter or digit');

const snapshotInfo = z.object({ id: z.string(), name: z.string(), date: z.number(), vmStateSize: z.number(), vmClock: z.number() });

export const diskReport = z.object({
  kind: z.enum(['disk', 'vars']),
  id: z.string(),
  path: z.string(),
  format: z.string(),
  readOnly: z.boolean(),
  virtualSize: z.number(),
  actualSize: z.number(),
  /** Backing files under this disk, nearest first (empty: standalone). */
  chain: z.array(z.object({ file: z.string(), format: z.string(), virtualSize: z.number(), actualSize: z.number(), guest: z.string().optional() })),
  snapshots: z.array(snapshotInfo),
  /** Linked clones built on this disk. */
  clones: z.array(z.object({ guest: z.string(), disk: z.string() })),
  dirty: z.boolean(),
  corrupt: z.boolean(),
  error: z.string().optional(),
});
export type DiskReportDto = z.infer<typeof diskReport>;

export interface SnapshotNodeDto {
  tag: string;
  date: number;
  live: boolean;
  vmStateSize: number;
  images: { have: number; of: number };
  current: boolean;
  children: SnapshotNodeDto[];
}
const snapshotNode: z.ZodType<SnapshotNodeDto> = z.lazy(() =>
  z.object({ tag: z.string(), date: z.number(), live: z.boolean(), vmStateSize: z.number(), images: z.object({ have: z.number(), of: z.number() }), current: z.boolean(), children: z.array(snapshotNode) }),
);

export const diskCalls = {
  /** Every image of a guest: sizes, format, backing chain, snapshots, linked clones on it. */
  'disks.report': call(name, z.object({ name: z.string(), base: z.object({ since: z.string() }).optional(), disks: z.array(diskReport) })),
  /** Grow a disk; shrinking fails with ConfirmationNeededError (saying what is cut off) until `confirmShrink`. */
  'disks.resize': call(name.extend({ disk: diskId, size: z.number().int().positive(), confirmShrink: z.boolean().optional() }), z.object({ disk: z.string(), from: z.number(), to: z.number() })),
  'disks.convert': call(name.extend({ disk: diskId, to: z.enum(['qcow2', 'raw']) }), z.object({ disk: z.string(), file: z.string(), kept: z.string() })),
  'disks.compact': call(name.extend({ disk: diskId }), z.object({ disk: z.string(), before: z.number(), after: z.number() })),
  'snapshots.list': call(name, z.object({ name: z.string(), current: z.string().nullable(), tree: z.array(snapshotNode), blocked: z.string().nullable() })),
  'snapshots.create': call(name.extend({ tag }), z.object({ tag: z.string(), live: z.boolean() })),
  /** Reverting a running guest fails with ConfirmationNeededError (what is lost) until `confirm`. */
  'snapshots.revert': call(name.extend({ tag, confirm: z.boolean().optional() }), z.object({ tag: z.string(), live: z.boolean(), notes: z.array(z.string()) })),
  'snapshots.delete': call(name.extend({ tag }), z.object({ tag: z.string() })),
  /** A copy of a stopped guest, or (`linked`) a copy-on-write overlay over it, which becomes a read-only base. */
  'guests.clone': call(z.object({ source: vmName, name: vmName, linked: z.boolean(), title: z.string().max(200).optional() }), z.object({ config: vmConfig, linked: z.boolean(), madeBase: z.boolean(), notes: z.array(z.string()) })),
  /** A guest from libvirt XML, a quickemu .conf or a VirtualBox .vbox file on this computer. */
  'guests.import': call(
    z.object({ path: z.string().min(1).max(4096), name: vmName.optional(), copyDisks: z.boolean().optional() }),
    z.object({ config: vmConfig, source: z.enum(['libvirt', 'quickemu', 'virtualbox']), inPlace: z.array(z.string()), copied: z.array(z.string()), notCarried: z.array(z.string()) }),
  ),
  /** The guest as a standalone launch script or a libvirt domain, as text; `notes` says what is not carried. */
  'guests.export': call(name.extend({ format: z.enum(['script', 'libvirt']) }), z.object({ text: z.string(), notes: z.array(z.string()) })),
} as const;
