// Whether QEMU can migrate to a `file:` URI, asked of QEMU itself through its QMP schema.
// The version number would be a guess: distributions backport, and patched builds differ.
// Enum names in `query-qmp-schema` are masked (numbers), so we look for the values instead:
// the migration transport enum (MigrationAddressType) is the one holding "exec" and "file".

// The same conversation also asks which `-sandbox` (seccomp) settings this build takes: none
// when QEMU was built without seccomp.
export const QMP_SCHEMA_INPUT =
  '{"execute":"qmp_capabilities"}\n{"execute":"query-qmp-schema"}\n' +
  '{"execute":"query-command-line-options","arguments":{"option":"sandbox"}}\n{"execute":"quit"}\n';

export const QMP_SCHEMA_ARGS = ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', 'stdio'];

interface SchemaEntry {
  'meta-type'?: string;
  values?: unknown;
  members?: unknown;
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

function enumValues(e: SchemaEntry): string[] {
  // `values` is deprecated since QEMU 6.2 in favour of `members: [{name}]`; accept both.
  if (Array.isArray(e.values)) return e.values.filter((v): v is string => typeof v === 'string');
  if (Array.isArray(e.members))
    return e.members.map((m: unknown) => (m as { name?: unknown }).name).filter((n): n is string => typeof n === 'string');
  return [];
}

export function hasFileMigration(schema: SchemaEntry[]): boolean {
  return schema.some((e) => {
    if (e['meta-type'] !== 'enum') return false;
    const values = enumValues(e);
    return values.includes('exec') && values.includes('file');
  });
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
