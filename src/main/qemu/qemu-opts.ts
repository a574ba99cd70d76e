// QEMU's option syntax in one place: `driver,key=value,…` with `,` doubled inside values
// (QEMU's own escaping; a path may hold commas), booleans as on/off, absent values skipped.

export type OptValue = string | number | boolean | undefined | null;

/** Escapes a value for QEMU's comma-separated option syntax. */
export function escapeOptValue(v: string): string {
  return v.replaceAll(',', ',,');
}

function render(v: Exclude<OptValue, undefined | null>): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return escapeOptValue(String(v));
}

/**
 * `opts('virtio-blk-pci', { drive: 'd0', bootindex: 1 })` → `virtio-blk-pci,drive=d0,bootindex=1`.
 * The head (driver or type) may be omitted with `null` (e.g. for `-machine`-style lists).
 */
export function opts(head: string | null, props: Record<string, OptValue> = {}): string {
  const parts: string[] = head === null ? [] : [escapeOptValue(head)];
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    parts.push(`${k}=${render(v)}`);
  }
  return parts.join(',');
}

/** An ordered argv under construction: each flag with its value, kept as separate words. */
export class Argv {
  readonly words: string[] = [];
  add(flag: string, value?: string): this {
    this.words.push(flag);
    if (value !== undefined) this.words.push(value);
    return this;
  }
}
