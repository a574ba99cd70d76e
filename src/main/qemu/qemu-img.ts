// qemu-img's syntax, and only its syntax: the argument lists of each command Guestbay runs and
// the readers of what it prints (always `--output=json` where it has one, and `-p`'s progress).
// Nothing here starts a process: src/main/images/ runs these, checks the rules around them
// and reports progress; `guestbay cmdline` prints some of them for a shell.

/** The image formats Guestbay reads. Guests run qcow2 or raw; the rest are imported. */
export const SOURCE_FORMATS = ['raw', 'qcow2', 'vdi', 'vmdk', 'vhdx', 'vpc'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
export type GuestFormat = 'qcow2' | 'raw';

/**
 * How a new qcow2 is laid out (docs/decisions.md, "Disk images"):
 * - `lazy_refcounts`: refcount updates are postponed, so a guest's flushes under writeback
 *   cache cost one write instead of several; after a crash QEMU repairs them on the next open.
 * - overlays (`backing`): `extended_l2` with 128 KiB clusters, so copy-on-write from the base
 *   happens in 4 KiB subclusters instead of whole 64 KiB clusters.
 * - `nocow` on btrfs: a qcow2 rewritten in place by a guest fragments badly under btrfs's
 *   copy-on-write; the flag only takes on an empty file, hence at creation.
 */
export interface Qcow2Layout {
  lazyRefcounts: boolean;
  /** Copy-on-write in subclusters (QEMU 5.2+): for images with a backing file. */
  extendedL2: boolean;
  clusterSize?: number;
  nocow: boolean;
}

export function defaultLayout(o: { overlay: boolean; nocow: boolean }): Qcow2Layout {
  return o.overlay ? { lazyRefcounts: true, extendedL2: true, clusterSize: 128 * 1024, nocow: o.nocow } : { lazyRefcounts: true, extendedL2: false, nocow: o.nocow };
}

/** `-o` values: qemu-img splits on commas, so a value never holds one (paths go as arguments). */
function options(o: Record<string, string | number | boolean | undefined>): string[] {
  const parts = Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => `${k}=${v === true ? 'on' : String(v)}`);
  for (const p of parts) if (p.includes(',')) throw new Error(`a qemu-img option cannot hold a comma: ${p}`);
  return parts.length ? ['-o', parts.join(',')] : [];
}

function layoutOptions(format: GuestFormat, layout: Partial<Qcow2Layout> | undefined): string[] {
  if (!layout) return [];
  if (format === 'raw') return options({ nocow: layout.nocow });
  return options({
    lazy_refcounts: layout.lazyRefcounts,
    extended_l2: layout.extendedL2,
    cluster_size: layout.clusterSize,
    nocow: layout.nocow,
  });
}

export interface CreateArgs {
  path: string;
  format: GuestFormat;
  /** Bytes; an overlay takes its base's size when absent. */
  size?: number;
  /** A copy-on-write overlay of `file` (as it will be written into the image: relative or absolute). */
  backing?: { file: string; format: GuestFormat };
  layout?: Partial<Qcow2Layout>;
}

export function createArgs(a: CreateArgs): string[] {
  const args = ['create', '-q', '-f', a.format];
  // -F always: QEMU refuses to probe a backing file's format (a raw base read as qcow2 would
  // let a guest point the host at any file).
  if (a.backing) args.push('-b', a.backing.file, '-F', a.backing.format);
  args.push(...layoutOptions(a.format, a.layout), a.path);
  if (a.size !== undefined) args.push(String(a.size));
  else if (!a.backing) throw new Error('a new image needs a size');
  return args;
}

/** `-U`: read even while a running guest holds the image's lock. */
export function infoArgs(path: string, o: { chain?: boolean; format?: string } = {}): string[] {
  return ['info', '-U', '--output=json', ...(o.format ? ['-f', o.format] : []), ...(o.chain ? ['--backing-chain'] : []), path];
}

export function checkArgs(path: string, format: string, repair?: 'leaks' | 'all'): string[] {
  return ['check', '--output=json', '-f', format, ...(repair ? ['-r', repair] : []), path];
}

export function resizeArgs(path: string, format: GuestFormat, sizeBytes: number, shrink: boolean): string[] {
  return ['resize', '-q', '-f', format, ...(shrink ? ['--shrink'] : []), path, String(sizeBytes)];
}

export interface ConvertArgs {
  from: string;
  /** Always given: probing a raw file's format is how images get misread. */
  fromFormat: string;
  to: string;
  toFormat: GuestFormat;
  /** `-p`: progress on stdout (readProgress). */
  progress?: boolean;
  layout?: Partial<Qcow2Layout>;
  /** `-c`: compressed clusters (qcow2 only): smaller, slower to write later. */
  compress?: boolean;
  /** Read one internal snapshot instead of the current state (`-l`). */
  snapshot?: string;
}

export function convertArgs(a: ConvertArgs): string[] {
  return [
    'convert',
    a.progress ? '-p' : '-q',
    '-f',
    a.fromFormat,
    '-O',
    a.toFormat,
    ...(a.compress ? ['-c'] : []),
    ...(a.snapshot ? ['-l', `snapshot.name=${a.snapshot}`] : []),
    ...layoutOptions(a.toFormat, a.layout),
    a.from,
    a.to,
  ];
}

/** `qemu-img convert` to qcow2, without the binary: run here, or printed by `guestbay cmdline`. */
export function convertToQcow2Args(from: string, fromFormat: 'raw' | 'qcow2', to: string): string[] {
  // An explicit source format: probing a raw file's format is how images get misread.
  return ['convert', '-q', '-f', fromFormat, '-O', 'qcow2', from, to];
}

/** Writes an overlay's data into its backing file; `-d` keeps the overlay as it was. */
export function commitArgs(path: string, o: { progress?: boolean; keep?: boolean } = {}): string[] {
  return ['commit', '-f', 'qcow2', o.progress ? '-p' : '-q', ...(o.keep ? ['-d'] : []), path];
}

/** Points an overlay at a moved base without copying anything (`-u`): the data must be the same. */
export function rebaseUnsafeArgs(path: string, backing: { file: string; format: GuestFormat }): string[] {
  return ['rebase', '-q', '-u', '-f', 'qcow2', '-b', backing.file, '-F', backing.format, path];
}

export type SnapshotOp = 'create' | 'apply' | 'delete';
const SNAPSHOT_FLAG: Record<SnapshotOp, string> = { create: '-c', apply: '-a', delete: '-d' };

/** Internal snapshots, offline (the image must not be in use). Listing is `info`'s `snapshots`. */
export function snapshotArgs(op: SnapshotOp, path: string, tag: string): string[] {
  return ['snapshot', '-q', SNAPSHOT_FLAG[op], tag, path];
}

/** How much space a conversion of `path` to `toFormat` needs (`required`), before starting it. */
export function measureArgs(path: string, fromFormat: string, toFormat: GuestFormat): string[] {
  return ['measure', '--output=json', '-f', fromFormat, '-O', toFormat, path];
}

// ---------------------------------------------------------------------------------------------
// What qemu-img prints.

export interface SnapshotInfo {
  id: string;
  name: string;
  /** Seconds since the epoch. */
  date: number;
  /** Bytes of memory state: > 0 for a snapshot of a running guest (taken with its RAM). */
  vmStateSize: number;
  /** The guest's clock when it was taken, in seconds. */
  vmClock: number;
}

export interface ImageInfo {
  filename: string;
  format: string;
  virtualSize: number;
  actualSize: number;
  /** As written in the image (may be relative to the image's folder). */
  backingFile?: string;
  /** Resolved by qemu-img. */
  fullBackingFile?: string;
  backingFormat?: string;
  clusterSize?: number;
  dirty: boolean;
  /** qcow2: the image is marked corrupt (QEMU refuses to write it). */
  corrupt: boolean;
  snapshots: SnapshotInfo[];
  qcow2?: { compat: string; lazyRefcounts: boolean; extendedL2: boolean };
  /** vmdk: the files holding the data, as the descriptor names them (relative to its folder, or absolute). */
  extents?: string[];
}

const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function readOne(j: Record<string, unknown>): ImageInfo {
  const spec = (j['format-specific'] as { type?: string; data?: Record<string, unknown> } | undefined) ?? {};
  const q = spec.type === 'qcow2' ? spec.data ?? {} : undefined;
  const snaps = Array.isArray(j.snapshots) ? (j.snapshots as Record<string, unknown>[]) : [];
  return {
    filename: String(j.filename),
    format: String(j.format),
    virtualSize: num(j['virtual-size']),
    actualSize: num(j['actual-size']),
    backingFile: str(j['backing-filename']),
    fullBackingFile: str(j['full-backing-filename']),
    backingFormat: str(j['backing-filename-format']),
    clusterSize: typeof j['cluster-size'] === 'number' ? (j['cluster-size'] as number) : undefined,
    dirty: j['dirty-flag'] === true,
    corrupt: q?.corrupt === true,
    snapshots: snaps.map((s) => ({
      id: String(s.id),
      name: String(s.name),
      date: num(s['date-sec']),
      vmStateSize: num(s['vm-state-size']),
      vmClock: num(s['vm-clock-sec']) + num(s['vm-clock-nsec']) / 1e9,
    })),
    qcow2: q ? { compat: String(q.compat ?? ''), lazyRefcounts: q['lazy-refcounts'] === true, extendedL2: q['extended-l2'] === true } : undefined,
    extents: spec.type === 'vmdk' && Array.isArray(spec.data?.extents) ? (spec.data.extents as { filename?: unknown }[]).map((e) => String(e.filename)) : undefined,
  };
}

/** `info --output=json` (one image), or with `--backing-chain` (a list, the image first). */
export function readInfo(stdout: string): ImageInfo[] {
  const j = JSON.parse(stdout) as unknown;
  const list = Array.isArray(j) ? j : [j];
  return list.map((x) => readOne(x as Record<string, unknown>));
}

export interface CheckResult {
  /** Everything consistent (leaks only waste space). */
  ok: boolean;
  corruptions: number;
  leaks: number;
  checkErrors: number;
  /** What a repair fixed (`-r`). */
  corruptionsFixed: number;
  leaksFixed: number;
  imageEndOffset?: number;
  /** The format cannot be checked (raw). */
  unsupported: boolean;
}

/**
 * `check --output=json`. Its exit status says as much (0 clean, 2 corrupt, 3 leaks only,
 * 63 unsupported), but the JSON is printed in every case and is read instead.
 */
export function readCheck(stdout: string, exitCode: number): CheckResult {
  if (exitCode === 63 || !stdout.trim()) {
    return { ok: exitCode === 63, corruptions: 0, leaks: 0, checkErrors: exitCode === 63 ? 0 : 1, corruptionsFixed: 0, leaksFixed: 0, unsupported: exitCode === 63 };
  }
  const j = JSON.parse(stdout) as Record<string, unknown>;
  const corruptions = num(j.corruptions);
  const checkErrors = num(j['check-errors']);
  return {
    ok: corruptions === 0 && checkErrors === 0,
    corruptions,
    leaks: num(j.leaks),
    checkErrors,
    corruptionsFixed: num(j['corruptions-fixed']),
    leaksFixed: num(j['leaks-fixed']),
    imageEndOffset: typeof j['image-end-offset'] === 'number' ? (j['image-end-offset'] as number) : undefined,
    unsupported: false,
  };
}

export function readMeasure(stdout: string): { required: number; fullyAllocated: number } {
  const j = JSON.parse(stdout) as Record<string, unknown>;
  return { required: num(j.required), fullyAllocated: num(j['fully-allocated']) };
}

/**
 * `-p` prints `    (12.34/100%)` followed by a carriage return, many times; chunks may split
 * anywhere. Feed it every chunk; it returns the newest fraction seen (0–1), or undefined.
 */
export class ProgressReader {
  private rest = '';

  push(chunk: string): number | undefined {
    const text = this.rest + chunk;
    let last: number | undefined;
    for (const m of text.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)) last = Math.min(1, Number(m[1]) / 100);
    // Keep a tail that may hold the start of a report cut in two.
    const open = text.lastIndexOf('(');
    this.rest = open >= 0 && !text.slice(open).includes(')') ? text.slice(open) : '';
    return last;
  }
}

/** qemu-img's error text, without its "qemu-img: " prefix and the path it repeats. */
export function errorText(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^qemu-img: /, '').trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}

/** A lock held by another process (a running QEMU) is what qemu-img reports as this. */
export function isLockError(stderr: string): boolean {
  return /Failed to get "(write|consistent read)" lock|Is another process using the image/i.test(stderr);
}
