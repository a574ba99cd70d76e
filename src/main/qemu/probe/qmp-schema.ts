// Reading QEMU's QMP schema (`query-qmp-schema`): what this QEMU can do, asked of QEMU itself
// rather than guessed from its version number (distributions backport; patched builds differ).
// One walker for the host probe (migration to a file) and for screenshots (PNG screendump).
// Enum and object type names in the schema are masked (numbers), so commands are found by
// name and types by following their references, or by the values an enum holds.

/**
 * The QMP conversation the probe has with `qemu -qmp stdio`: the schema, which `-sandbox`
 * (seccomp) settings this build takes (none when built without seccomp), then quit.
 */
export const QMP_SCHEMA_INPUT =
  '{"execute":"qmp_capabilities"}\n{"execute":"query-qmp-schema"}\n' +
  '{"execute":"query-command-line-options","arguments":{"option":"sandbox"}}\n{"execute":"quit"}\n';

export const QMP_SCHEMA_ARGS = ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', 'stdio'];

export interface SchemaEntry {
  name?: unknown;
  'meta-type'?: unknown;
  'arg-type'?: unknown;
  members?: unknown;
  values?: unknown;
}

/** The schema array from the QMP conversation on stdout, or null if QEMU gave none. */
export function parseQmpSchema(stdout: string): SchemaEntry[] | null {
  for (const line of stdout.split('\n')) {
    if (!line.includes('"meta-type"')) continue;
    try {
      const msg = JSON.parse(line) as { return?: unknown };
      if (Array.isArray(msg.return)) return msg.return as SchemaEntry[];
    } catch {
      // A truncated line (QEMU killed by the timeout) is no schema.
    }
  }
  return null;
}

/** An enum's value names. `values` is deprecated since QEMU 6.2 in favour of `members: [{name}]`; both are read. */
export function enumValues(e: SchemaEntry | undefined): unknown[] {
  if (e?.['meta-type'] !== 'enum') return [];
  if (Array.isArray(e.members)) return (e.members as { name?: unknown }[]).map((m) => m?.name);
  if (Array.isArray(e.values)) return e.values;
  return [];
}

/** Whether a migration transport enum (MigrationAddressType) offers both `exec` and `file`: QEMU 8.2+. */
export function hasFileMigration(schema: unknown): boolean {
  if (!Array.isArray(schema)) return false;
  return (schema as SchemaEntry[]).some((e) => {
    const values = enumValues(e);
    return values.includes('exec') && values.includes('file');
  });
}

/**
 * Whether a save can write RAM at fixed offsets of a file, from several threads at once (QEMU
 * 9.0+): the migration capabilities enum holds `mapped-ram` and `multifd`. Asked of the schema,
 * not the version: a distribution may build QEMU without it or backport it.
 */
export function hasMappedRam(schema: unknown): boolean {
  if (!Array.isArray(schema)) return false;
  return (schema as SchemaEntry[]).some((e) => {
    const values = enumValues(e);
    return values.includes('mapped-ram') && values.includes('multifd');
  });
}

/**
 * Whether `migrate-set-parameters` takes `direct-io` (QEMU 9.1+): a mapped-ram save then writes,
 * and a restore reads, the RAM pages with O_DIRECT, past the page cache. Asked of the schema
 * (the command's argument type's members), not the version. Whether the guest folder's file
 * system takes O_DIRECT is another matter, asked at each save and restore (vm/direct-io.ts).
 */
export function hasDirectIoMigration(schema: unknown): boolean {
  return commandArguments(schema, 'migrate-set-parameters')?.members.some((m) => m?.name === 'direct-io') ?? false;
}

/** A command's arguments (its argument type's members) and every schema entry by name; null without the command. */
function commandArguments(schema: unknown, command: string): { members: { name?: unknown; type?: unknown }[]; byName: Map<unknown, SchemaEntry> } | null {
  if (!Array.isArray(schema)) return null;
  const byName = new Map<unknown, SchemaEntry>();
  for (const e of schema as SchemaEntry[]) if (e && typeof e === 'object') byName.set(e.name, e);
  const entry = byName.get(command);
  if (entry?.['meta-type'] !== 'command') return null;
  const args = byName.get(entry['arg-type']);
  return { members: Array.isArray(args?.members) ? (args.members as { name?: unknown; type?: unknown }[]) : [], byName };
}

/**
 * Whether guest RAM can be a file a save leaves out: some enum (ObjectType) holds
 * `memory-backend-file` and another (MigrationCapability) `x-ignore-shared`. Asked of the
 * schema: the capability is experimental (`x-`), so a build may drop it.
 */
export function hasRamFileSave(schema: unknown): boolean {
  if (!Array.isArray(schema)) return false;
  const all = (schema as SchemaEntry[]).flatMap((e) => enumValues(e));
  return all.includes('memory-backend-file') && all.includes('x-ignore-shared');
}

/** Whether `screendump` takes `format: 'png'` (QEMU 7.1+): its argument type's `format` member is an enum holding png. */
export function schemaHasPngScreendump(schema: unknown): boolean {
  const args = commandArguments(schema, 'screendump');
  const format = args?.members.find((m) => m?.name === 'format');
  return enumValues(format ? args?.byName.get(format.type) : undefined).includes('png');
}

/**
 * The `-sandbox` parameters QEMU takes (`enable`, `obsolete`, `elevateprivileges`, `spawn`,
 * `resourcecontrol`), from `query-command-line-options`; [] when it has no seccomp sandbox.
 */
export function parseSandboxOptions(stdout: string): string[] {
  for (const line of stdout.split('\n')) {
    if (!line.includes('"sandbox"')) continue;
    try {
      const msg = JSON.parse(line) as { return?: { option?: string; parameters?: { name?: unknown }[] }[] };
      const entry = msg.return?.find((o) => o.option === 'sandbox');
      if (entry) return (entry.parameters ?? []).map((p) => p.name).filter((n): n is string => typeof n === 'string').sort();
    } catch {
      // Cut short: no answer.
    }
  }
  return [];
}
